from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cadrecare.reminders.support import review_source


@pytest.fixture
def review_source_alone() -> Iterator[None]:
    """The test source registered as the only kind of due item, for the specs
    that count reminders, deliveries and digests: an app's kinds would add
    theirs (``pytestmark = pytest.mark.usefixtures("review_source_alone")``)."""
    with review_source(alone=True):
        yield
