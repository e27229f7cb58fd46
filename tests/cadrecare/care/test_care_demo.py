"""The demo care data builds on the cast and keeps every rule."""

from __future__ import annotations

import random
from typing import Any

from cadrecare.care.demo import populate
from cadrecare.care.models import Facility, FamilyMember, PostAllowance, VisitObligation


def test_demo_care_data_is_deterministic_and_consistent(cast: Any) -> None:
    populate(rng=random.Random(7))

    assert FamilyMember.objects.exists()
    assert VisitObligation.objects.filter(source="family_event").exists()
    assert Facility.objects.count() == 3 * 7  # three townships in the cast
    assert PostAllowance.objects.count() == 3 * 6
