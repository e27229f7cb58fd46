"""Sensitivity levels of personal information and how a value is masked.

Every model field declares its level in the model's inner ``Privacy`` class
(basic / personal / sensitive, after PIPL art. 28 and GB/T 35273 7.2);
``tests/cadrecare/core/test_privacy.py`` fails when a field has none. What a
role may see unmasked is said per resource in ``cadrecare.org.access.ACCESS``.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

MASK = "***"


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
    """A value the reader may not see: nothing of it shows, not even a first
    character or a birth year (a kept ``残*`` or ``住**疗`` told the value)."""
    if value in (None, ""):
        return value
    return MASK


def filter_level(model: type[models.Model], path: str) -> Level:
    """The level a reader needs to filter or order ``model`` by ``path``
    (``cadre__unit__name``): the highest level along it. A model whose rows
    may raise their fields (``Privacy.rows_may_raise_to``: a child's details
    are sensitive) counts at that level, for a filter works across all rows."""
    level = Level.BASIC
    current: type[models.Model] | None = model
    for part in path.split("__"):
        if current is None:
            break
        declared = field_levels(current).get(part, Level.BASIC)
        raised = getattr(getattr(current, "Privacy", None), "rows_may_raise_to", None)
        if raised is not None and declared > Level.BASIC:
            declared = max(declared, raised)
        level = max(level, declared)
        try:
            related = current._meta.get_field(part).related_model
        except FieldDoesNotExist:
            break
        current = related if isinstance(related, type) else None  # a model class, None for a plain field
    return level
