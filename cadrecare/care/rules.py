"""Plain rules of family care."""

from __future__ import annotations

import datetime as dt

from cadrecare.care.models import FamilyMember
from cadrecare.org.rules import age_on

MINOR_AGE = 14  # PIPL art. 28: personal information of a minor under 14 is sensitive


def is_minor(member: FamilyMember, today: dt.date) -> bool:
    """Whether the member is a child under 14, whose every detail is sensitive."""
    return member.birth_date is not None and member.deceased_on is None and age_on(member.birth_date, today) < MINOR_AGE
