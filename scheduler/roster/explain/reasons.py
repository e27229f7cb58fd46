"""A reason as the library reports it, and the rules' short Chinese names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..problem import Reason


def _reason(
    rule: int,
    zh: str,
    en: str,
    dates: Iterable[dt.date] = (),
    cadres: Iterable[str] = (),
    offices: Iterable[str] = (),
) -> Reason:
    return Reason(rule=rule, zh=zh, en=en, dates=tuple(dates), cadres=tuple(cadres), offices=tuple(offices))


_RULE_ZH = {3: "禁休日", 4: "在岗比例", 5: "领导在岗人数", 6: "站所在岗人数", 7: "不得同日休息", 8: "固定休息日"}
