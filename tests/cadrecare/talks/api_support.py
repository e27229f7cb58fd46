"""What the must-talk API specs share: the day of the events they record."""

from __future__ import annotations

import datetime as dt

EVENT = dt.date(2025, 6, 10)
