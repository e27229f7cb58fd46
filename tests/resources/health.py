"""Health's resources: check-up policies, check-ups, archives, what is due and campaigns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.health.services import campaign_plan
from cadrecare.org.choices import UnitKind
from tests.factories import CheckupFactory, CheckupPolicyFactory, OrgUnitFactory
from tests.resources.common import Factory, ResourceCase


def _campaign_in(unit_attr: str, cadre_attr: str) -> Factory:
    def make(cast: Any) -> Any:
        return campaign_plan(
            actor=None,
            unit=getattr(cast, unit_attr),
            name="2026年度体检",
            date_from=dt.date(2026, 3, 1),
            date_to=dt.date(2026, 3, 31),
            institution="县人民医院",
            cadres=[getattr(cast, cadre_attr)],
        )

    return make


CASES: list[ResourceCase] = [
    ResourceCase(
        "checkup-policies",
        make_in=lambda c: CheckupPolicyFactory(unit=c.town_a1),
        make_out=lambda c: CheckupPolicyFactory(unit=c.town_b1),
        payload=lambda c: {
            "unit": OrgUnitFactory(kind=UnitKind.VILLAGE, parent=c.town_a1).pk,
            "interval_months": 6,
            "reminder_days": [30, 7],
        },
        update=lambda c: {"interval_months": 24},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "health-checkups",
        make_in=lambda c: CheckupFactory(cadre=c.cadre_a1),
        make_out=lambda c: CheckupFactory(cadre=c.cadre_b1),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "date": "2025-09-01",
            "institution": "玉龙县人民医院",
            "kind": "annual",
            "cost": "380.00",
            "conclusion": "normal",
            "findings": "未见异常",
        },
        update=lambda c: {"institution": "丽江市中医医院"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "health-archives",
        make_in=lambda c: c.cadre_a1,
        make_out=lambda c: c.cadre_b1,
        methods=frozenset({"retrieve"}),
    ),
    ResourceCase(
        "checkup-due",
        make_in=lambda c: c.cadre_a1,
        make_out=lambda c: c.cadre_b1,
        methods=frozenset({"list"}),
    ),
    ResourceCase(
        "checkup-campaigns",
        make_in=_campaign_in("town_a1", "cadre_a1"),
        make_out=_campaign_in("town_b1", "cadre_b1"),
        payload=lambda c: {
            "unit": c.town_a1.pk,
            "name": "石头乡2026年度体检",
            "date_from": "2026-04-01",
            "date_to": "2026-04-30",
            "institution": "玉龙县人民医院",
            "cadres": [c.cadre_a1.pk],
        },
        update=lambda c: {"note": "分两批进行"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
]
