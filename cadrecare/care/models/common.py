"""What the care models share."""

from __future__ import annotations

from typing import Any

# Money in yuan, to the fen: the amounts of visits, hardship measures and post allowances.
MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}
