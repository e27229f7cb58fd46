"""Every registered source projects the due-item columns with the same types,
so their UNION runs on PostgreSQL whichever order the apps registered in (two
untyped NULLs ahead of a date once made every due-items list fail)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from cadrecare.reminders.sources import COLUMNS, SOURCES, due_items

pytestmark = pytest.mark.django_db


def _column_types(kind: str) -> list[int]:
    query = SOURCES[kind].items(today=dt.date(2027, 3, 1)).order_by().values_list(*COLUMNS)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({sql}) AS items LIMIT 0", params)
        return [column.type_code for column in cursor.description]


def test_every_source_gives_each_column_one_type() -> None:
    types = {kind: _column_types(kind) for kind in SOURCES}
    first, *_ = types.values()
    assert {kind: found for kind, found in types.items() if found != first} == {}


def test_the_union_of_every_source_runs_in_any_order() -> None:
    assert list(due_items(today=dt.date(2027, 3, 1))) == []


def test_the_organization_departments_own_follow_through_is_among_the_sources() -> None:
    # the exchange review, the yearly interview plan and the head's township visits (cadrecare.oversight)
    assert {"transfer_decision", "interview_plan", "field_visit"} <= set(SOURCES)
    assert {SOURCES[kind].resource for kind in ("transfer_decision", "interview_plan", "field_visit")} == {
        "transfer-reviews",
        "interview-plans",
        "field-visits",
    }


def test_the_follow_through_kinds_join_the_union_under_their_resources() -> None:
    # a new hardship case's first contact, the HR officer's care decisions and the post-allowance chase
    follow_through = {
        "hardship_first_contact": "hardship-cases",
        "treatment_follow_up": "care-decisions",
        "sick_leave_follow_up": "care-decisions",
        "post_allowance_chase": "post-allowances",
    }

    assert {kind: SOURCES[kind].resource for kind in follow_through} == follow_through
    assert all(_column_types(kind) == _column_types("checkup") for kind in follow_through)
