"""Fixtures for the workbench's roster page specs: quick solves and a solved draft."""

from __future__ import annotations

from typing import Any

import pytest

from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import Mode
from cadrecare.rotation.models import Roster
from tests.cadrecare.rotation.conftest import solved_draft


@pytest.fixture(autouse=True)
def _quick_solves(settings: Any) -> None:
    settings.ROTATION_SOLVE_SECONDS = 3


@pytest.fixture
def draft(cast: Any) -> tuple[Roster, list[Cadre]]:
    """石头乡 (the secretary's township) with a solved weekly draft of March 2027."""
    return solved_draft(cast, Mode.WEEKLY)
