"""Plain rules of family care."""

from __future__ import annotations

import datetime as dt

from cadrecare.care.models import FamilyMember
from cadrecare.core.privacy import Level
from cadrecare.org.rules import age_on

MINOR_AGE = 14  # PIPL art. 28: personal information of a minor under 14 is sensitive


def is_minor(member: FamilyMember, today: dt.date) -> bool:
    """Whether the member is a child under 14, whose every detail is sensitive."""
    return member.birth_date is not None and member.deceased_on is None and age_on(member.birth_date, today) < MINOR_AGE


def member_visible_level(member: FamilyMember, level: Level, today: dt.date) -> Level:
    """The level at which a reader whose role sees ``level`` sees ``member``:
    below sensitive, a child under 14 shows only the basics (the relation), and
    none of their details counts as read in the audit log. The one home of the
    rule: the API's and the workbench's serializer and the admin apply it."""
    return Level.BASIC if level < Level.SENSITIVE and is_minor(member, today) else level
