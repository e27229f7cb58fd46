"""Hardship cases (困难帮扶), their measures and reviews, and the care decisions that open them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadrecare.audit.services import changed_fields, written
from cadrecare.care.choices import (
    ACTIVE_HARDSHIP,
    FollowUpOutcome,
    FollowUpTrigger,
    HardshipStatus,
)
from cadrecare.care.models import (
    CareDecision,
    HardshipCase,
    HardshipMeasure,
)
from cadrecare.care.selectors import care_policy_effective
from cadrecare.care.services.common import (
    not_future,
    not_negative,
)
from cadrecare.care.services.visits import visit_obligation_create
from cadrecare.core import clock
from cadrecare.core.errors import ConflictError, DomainError
from cadrecare.health.choices import Conclusion
from cadrecare.health.models import Checkup
from cadrecare.org.models import Cadre, User
from cadrecare.rotation.choices import AbsenceKind
from cadrecare.rotation.models import Absence

# ---------------------------------------------------------------------------
# Hardship cases (困难帮扶)
# ---------------------------------------------------------------------------


def _hardship_check(case: HardshipCase, today: dt.date) -> None:
    not_future(case.opened_on, today, "opened_on", gettext_noop("登记日期"))
    if case.next_review and case.next_review < case.opened_on:
        raise DomainError(_("下次回访日期不能早于登记日期。"), field="next_review")
    if case.resolved_on is not None:
        not_future(case.resolved_on, today, "resolved_on", gettext_noop("解决日期"))
        if case.resolved_on < case.opened_on:
            raise DomainError(_("解决日期不能早于登记日期。"), field="resolved_on")


def _settle_resolution(case: HardshipCase, today: dt.date) -> None:
    """A resolved case carries its resolution date; a reopened one loses it.
    An active case always has a review date: the care policy's interval after
    its last review (or its opening) unless one was given."""
    if case.status == HardshipStatus.RESOLVED:
        case.resolved_on = case.resolved_on or today
    else:
        case.resolved_on = None
        if case.next_review is None:
            case.next_review = _review_after(case, case.last_reviewed_on or case.opened_on)


def _review_after(case: HardshipCase, day: dt.date) -> dt.date:
    months = care_policy_effective(case.cadre.unit).hardship_review_months
    return day + relativedelta(months=months)


@transaction.atomic
def hardship_case_create(
    *,
    actor: User | None,
    cadre: Cadre,
    category: str,
    opened_on: dt.date | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> HardshipCase:
    """Open a hardship case; while open or being helped the cadre counts as
    ``hardship`` for the rest roster, and its review falls due on
    ``next_review`` (by default the care policy's interval after opening)."""
    today = today or clock.today()
    case = HardshipCase(cadre=cadre, category=category, opened_on=opened_on or today, recorded_by=actor, **fields)
    _settle_resolution(case, today)
    _hardship_check(case, today)
    if case.status in ACTIVE_HARDSHIP:
        days = care_policy_effective(cadre.unit).first_contact_days
        case.first_contact_due = case.opened_on + dt.timedelta(days=days)
    case.save()
    given = ["cadre", "category", *(["opened_on"] if opened_on is not None else []), *fields]
    written(actor, request, "create", "hardship-cases", case, sorted(given))
    return case


@transaction.atomic
def hardship_first_contact_record(
    *,
    actor: User | None,
    case: HardshipCase,
    way: str,
    date: dt.date | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> HardshipCase:
    """Record the first contact with a new hardship case (及时关心问候: a
    visit, a talk or a call): its ``hardship_first_contact`` item is done."""
    today = today or clock.today()
    case = HardshipCase.objects.select_for_update().get(pk=case.pk)
    if case.first_contact_on is not None:
        raise ConflictError(
            _("该困难帮扶已于 %(first_contact_on)s 记录首次联系。")
            % {"first_contact_on": format(case.first_contact_on, "%Y-%m-%d")},
            field="date",
        )
    date = date or today
    not_future(date, today, "date", gettext_noop("联系日期"))
    if date < case.opened_on:
        raise DomainError(
            _("联系日期不能早于该困难的登记日期（%(opened_on)s）。")
            % {"opened_on": format(case.opened_on, "%Y-%m-%d")},
            field="date",
        )
    case.first_contact_on, case.first_contact_way = date, way
    case.save(update_fields=["first_contact_on", "first_contact_way", "updated_at"])
    written(actor, request, "update", "hardship-cases", case, ["first_contact_on", "first_contact_way"])
    return case


@transaction.atomic
def hardship_case_update(
    *,
    actor: User | None,
    case: HardshipCase,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> HardshipCase:
    """Change a case (status, review date, description); the cadre stays."""
    today = today or clock.today()
    fields.pop("cadre", None)
    before = {name: getattr(case, name) for name in fields}
    for name, value in fields.items():
        setattr(case, name, value)
    _settle_resolution(case, today)
    _hardship_check(case, today)
    case.save()
    written(actor, request, "update", "hardship-cases", case, changed_fields(case, before))
    return case


@transaction.atomic
def hardship_case_review(
    *,
    actor: User | None,
    case: HardshipCase,
    date: dt.date | None = None,
    next_review: dt.date | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> HardshipCase:
    """Record a review (回访) of an active case: the review due item is done
    and the next one falls due on ``next_review``, by default the care
    policy's interval after this review."""
    today = today or clock.today()
    case = HardshipCase.objects.select_for_update().select_related("cadre__unit").get(pk=case.pk)
    if case.status not in ACTIVE_HARDSHIP:
        raise DomainError(
            _("该困难帮扶已解决，无需回访；如困难再次出现，请先把状态改回待帮扶或帮扶中。"), field="status"
        )
    date = date or today
    not_future(date, today, "date", gettext_noop("回访日期"))
    if date < case.opened_on:
        raise DomainError(
            _("回访日期不能早于该困难的登记日期（%(opened_on)s）。")
            % {"opened_on": format(case.opened_on, "%Y-%m-%d")},
            field="date",
        )
    if next_review is not None and next_review <= date:
        raise DomainError(_("下次回访日期应晚于本次回访日期。"), field="next_review")
    case.last_reviewed_on = date
    case.next_review = next_review or _review_after(case, date)
    case.save(update_fields=["last_reviewed_on", "next_review", "updated_at"])
    written(actor, request, "update", "hardship-cases", case, ["last_reviewed_on", "next_review"])
    return case


@transaction.atomic
def hardship_measure_add(
    *,
    actor: User | None,
    case: HardshipCase,
    date: dt.date,
    kind: str,
    amount: Decimal = Decimal(0),
    provided_by: str,
    note: str = "",
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> HardshipMeasure:
    """Record a measure taken; the first one moves an open case to 帮扶中."""
    today = today or clock.today()
    case = HardshipCase.objects.select_for_update().get(pk=case.pk)
    not_future(date, today, "date")
    not_negative(amount, "amount")
    if date < case.opened_on:
        raise DomainError(
            _("措施日期不能早于该困难的登记日期（%(opened_on)s）。")
            % {"opened_on": format(case.opened_on, "%Y-%m-%d")},
            field="date",
        )
    measure = HardshipMeasure.objects.create(
        case=case, date=date, kind=kind, amount=amount, provided_by=provided_by, note=note
    )
    if case.status == HardshipStatus.OPEN:
        HardshipCase.objects.filter(pk=case.pk).update(status=HardshipStatus.HELPING, updated_at=timezone.now())
    written(
        actor,
        request,
        "create",
        "hardship-measures",
        measure,
        ["case", "date", "kind", "amount", "provided_by", "note"],
    )
    return measure


@transaction.atomic
def hardship_measure_update(
    *,
    actor: User | None,
    measure: HardshipMeasure,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> HardshipMeasure:
    """Correct a measure's details; the case it was taken on stays."""
    today = today or clock.today()
    fields.pop("case", None)
    before = {name: getattr(measure, name) for name in fields}
    for name, value in fields.items():
        setattr(measure, name, value)
    not_future(measure.date, today, "date")
    not_negative(measure.amount, "amount")
    if measure.date < measure.case.opened_on:
        raise DomainError(
            _("措施日期不能早于该困难的登记日期（%(opened_on)s）。")
            % {"opened_on": format(measure.case.opened_on, "%Y-%m-%d")},
            field="date",
        )
    measure.save()
    written(actor, request, "update", "hardship-measures", measure, changed_fields(measure, before))
    return measure


# ---------------------------------------------------------------------------
# Care decisions: a check-up concluding 需治疗, or a long sick leave
# ---------------------------------------------------------------------------

TRIGGER_REASON = {FollowUpTrigger.TREATMENT: "体检结论需治疗", FollowUpTrigger.SICK_LEAVE: "长期病假"}


@transaction.atomic
def care_decision_record(
    *,
    actor: User | None,
    checkup: Checkup | None = None,
    absence: Absence | None = None,
    outcome: str,
    reason: str = "",
    category: str = "",
    deadline: dt.date | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> CareDecision:
    """Decide on care for a cadre whom ``checkup`` found in need of treatment,
    or who is away on the long sick leave ``absence``: open a hardship case
    (of ``category``), open a visit obligation (by ``deadline``, else the care
    policy's days), or close with ``reason``. Either way the decision item is
    done; what was opened is chased as its own item."""
    today = today or clock.today()
    if (checkup is None) == (absence is None):
        raise DomainError(_("请指明需要跟进的体检记录或病假。"), field="checkup")
    if checkup is not None:
        checkup = Checkup.objects.select_for_update().select_related("cadre__unit").get(pk=checkup.pk)
        if checkup.conclusion != Conclusion.TREATMENT:
            raise DomainError(_("只有总体结论为“需治疗”的体检需要作出关怀决定。"), field="checkup")
        trigger, cadre, taken = FollowUpTrigger.TREATMENT, checkup.cadre, CareDecision.objects.filter(checkup=checkup)
    elif absence is not None:  # exactly one of the two, checked above
        absence = Absence.objects.select_for_update().select_related("cadre__unit").get(pk=absence.pk)
        days = care_policy_effective(absence.cadre.unit).sick_leave_days
        if absence.kind != AbsenceKind.SICK_LEAVE or (absence.end - absence.start).days + 1 <= days:
            raise DomainError(_("只有超过 %(days)s 天的病假需要作出关怀决定。") % {"days": days}, field="absence")
        trigger, cadre, taken = FollowUpTrigger.SICK_LEAVE, absence.cadre, CareDecision.objects.filter(absence=absence)
    if taken.exists():
        raise ConflictError(_("已对此作出关怀决定，无需重复登记。"), field="outcome")
    reason = reason.strip()
    decision = CareDecision(
        cadre=cadre,
        trigger=trigger,
        checkup=checkup,
        absence=absence,
        outcome=outcome,
        reason=reason,
        decided_on=today,
        decided_by=actor,
    )
    if outcome == FollowUpOutcome.HARDSHIP:
        if not category:
            raise DomainError(_("登记困难帮扶请选择困难类别。"), field="category")
        decision.hardship_case = hardship_case_create(
            actor=actor, cadre=cadre, category=category, description=reason, today=today, request=request
        )
    elif outcome == FollowUpOutcome.VISIT:
        decision.visit_obligation = visit_obligation_create(
            actor=actor,
            cadre=cadre,
            reason=TRIGGER_REASON[trigger],
            event_date=checkup.date if checkup is not None else min(absence.start, today),  # type: ignore[union-attr]
            deadline=deadline,
            today=today,
            request=request,
        )
    elif not reason:
        raise DomainError(_("不需要跟进时请填写理由。"), field="reason")
    decision.save()
    given = {"checkup": checkup, "absence": absence, "outcome": outcome, "reason": reason, "category": category}
    fields = [name for name, value in {**given, "deadline": deadline}.items() if value]
    written(actor, request, "create", "care-decisions", decision, fields)
    return decision
