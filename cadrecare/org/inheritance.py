"""The nearest setting up the organisation tree: the one rule by which a
unit without a policy of its own follows the nearest unit above it that has
one (rotation, health, talks, care and reminder policies alike; docs/architecture.md).

A setting is keyed by the materialised path of the unit that set it. Three
forms of the same rule, one for each place it is asked in:

- ``nearest_first``: a queryset of settings narrowed to a unit's own and its
  ancestors', the nearest unit's first (one unit, one query);
- ``nearest``: the same, in Python, over settings already read into a mapping
  (many units, one read);
- ``nearest_case``: the same, in SQL, per row of a queryset (a CASE over the
  few units that set it, deepest first, so the first path a row's unit lies
  under is its nearest).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db.models import Case, Field, Model, QuerySet, When

from cadrecare.org.models import ancestor_paths

M = TypeVar("M", bound=Model)
T = TypeVar("T")


def nearest_first(settings: QuerySet[M], path: str, *, unit_path: str = "unit__path") -> QuerySet[M]:
    """``settings`` set on the unit at ``path`` or on a unit above it, the
    nearest unit's first (ancestors' paths are prefixes, so the longest is the
    nearest); order further with ``.order_by`` on the result's ordering."""
    return settings.filter(**{f"{unit_path}__in": ancestor_paths(path)}).order_by(f"-{unit_path}")


def nearest(path: str, by_path: Mapping[str, T], default: T) -> T:
    """The setting of the nearest unit at or above ``path`` among ``by_path``
    (unit path -> setting), else ``default``."""
    return next((by_path[p] for p in ancestor_paths(path) if p in by_path), default)


def nearest_case(unit_path: str, by_path: Mapping[str, Any], default: Any, output_field: Field) -> Case:
    """``nearest`` in SQL for each row whose unit's path is the field
    ``unit_path``: ``by_path`` maps a unit path to the value (an expression)
    rows under that unit take."""
    whens = [
        When(**{f"{unit_path}__startswith": path}, then=value)
        for path, value in sorted(by_path.items(), key=lambda item: (-len(item[0]), item[0]))
    ]
    return Case(*whens, default=default, output_field=output_field)
