"""Synthetic townships for the roster benchmark, deterministic by seed.

Each problem is a format-v1 document (a dict) of 12 to 150 cadres in one of
the three modes, with leaders, offices, a never_together pair or two,
blackout dates, away ranges, partial availability spans, carry_days, pinned
blocks, prefer/avoid dates and history.  A share of them is made infeasible
on purpose, each in one known way, so that the benchmark can see whether the
solver declares them so with reasons.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MODES = ("weekly", "half_month", "monthly")
OFFICES = (
    "党政办",
    "经济发展办",
    "社会事务办",
    "应急管理办",
    "财政所",
    "国土所",
    "司法所",
    "文化站",
    "卫生院",
    "派出所",
    "农业综合服务中心",
    "退役军人服务站",
)
#: Duty ratios a county would set: near 0.6, lower where blocks are long
#: (half-month and monthly townships top out near two thirds on duty).
RATIOS = {"weekly": ("0.6", "0.62", "0.65"), "half_month": ("0.5", "0.55", "0.58"), "monthly": ("0.5", "0.55", "0.58")}


@dataclass(frozen=True)
class Case:
    """A generated problem and how it was made infeasible (empty: not on purpose)."""

    name: str
    doc: dict[str, Any]
    broken: str


def township(seed: int, size: int | None = None, mode: str | None = None, broken: str = "") -> Case:
    """One township month; `broken` names a defect from BREAKERS to plant."""
    rng = random.Random(seed)
    n = size or rng.randint(12, 150)
    mode = mode or MODES[seed % 3]
    year, month = 2027, rng.randint(1, 12)
    ndays = calendar.monthrange(year, month)[1]

    def iso(day: int) -> str:
        return dt.date(year, month, day).isoformat()

    weekends = [d for d in range(1, ndays + 1) if dt.date(year, month, d).weekday() >= 5]
    holidays = sorted(set(weekends) | set(rng.sample(range(1, ndays + 1), rng.randint(0, 3))))
    blackout = sorted(rng.sample([d for d in range(1, ndays + 1) if d not in holidays], rng.randint(0, 2)))
    offices = list(OFFICES[: max(3, min(len(OFFICES), n // 8))])
    cadres = [_cadre(rng, i, n, mode, ndays, offices, blackout, iso) for i in range(n)]
    doc: dict[str, Any] = {
        "format": "cadrecare.roster-problem/1",
        "unit": {"id": f"bench-{seed}", "name": f"基准乡{seed}"},
        "month": f"{year:04d}-{month:02d}",
        "policy": {
            "mode": mode,
            "rest_days": 8,
            "min_on_duty_ratio": float(rng.choice(RATIOS[mode])),
            # At most half the leaders kept on duty, or their rest cannot fit.
            "min_leaders_on_duty": min(rng.choice((1, 2, 2, 3)), sum(c["leader"] for c in cadres) // 2),
            "min_on_duty_per_office": 1,
            "never_together": [["c000", "c001"]] + ([["c002", "c003"]] if n > 40 else []),
            "blackout": [iso(d) for d in blackout],
        },
        "desirable": [iso(d) for d in holidays],
        "cadres": cadres,
    }
    if broken:
        BREAKERS[broken](rng, doc, ndays, iso)
    return Case(name=f"{mode}-{n}-s{seed}" + (f"-{broken}" if broken else ""), doc=doc, broken=broken)


def _cadre(
    rng: random.Random,
    i: int,
    n: int,
    mode: str,
    ndays: int,
    offices: list[str],
    blackout: list[int],
    iso: Callable[[int], str],
) -> dict[str, Any]:
    cadre: dict[str, Any] = {
        "id": f"c{i:03d}",
        # The secretary and the township head (c000, c001) lead; about a quarter do.
        "leader": i < 2 or rng.random() < 0.22,
        "office": offices[0] if i < 2 else rng.choice(offices),
        "hardship": rng.random() < 0.1,
        "prefer": [],
        "avoid": [],
        "history": {"desirable_rest_days": 0, "months": 0},
    }
    if rng.random() < 0.8:
        months = rng.randint(1, 6)
        cadre["history"] = {"desirable_rest_days": rng.randint(months * 2, months * 6), "months": months}
    roll = rng.random()
    if roll < 0.06:
        cadre["available_from"] = iso(rng.randint(5, 12))
    elif roll < 0.1:
        cadre["available_to"] = iso(rng.randint(ndays - 10, ndays - 4))
    elif roll < 0.2:
        start = rng.randint(1, ndays - 6)
        cadre["away"] = [[iso(start), iso(start + rng.randint(1, 5))]]
    elif roll < 0.25 and mode == "monthly":
        # Carry only what the mode can hold: half_month has room for two
        # blocks of 4, weekly for one block a week (four in February).
        cadre["carry_days"] = rng.randint(1, 2)
    elif roll < 0.3 and i >= 4:
        cadre["pinned"] = _pinned_block(rng, mode, ndays, blackout, iso)
    if rng.random() < 0.15:
        cadre["prefer"] = [iso(d) for d in sorted(rng.sample(range(1, ndays + 1), rng.randint(1, 3)))]
    if rng.random() < 0.1:
        cadre["avoid"] = [iso(d) for d in sorted(rng.sample(range(1, ndays + 1), rng.randint(1, 2)))]
    return cadre


def _pinned_block(
    rng: random.Random, mode: str, ndays: int, blackout: list[int], iso: Callable[[int], str]
) -> list[str]:
    """A rest block the township fixed in advance, clear of blackout dates."""
    length = {"weekly": 2, "half_month": 4, "monthly": 8}[mode]
    for _ in range(20):
        start = rng.randint(1, 16 - length) if mode == "half_month" else rng.randint(1, ndays - length + 1)
        days = list(range(start, start + length))
        if not set(days) & set(blackout):
            return [iso(d) for d in days[: rng.randint(1, length)]]
    return []


# --------------------------------------------------------------------------
# Planted defects: each makes the problem infeasible in one known way
# --------------------------------------------------------------------------


def _ratio_too_high(rng: random.Random, doc: dict[str, Any], ndays: int, iso: Callable[[int], str]) -> None:
    doc["policy"]["min_on_duty_ratio"] = 0.8


def _pinned_on_blackout(rng: random.Random, doc: dict[str, Any], ndays: int, iso: Callable[[int], str]) -> None:
    day = rng.randint(3, ndays - 3)
    doc["policy"]["blackout"] = sorted(set(doc["policy"]["blackout"]) | {iso(day)})
    doc["cadres"][5]["pinned"] = [iso(day)]


def _blackout_every_week(rng: random.Random, doc: dict[str, Any], ndays: int, iso: Callable[[int], str]) -> None:
    doc["policy"]["mode"] = "monthly"
    doc["policy"]["min_on_duty_ratio"] = 0.55
    doc["policy"]["blackout"] = [iso(d) for d in range(4, ndays + 1, 7)]


def _pair_pinned_together(rng: random.Random, doc: dict[str, Any], ndays: int, iso: Callable[[int], str]) -> None:
    for cadre in doc["cadres"][:2]:
        cadre.pop("available_from", None)
        cadre.pop("available_to", None)
        cadre["away"] = []
        cadre["pinned"] = [iso(10)]
    doc["policy"]["blackout"] = [d for d in doc["policy"]["blackout"] if d != iso(10)]


def _leaders_all_pinned(rng: random.Random, doc: dict[str, Any], ndays: int, iso: Callable[[int], str]) -> None:
    doc["policy"]["mode"] = "weekly"
    doc["policy"]["min_leaders_on_duty"] = 2
    doc["policy"]["blackout"] = []
    doc["policy"]["never_together"] = []
    leaders = [c for c in doc["cadres"] if c["leader"]]
    for c in doc["cadres"]:
        c["pinned"] = []
        c["carry_days"] = 0
    for c in leaders[: max(1, len(leaders) - 1)]:
        c.pop("available_from", None)
        c.pop("available_to", None)
        c["away"] = []
        c["pinned"] = [iso(12), iso(13)]


def _leaders_squeezed(rng: random.Random, doc: dict[str, Any], ndays: int, iso: Callable[[int], str]) -> None:
    """Only a few leaders, all needed on duty every day: none can rest at all."""
    doc["policy"]["min_leaders_on_duty"] = 3
    count = 0
    for c in doc["cadres"]:
        c["leader"] = count < 3
        count += 1


BREAKERS: dict[str, Callable[[random.Random, dict[str, Any], int, Callable[[int], str]], None]] = {
    "ratio_too_high": _ratio_too_high,
    "pinned_on_blackout": _pinned_on_blackout,
    "blackout_every_week": _blackout_every_week,
    "pair_pinned_together": _pair_pinned_together,
    "leaders_all_pinned": _leaders_all_pinned,
    "leaders_squeezed": _leaders_squeezed,
}


def suite(count: int = 60, infeasible: int = 12, first_seed: int = 1) -> list[Case]:
    """The benchmark set: `count` townships, the last `infeasible` of them broken on purpose."""
    names = sorted(BREAKERS)
    cases = [township(first_seed + i) for i in range(count - infeasible)]
    cases += [township(first_seed + count + i, broken=names[i % len(names)]) for i in range(infeasible)]
    return cases
