"""Sensitivity levels of personal information and how a value is masked.

Every model field declares its level in the model's inner ``Privacy`` class
(basic / personal / sensitive, after PIPL art. 28 and GB/T 35273 7.2);
``tests/cadrecare/core/test_privacy.py`` fails when a field has none. What a
role may see unmasked is said per resource in ``cadrecare.org.access.ACCESS``.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import IntEnum
from typing import Any

from django.db import models

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Level(IntEnum):
    BASIC = 1  # name, unit, post, roster
    PERSONAL = 2  # ID number, phone, birth date, family members
    SENSITIVE = 3  # health findings, talk and visit notes, petitions, data on minors


def field_levels(model: type[models.Model]) -> dict[str, Level]:
    """The declared level of each field of ``model`` (from its ``Privacy`` class)."""
    privacy = getattr(model, "Privacy", None)
    levels: dict[str, Level] = {}
    if privacy is None:
        return levels
    for level in Level:
        for name in getattr(privacy, level.name.lower(), ()):
            levels[name] = level
    return levels


def mask(value: Any, level: Level) -> Any:
    """Show enough to recognise a record, nothing a person could misuse."""
    if value in (None, ""):
        return value
    if level >= Level.SENSITIVE:
        return "***"
    if isinstance(value, dt.date):
        return f"{value.year}-**-**"
    text = str(value)
    if _ISO_DATE.fullmatch(text):
        return f"{text[:4]}-**-**"
    if len(text) == 18 and text[:17].isdigit():  # citizen ID number
        return f"{text[:4]}{'*' * 10}{text[-4:]}"
    if len(text) == 11 and text.isdigit():  # mobile phone
        return f"{text[:3]}****{text[-4:]}"
    if len(text) <= 2:
        return text[0] + "*"
    return text[0] + "*" * (len(text) - 2) + text[-1]
