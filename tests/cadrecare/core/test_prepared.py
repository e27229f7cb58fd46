"""Prepared SQL (cadrecare.core.prepared): a queryset built and compiled once
per key and kept while every query its build ran returns the same rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test import override_settings

from cadrecare.core.prepared import PreparedSql
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit
from tests.conftest import Cast
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def _townships_by_id() -> QuerySet:
    """A build that reads the database (the townships' ids) and puts what it read into its SQL."""
    ids = list(OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP).values_list("id", flat=True))
    return OrgUnit.objects.filter(pk__in=ids).values_list("name", flat=True)


def _run(prepared: tuple[str | None, list[Any]]) -> set[str]:
    sql, params = prepared
    if sql is None:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def test_a_kept_build_is_not_built_again_while_its_reads_are_unchanged(cast: Cast) -> None:
    # given SQL prepared once
    cache = PreparedSql()
    first = cache.get("townships", _townships_by_id)

    # when asked again with nothing changed
    again = cache.get("townships", _townships_by_id)

    # then the same SQL comes back without a second build
    assert again == first
    assert cache.builds == 1
    assert _run(again) == {"石头乡", "鲁甸乡", "期纳镇"}


def test_a_row_the_build_read_changing_builds_it_again_on_the_next_call(cast: Cast) -> None:
    # given SQL prepared over the townships
    cache = PreparedSql()
    cache.get("townships", _townships_by_id)

    # when a township is added, then one is renamed into another kind
    OrgUnitFactory(code="530722102", name="程海镇", parent=cast.county_b)
    added = _run(cache.get("townships", _townships_by_id))
    OrgUnit.objects.filter(pk=cast.town_a2.pk).update(kind=UnitKind.COUNTY_AGENCY)
    changed = _run(cache.get("townships", _townships_by_id))

    # then each next call saw it
    assert added == {"石头乡", "鲁甸乡", "期纳镇", "程海镇"}
    assert changed == {"石头乡", "期纳镇", "程海镇"}
    assert cache.builds == 3


def test_a_row_the_build_did_not_read_changes_nothing(cast: Cast) -> None:
    # given SQL prepared over the townships' ids: the names are read when it runs, not when it is built
    cache = PreparedSql()
    cache.get("townships", _townships_by_id)

    # when a township is renamed
    OrgUnit.objects.filter(pk=cast.town_a2.pk).update(name="鲁甸镇")

    # then the kept SQL is still right, and reads the new name
    assert _run(cache.get("townships", _townships_by_id)) == {"石头乡", "鲁甸镇", "期纳镇"}
    assert cache.builds == 1


def test_each_key_keeps_its_own_sql(cast: Cast) -> None:
    cache = PreparedSql()
    a1 = cache.get(("unit", cast.town_a1.pk), lambda: OrgUnit.objects.filter(pk=cast.town_a1.pk).values_list("name"))
    b1 = cache.get(("unit", cast.town_b1.pk), lambda: OrgUnit.objects.filter(pk=cast.town_b1.pk).values_list("name"))
    assert (_run(a1), _run(b1)) == ({"石头乡"}, {"期纳镇"})


def test_a_build_that_selects_nothing_is_kept_as_nothing(cast: Cast) -> None:
    cache = PreparedSql()
    assert cache.get("none", lambda: OrgUnit.objects.filter(pk__in=[])) == (None, [])
    assert cache.get("none", lambda: OrgUnit.objects.filter(pk__in=[])) == (None, [])
    assert cache.builds == 1


def test_a_build_that_writes_is_not_kept(cast: Cast) -> None:
    def writing() -> QuerySet:
        OrgUnit.objects.filter(pk=cast.town_a1.pk).update(distance_km=7)
        return OrgUnit.objects.filter(pk=cast.town_a1.pk).values_list("name")

    cache = PreparedSql()
    cache.get("writes", writing)
    cache.get("writes", writing)
    assert cache.builds == 2


def test_the_least_recently_used_entry_goes_first() -> None:
    cache = PreparedSql(size=2)
    for key in ("a", "b", "a", "c", "a", "b"):
        cache.get(key, lambda: OrgUnit.objects.values_list("name"))
    # a, b built; a kept; c built (b dropped); a kept; b built again
    assert cache.builds == 4


def test_a_setting_changed_forgets_every_prepared_sql(cast: Cast) -> None:
    from cadrecare.core.prepared import prepared_sql

    cache = prepared_sql()
    cache.get("townships", _townships_by_id)
    with override_settings(LANGUAGE_CODE="en"):
        cache.get("townships", _townships_by_id)
    assert cache.builds == 2
