"""Explanations of a roster for the secretary who answers for it:
why a cadre rests on their days, why a date has this many resting and this
many on duty, what an edit did to the quality metrics, and how the roster
came to be as it is (its versions: who changed what, and why).

Reads only. The solver library works the explanations out
(``scheduler.roster.why``) from a version's stored problem and rest days, the
same problem and days the rule check and the metrics read; this module loads
them and puts in what only the database knows: names, the policy's reasons
for its blackout dates, holiday names and the weekend record of earlier
months. Sentences come in Chinese with English beside them, as the solver's
reasons do; labels follow the request's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from cadrecare.core.errors import ConflictError, DomainError
from cadrecare.core.i18n import choice_label, zh_or_en
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.models import Cadre
from cadrecare.reminders.services import person_names
from cadrecare.rotation.choices import HolidayKind, Mode, RequestKind, SolverStatus
from cadrecare.rotation.holiday_calendar import day_type
from cadrecare.rotation.models import HolidayDay, Roster, RosterVersion, RotationPolicy
from cadrecare.rotation.problem import (
    cadre_key,
    cadre_pk,
    desirable_rest_by_month,
    problem_from_stored,
    with_names,
)
from cadrecare.rotation.selectors import county_bounds, policy_in_force
from scheduler import roster as solver

DAY_KIND_NAMES = {
    "desirable": ("周末或节假日", "weekend or holiday"),
    "workday": ("工作日", "workday"),
    "blackout": ("禁休日", "blackout date"),
}


def version_rest(version: RosterVersion) -> dict[str, list[dt.date]]:
    """A version's rest days by problem cadre id, from its solution (written
    in the same transaction as its days, and equal to them)."""
    rest = (version.solution or {}).get("rest", {})
    return {key: [dt.date.fromisoformat(day) for day in days] for key, days in rest.items()}


def version_month(version: RosterVersion) -> solver.Month:
    """The version's problem as the solver library reads it (day numbers, rule 1 worked out)."""
    return solver.month_of(problem_from_stored(version.problem))


def _explained_version(roster: Roster) -> RosterVersion:
    if roster.current is None:
        raise ConflictError(_("该排班还没有生成任何版本，无从说明。"), field="roster")
    if roster.current.solver_status == SolverStatus.INFEASIBLE:
        raise ConflictError(_("该排班没有可行方案，排不出的原因见排班的 reasons。"), field="roster")
    return roster.current


def _names(month: solver.Month) -> dict[str, str]:
    ids = [cadre_pk(c.id) for c in month.cadres]
    return {cadre_key(pk): name for pk, name in Cadre.objects.filter(pk__in=ids).values_list("pk", "name")}


def _blackout_reasons(roster: Roster, month: solver.Month) -> dict[dt.date, str]:
    """The reason the policy gives for each blackout date of the version (the
    policy in force now: a date it no longer names goes without one)."""
    policy = policy_in_force(unit=roster.unit, month=roster.month)
    reasons: dict[dt.date, str] = {}
    for span in policy.blackout if policy else ():
        first, last = dt.date.fromisoformat(span["from"]), dt.date.fromisoformat(span["to"])
        for day in month.blackout:
            if first <= month.date(day) <= last:
                reasons.setdefault(month.date(day), span["reason"])
    return reasons


def _number(value: int | Fraction) -> int | float:
    return value if isinstance(value, int) else round(float(value), 4)


def _note(note: solver.Note, names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "topic": note.topic,
        "rule": note.rule,
        "rule_label": zh_or_en(*solver.RULE_NAMES[note.rule]) if note.rule else "",
        "message": with_names(note.zh, names),
        "message_en": with_names(note.en, names),
        "dates": [d.isoformat() for d in note.dates],
        "cadres": [{"id": cadre_pk(key), "name": names.get(key, key)} for key in note.cadres],
        "offices": list(note.offices),
    }


def _changes(changes: Sequence[solver.MetricChange]) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "label": zh_or_en(*solver.METRIC_NAMES[c.name]),
            "before": _number(c.before),
            "after": _number(c.after),
            "verdict": c.verdict,
        }
        for c in changes
    ]


# ---------------------------------------------------------------------------
# A cadre: why these days
# ---------------------------------------------------------------------------


def roster_explain_cadre(*, roster: Roster, cadre_id: int) -> dict[str, Any]:
    """Why a cadre of the roster rests on their days: their wishes honoured or
    not and why, their weekend and holiday rest against the township's and in
    earlier months, and the rules that bind them. A cadre not on the roster
    is a 400 naming the parameter."""
    version = _explained_version(roster)
    month = version_month(version)
    key = cadre_key(cadre_id)
    cadre = Cadre.objects.select_related("office").filter(pk=cadre_id).first()
    if key not in month.by_id() or cadre is None:
        raise DomainError(_("编号为 %(cadre_id)s 的干部不在这份排班中。") % {"cadre_id": cadre_id}, field="cadre")
    why = solver.why_cadre(month, version_rest(version), key, _blackout_reasons(roster, month))
    names = _names(month)
    record = desirable_rest_by_month(roster.unit, [cadre_id], roster.month).get(cadre_id, {})
    mode = month.mode
    return {
        "roster": roster.pk,
        "version": version.number,
        "month": f"{roster.month:%Y-%m}",
        "cadre": {
            "id": cadre.pk,
            "name": cadre.name,
            "office": cadre.office.name if cadre.office else "",
            "leader": month.by_id()[key].cadre.leader,
        },
        "mode": mode,
        "mode_label": choice_label(Mode(mode).label),
        "rest": [d.isoformat() for d in why.rest],
        "blocks": [{"start": a.isoformat(), "end": b.isoformat(), "days": (b - a).days + 1} for a, b in why.blocks],
        "entitled": why.entitled,
        "available_days": why.available_days,
        "carry_days": why.carry_days,
        "desirable_rest": {
            "dates": [d.isoformat() for d in why.desirable_rested],
            "this_month": len(why.desirable_rested),
            "history_days": _number(why.history_days),
            "history_months": why.history_months,
            "per_month": _number(why.rate),
            "township_lowest": _number(why.lowest_rate),
            "township_highest": _number(why.highest_rate),
            "record": [{"month": f"{m:%Y-%m}", "days": days} for m, days in sorted(record.items())],
        },
        "wishes": [
            {
                "date": w.date.isoformat(),
                "kind": w.kind,
                "kind_label": choice_label(RequestKind(w.kind).label),
                "honoured": w.honoured,
                **_note(w.why, names),
                "alternative": [d.isoformat() for d in w.alternative],
                "costs": _changes(w.costs),
            }
            for w in why.wishes
        ],
        "rules": [_note(note, names) for note in why.notes],
    }


# ---------------------------------------------------------------------------
# A date: why this many rest or work
# ---------------------------------------------------------------------------


def roster_explain_date(*, roster: Roster, date: dt.date) -> dict[str, Any]:
    """Why this many rest and this many are on duty on a date of the roster:
    the share on duty against the policy's minimum, leaders, offices,
    blackouts, never-together pairs, pins and wishes, and whether it is a
    weekend or holiday (more rest is the point) or a workday (steady rest).
    ``date`` lies in the roster's month (the API checks it)."""
    version = _explained_version(roster)
    month = version_month(version)
    why = solver.why_date(month, version_rest(version), date, _blackout_reasons(roster, month))
    names = _names(month)
    holiday = HolidayDay.objects.filter(date=date).values_list("kind", "name").first()
    kind_of_day = day_type(date, holiday[0] if holiday else None)

    def people(keys: Sequence[str]) -> list[dict[str, Any]]:
        return [{"id": cadre_pk(key), "name": names.get(key, key)} for key in keys]

    return {
        "roster": roster.pk,
        "version": version.number,
        "date": date.isoformat(),
        "kind": why.kind,
        "kind_label": zh_or_en(*DAY_KIND_NAMES[why.kind]),
        "day_type": kind_of_day.value,
        "day_type_label": choice_label(kind_of_day.label),
        "holiday_name": holiday[1] if holiday and holiday[0] == HolidayKind.HOLIDAY else "",
        "available": len(why.available),
        "resting": len(why.resting),
        "on_duty": len(why.available) - len(why.resting),
        "away": len(why.away),
        "need_on_duty": why.need_on_duty,
        "max_resting": len(why.available) - why.need_on_duty,
        "leaders": {"available": why.leaders_available, "on_duty": why.leaders_on_duty, "need": why.leaders_need},
        "offices": [
            {
                "office": o.office,
                "available": o.available,
                "on_duty": o.on_duty,
                "need": o.need,
                "at_minimum": bool(o.need) and o.on_duty == o.need,
            }
            for o in why.offices
        ],
        "resting_cadres": people(why.resting),
        "away_cadres": people(why.away),
        "notes": [_note(note, names) for note in why.notes],
    }


# ---------------------------------------------------------------------------
# An edit: the metrics before and after
# ---------------------------------------------------------------------------


def metrics_change(*, before: RosterVersion | None, after: RosterVersion) -> dict[str, Any] | None:
    """The four quality metrics (v2) of the version an edit started from and
    of the one it wrote, both judged now by the library's check, so that a
    version solved under metrics v1 compares like with like; None when there
    was nothing to compare with."""
    if before is None or before.solver_status == SolverStatus.INFEASIBLE:
        return None
    old = solver.check(version_month(before), version_rest(before)).metrics
    new = solver.check(version_month(after), version_rest(after)).metrics
    changes = solver.metric_changes(old, new)
    note = solver.change_note(changes)
    return {
        "before": old.to_json(),
        "after": new.to_json(),
        "verdict": solver.overall(changes),
        "metrics": _changes(changes),
        "message": note.zh,
        "message_en": note.en,
    }


# ---------------------------------------------------------------------------
# The version history: who changed what, and why
# ---------------------------------------------------------------------------


def roster_version_history(*, roster: Roster, versions: Sequence[RosterVersion]) -> list[dict[str, Any]]:
    """Each of ``versions`` (newest first, a page of them) with who wrote it,
    when, how (solved, edited, amended after publishing: the note says what
    and why) and whose rest days it changed from the version before."""
    numbers = {v.number - 1 for v in versions} - {v.number for v in versions}
    earlier = {v.number: v for v in roster.versions.filter(number__in=numbers).only("number", "solution")}
    by_number = {v.number: v for v in versions} | earlier
    authors = person_names(v.created_by_id for v in versions if v.created_by_id)
    keys = {key for v in by_number.values() for key in (v.solution or {}).get("rest", {})}
    names = dict(Cadre.objects.filter(pk__in=[cadre_pk(k) for k in keys]).values_list("pk", "name"))
    rows = []
    for version in versions:
        previous = by_number.get(version.number - 1)
        rows.append(
            {
                "number": version.number,
                "current": version.pk == roster.current_id,
                "created_at": version.created_at,
                "created_by": (
                    {"id": version.created_by_id, "name": authors.get(version.created_by_id, "")}
                    if version.created_by_id
                    else None
                ),
                "solver_status": version.solver_status,
                "solver_status_label": choice_label(version.get_solver_status_display()),
                "note": version.note,
                "metrics": version.metrics,
                "metrics_version": version.metrics_version,
                "changes": _rest_changes(previous, version, names) if previous else [],
            }
        )
    return rows


def _rest_changes(before: RosterVersion, after: RosterVersion, names: Mapping[int, str]) -> list[dict[str, Any]]:
    """Per cadre whose rest days differ between two versions: the days dropped and the days added."""
    old, new = version_rest(before), version_rest(after)
    out = []
    for key in sorted(set(old) | set(new), key=cadre_pk):
        dropped = sorted(set(old.get(key, ())) - set(new.get(key, ())))
        added = sorted(set(new.get(key, ())) - set(old.get(key, ())))
        if dropped or added:
            out.append(
                {
                    "cadre": cadre_pk(key),
                    "name": names.get(cadre_pk(key), key),
                    "removed": [d.isoformat() for d in dropped],
                    "added": [d.isoformat() for d in added],
                }
            )
    return out


# The policy settings each hard rule (docs/roster-format.md) answers to; 8,
# a pinned date, is the roster's own edit, not the policy's.
RULE_SETTINGS: dict[int, tuple[str, ...]] = {
    0: ("min_on_duty_ratio", "blackout"),
    1: ("rest_days", "blackout"),
    2: ("mode", "blackout"),
    3: ("blackout",),
    4: ("min_on_duty_ratio",),
    5: ("min_leaders_on_duty",),
    6: ("min_on_duty_per_office",),
    7: ("never_together", "principal_leaders_apart"),
}


def reasons_for_reader(*, roster: Roster, reasons: Sequence[Mapping[str, Any]], user: Any) -> list[dict[str, Any]]:
    """The infeasibility reasons, each with a ``remedy`` for this reader: the
    policy settings they can change themself, and whom to ask for the rest
    (the township's secretary for its own policy, the county's organization
    department for the bounds and blackout dates the county sets)."""
    unit = roster.unit
    bounds = county_bounds(unit=unit, month=roster.month)
    writes_own = scoping.may_in_unit(user, "rotation-policies", ADD, unit)
    writes_county = bounds is not None and scoping.may_in_unit(user, "rotation-policies", ADD, bounds.unit)
    label = {
        field.name: choice_label(str(field.verbose_name))
        for field in RotationPolicy._meta.concrete_fields
        if field.name in RotationPolicy.POLICY_SETTINGS
    }
    answered = []
    for reason in reasons:
        settings = RULE_SETTINGS.get(int(reason.get("rule", 0)), ())
        county_held = _county_held(bounds, settings, reason) if bounds is not None and not writes_county else []
        parts = []
        names = _("、").join(label[s] for s in settings)
        if not settings:
            parts.append(_("请在排班中取消或移动固定的休息日。"))
        elif writes_own or writes_county:
            parts.append(_("您可以在%(unit)s的轮休政策中调整：%(settings)s。") % {"unit": unit.name, "settings": names})
        else:
            parts.append(
                _("请联系%(unit)s党委书记调整轮休政策中的%(settings)s。") % {"unit": unit.name, "settings": names}
            )
        if county_held and bounds is not None:  # only the county's bounds hold settings
            parts.append(
                _("以下由%(county)s规定，需请%(county)s委组织部调整：%(held)s。")
                % {"county": bounds.unit.name, "held": _("；").join(county_held)}
            )
        answered.append({**reason, "remedy": zh_or_en("", " ").join(parts)})
    return answered


def _county_held(bounds: Any, settings: Sequence[str], reason: Mapping[str, Any]) -> list[str]:
    """What of ``settings`` the county's bounds hold for this reason's dates."""
    held = []
    if "mode" in settings and bounds.township_modes:
        modes = _("、").join(choice_label(Mode(mode).label) for mode in bounds.township_modes)
        held.append(_("可选的轮休模式（%(modes)s）") % {"modes": modes})
    if "min_on_duty_ratio" in settings and bounds.township_min_ratio is not None:
        held.append(_("最低在岗比例不得低于 %(least)s") % {"least": bounds.township_min_ratio})
    if "blackout" in settings:
        dates = {dt.date.fromisoformat(day) for day in reason.get("dates", ())}
        for span in bounds.blackout:
            start, end = dt.date.fromisoformat(span["from"]), dt.date.fromisoformat(span["to"])
            if not dates or any(start <= day <= end for day in dates):
                held.append(
                    _("禁休日 %(start)s 至 %(end)s（%(reason)s）")
                    % {"start": span["from"], "end": span["to"], "reason": span["reason"]}
                )
    return held
