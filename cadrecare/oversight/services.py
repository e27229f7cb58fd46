"""Writes of the oversight records: open a county's yearly exchange review
and decide each candidate, plan a county's yearly interviews and record them,
record the organization-department head's township visits and set how often
a county's head must make them. Each is keyword
only, actor first, and owns its transaction: it checks that the record's unit
is in the actor's scope and writes the write's one audit row (``request``, when
given, names the request in it), so the API and the workbench share one write path.

The listeners at the end keep the plans true to the post history: the post
change that moves a candidate out of the township closes the decision as done,
a talk by a plan's interviewer closes the cadre's line, and a cadre leaving the
township or the service leaves the plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.audit.services import audit_change, changed_fields, written
from cadrecare.care import selectors as care_selectors
from cadrecare.core import clock
from cadrecare.core.errors import ConflictError, DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.org.access import ADD, CHANGE
from cadrecare.org.choices import SECTION_LEVEL_RANKS, CadreStatus, EndReason, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, PostChange, User
from cadrecare.org.scoping import require_placement
from cadrecare.org.services import ServiceEnded, open_items_cancel
from cadrecare.oversight.choices import DECIDABLE_OUTCOMES, LineStatus, TransferOutcome, VisitCadence
from cadrecare.oversight.models import (
    FieldVisit,
    FieldVisitPolicy,
    InterviewPlan,
    InterviewPlanLine,
    TransferDecision,
    TransferReview,
)
from cadrecare.talks.models import Talk
from cadrecare.talks.services import talk_record


def _require_county(unit: OrgUnit) -> None:
    if unit.kind != UnitKind.COUNTY:
        raise DomainError(gettext("请选择县（区）。"), field="county")


def _given(**values: object) -> list[str]:
    """The names of a create's values that were given (not None): its audit row's fields."""
    return sorted(name for name, value in values.items() if value is not None)


def _require_year(year: int, today: dt.date) -> None:
    if not today.year - 1 <= year <= today.year + 1:
        raise DomainError(
            gettext("年度应在%(value)s年到%(value2)s年之间。") % {"value": today.year - 1, "value2": today.year + 1},
            field="year",
        )


# ---------------------------------------------------------------------------
# Exchange reviews
# ---------------------------------------------------------------------------


@transaction.atomic
def transfer_review_open(
    *,
    actor: User | None,
    county: OrgUnit,
    year: int,
    decide_by: dt.date | None = None,
    min_years: Decimal = Decimal(5),
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> TransferReview:
    """Open the county's review of ``year``: every exchange candidate of the
    county (section-level, ``min_years`` or more in remote townships) becomes a
    decision to make by ``decide_by`` (default: three months from today)."""
    require_placement(actor, "transfer-reviews", ADD, county, field="county")  # first: its candidates are personal
    fields = _given(county=county, year=year, decide_by=decide_by, min_years=min_years)
    today = today or clock.today()
    _require_county(county)
    _require_year(year, today)
    if not 0 <= min_years <= 50:
        raise DomainError(gettext("年限应在0到50之间。"), field="min_years")
    decide_by = decide_by or today + dt.timedelta(days=90)
    if decide_by < today:
        raise DomainError(gettext("研判截止日期不能早于今天。"), field="decide_by")
    if TransferReview.objects.filter(county=county, year=year).exists():
        raise DomainError(
            gettext("%(name)s%(year)s年的交流研判已建立。") % {"name": county.name, "year": year}, field="year"
        )
    candidates = care_selectors.transfer_candidates(
        care_selectors.transfer_candidate_queryset().filter(unit__parent=county),
        years=float(min_years),
        grades=care_selectors.REMOTE_GRADES,
        today=today,
    )
    review = TransferReview.objects.create(
        county=county, year=year, min_years=min_years, decide_by=decide_by, created_by=actor
    )
    TransferDecision.objects.bulk_create(
        TransferDecision(
            review=review,
            cadre=cadre,
            township_id=cadre.unit_id,
            remote_years=Decimal(str(round(cadre.remote_years, 1))),  # type: ignore[attr-defined]
        )
        for cadre in candidates
    )
    audit_change(
        actor=actor, action="create", resource="transfer-reviews", record=review, fields=fields, request=request
    )
    return review


@transaction.atomic
def transfer_review_update(
    *, actor: User, review: TransferReview, decide_by: dt.date, request: HttpRequest | None = None
) -> TransferReview:
    """Move the review's deadline (the candidates stay as taken in)."""
    if decide_by < clock.today():
        raise DomainError(gettext("研判截止日期不能早于今天。"), field="decide_by")
    before = {"decide_by": review.decide_by}
    review.decide_by = decide_by
    review.save(update_fields=["decide_by"])
    written(actor, request, "update", "transfer-reviews", review, changed_fields(review, before))
    return review


@transaction.atomic
def transfer_decision_record(
    *,
    actor: User | None,
    decision: TransferDecision,
    outcome: str,
    reason: str = "",
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> TransferDecision:
    """Decide one candidate: propose the exchange, defer it (with the reason)
    or note that the cadre declined. A done exchange stays done. Its township
    must be one the actor may decide in."""
    decision = TransferDecision.objects.select_for_update().get(pk=decision.pk)
    require_placement(actor, "transfer-reviews", "decide", decision, field="outcome")
    if outcome not in DECIDABLE_OUTCOMES:
        raise DomainError(
            gettext("研判结果只能是拟交流、暂缓交流或本人不愿交流；已交流由职务变动自动登记。"), field="outcome"
        )
    if decision.outcome == TransferOutcome.DONE:
        raise DomainError(gettext("该干部已交流，不能再更改研判结果。"), field="outcome")
    reason = reason.strip()
    if outcome == TransferOutcome.DEFERRED and not reason:
        raise DomainError(gettext("暂缓交流请写明理由。"), field="reason")
    decision.outcome = outcome
    decision.reason = reason
    decision.decided_on = today or clock.today()
    decision.decided_by = actor
    decision.save(update_fields=["outcome", "reason", "decided_on", "decided_by"])
    audit_change(
        actor=actor,
        action="update",
        resource="transfer-reviews",
        record=decision,
        fields=["outcome", "reason", "decided_on"],
        request=request,
    )
    return decision


# ---------------------------------------------------------------------------
# Yearly interview plans (定期约谈)
# ---------------------------------------------------------------------------


def _plan_cadres(county: OrgUnit) -> list[tuple[int, int]]:
    """(cadre, township) of every serving section-level cadre of the county's townships."""
    return list(
        Cadre.objects.filter(
            unit__parent=county,
            unit__kind=UnitKind.TOWNSHIP,
            unit__active=True,
            status=CadreStatus.SERVING,
            rank__in=SECTION_LEVEL_RANKS,
        )
        .order_by("unit__path", "id")
        .values_list("id", "unit_id")
    )


@transaction.atomic
def interview_plan_create(
    *,
    actor: User | None,
    county: OrgUnit,
    year: int,
    checkpoints: int,
    interviewers: Sequence[User],
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> InterviewPlan:
    """Plan the county's interviews of ``year``: one line per section-level
    cadre of its townships, each closed by a talk with one of ``interviewers``."""
    require_placement(actor, "interview-plans", ADD, county, field="county")
    today = today or clock.today()
    _require_county(county)
    _require_year(year, today)
    if not interviewers:
        raise DomainError(gettext("请至少选择一名约谈人。"), field="interviewers")
    if InterviewPlan.objects.filter(county=county, year=year).exists():
        raise DomainError(
            gettext("%(name)s%(year)s年的定期约谈计划已建立。") % {"name": county.name, "year": year}, field="year"
        )
    cadres = _plan_cadres(county)
    if not cadres:
        raise DomainError(gettext("该县（区）的乡镇没有在职的科级干部。"), field="county")
    plan = InterviewPlan.objects.create(county=county, year=year, checkpoints=checkpoints, created_by=actor)
    plan.interviewers.set(interviewers)
    InterviewPlanLine.objects.bulk_create(
        InterviewPlanLine(plan=plan, cadre_id=cadre, township_id=township) for cadre, township in cadres
    )
    # A talk held earlier in the year by an interviewer counts already.
    for talk in Talk.objects.filter(talkee_id__in=[c for c, _ in cadres], date__year=year, talkers__in=interviewers):
        interview_lines_close_for_talk(talk)
    fields = _given(county=county, year=year, checkpoints=checkpoints, interviewers=interviewers)
    audit_change(actor=actor, action="create", resource="interview-plans", record=plan, fields=fields, request=request)
    return plan


@transaction.atomic
def interview_plan_update(
    *,
    actor: User,
    plan: InterviewPlan,
    checkpoints: int | None = None,
    interviewers: Sequence[User] | None = None,
    request: HttpRequest | None = None,
) -> InterviewPlan:
    """Change a plan's checkpoints or its interviewers (its lines stay)."""
    changed = []
    if checkpoints is not None:
        changed += ["checkpoints"] if checkpoints != plan.checkpoints else []
        plan.checkpoints = checkpoints
        plan.save(update_fields=["checkpoints"])
    if interviewers is not None:
        if not interviewers:
            raise DomainError(gettext("请至少选择一名约谈人。"), field="interviewers")
        changed += ["interviewers"] if _pks(interviewers) != _pks(plan.interviewers.all()) else []
        plan.interviewers.set(interviewers)
    written(actor, request, "update", "interview-plans", plan, changed)
    return plan


def _pks(users: Iterable[User]) -> set[int]:
    return {user.pk for user in users}


@transaction.atomic
def interview_record(
    *,
    actor: User,
    plan: InterviewPlan,
    cadre: Cadre,
    date: dt.date,
    form: str,
    interviewers: Sequence[User] = (),
    summary: str = "",
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> InterviewPlanLine:
    """Record the interview of a cadre of the plan: a talk (谈心谈话) with them
    by the interviewers (default: the actor), which closes their line; the
    line's township must be one the actor may interview in."""
    line = InterviewPlanLine.objects.select_for_update().filter(plan=plan, cadre=cadre).first()
    if line is None:
        raise DomainError(gettext("该干部不在本约谈计划中。"), field="cadre")
    require_placement(actor, "interview-plans", "interview", line, field="date")
    if line.status != LineStatus.OPEN:
        raise DomainError(
            gettext("该干部在本计划中%(status)s。") % {"status": choice_label(line.get_status_display())},
            field="cadre",
        )
    if date.year != plan.year:
        raise DomainError(gettext("约谈日期应在%(year)s年内。") % {"year": plan.year}, field="date")
    talkers = list(interviewers) or [actor]
    planned = set(plan.interviewers.values_list("pk", flat=True))
    if not planned & {user.pk for user in talkers}:
        raise DomainError(gettext("约谈人中至少应有一名本计划的约谈人。"), field="interviewers")
    talk_record(actor=actor, talkee=cadre, talkers=talkers, date=date, form=form, summary=summary, today=today)
    line.refresh_from_db()
    audit_change(
        actor=actor,
        action="update",
        resource="interview-plans",
        record=line,
        fields=["status", "talk", "done_date"],
        request=request,
    )
    return line


def interview_lines_close_for_talk(talk: Talk) -> None:
    """A talk with a cadre in a plan's year, one of whose talkers interviews
    for the plan, closes the cadre's open line. Listens to talks.services.talk_record."""
    talkers = list(talk.talkers.values_list("pk", flat=True))
    InterviewPlanLine.objects.filter(
        cadre_id=talk.talkee_id,
        status=LineStatus.OPEN,
        plan__year=talk.date.year,
        plan__interviewers__in=talkers,
    ).update(status=LineStatus.DONE, talk=talk, done_date=talk.date)


# ---------------------------------------------------------------------------
# The organization-department head's township visits (组织部长下基层)
# ---------------------------------------------------------------------------


def _check_visit(township: OrgUnit, date: dt.date, visitors: Sequence[User] | None, today: dt.date) -> None:
    if township.kind != UnitKind.TOWNSHIP:
        raise DomainError(gettext("请选择乡镇（街道）。"), field="township")
    if date > today:
        raise DomainError(gettext("下基层日期不能晚于今天。"), field="date")
    if visitors is not None and not visitors:
        raise DomainError(gettext("请至少选择一名下基层人员。"), field="visitors")


@transaction.atomic
def field_visit_record(
    *,
    actor: User,
    township: OrgUnit,
    date: dt.date,
    visitors: Sequence[User],
    notes: str = "",
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> FieldVisit:
    """Record a visit to a township; it answers the township's visit due for the period."""
    require_placement(actor, "field-visits", ADD, township, field="township")
    _check_visit(township, date, visitors, today or clock.today())
    visit = FieldVisit.objects.create(township=township, date=date, notes=notes.strip(), recorded_by=actor)
    visit.visitors.set(visitors)
    fields = _given(township=township, date=date, visitors=visitors, notes=visit.notes or None)
    audit_change(actor=actor, action="create", resource="field-visits", record=visit, fields=fields, request=request)
    return visit


@transaction.atomic
def field_visit_update(
    *,
    actor: User,
    visit: FieldVisit,
    township: OrgUnit | None = None,
    date: dt.date | None = None,
    visitors: Sequence[User] | None = None,
    notes: str | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> FieldVisit:
    """Correct a visit: its township (one the actor may change visits in), day, visitors or notes."""
    township = township or visit.township
    date = date or visit.date
    _check_visit(township, date, visitors, today or clock.today())
    before = {"township": visit.township, "date": visit.date, "notes": visit.notes}
    visit.township, visit.date = township, date
    if notes is not None:
        visit.notes = notes.strip()
    visit.save()
    changed = changed_fields(visit, before)
    if visitors is not None:
        changed += ["visitors"] if _pks(visitors) != _pks(visit.visitors.all()) else []
        visit.visitors.set(visitors)
    written(actor, request, "update", "field-visits", visit, sorted(changed))
    return visit


@transaction.atomic
def field_visit_delete(*, actor: User, visit: FieldVisit, request: HttpRequest | None = None) -> None:
    """Remove a visit recorded by mistake."""
    written(actor, request, "delete", "field-visits", visit)  # first: the row names it while it exists
    visit.delete()


@transaction.atomic
def field_visit_policy_save(
    *,
    actor: User | None,
    county: OrgUnit,
    cadence_months: int,
    policy: FieldVisitPolicy | None = None,
    request: HttpRequest | None = None,
) -> FieldVisitPolicy:
    """Set how often the county's organization-department head must visit
    every township (``policy`` None: the county's first; without one, once a
    year). A save that changes nothing writes nothing and is not audited."""
    _require_county(county)
    if cadence_months not in VisitCadence.values:
        raise DomainError(gettext("请选择下基层频次。"), field="cadence_months")
    others = FieldVisitPolicy.objects.filter(county=county)
    if (others.exclude(pk=policy.pk) if policy is not None else others).exists():
        raise ConflictError(gettext("该县（区）已设置下基层频次，请直接修改。"), field="county")
    if policy is None:
        policy = FieldVisitPolicy(county=county, cadence_months=cadence_months)
        changed = ["cadence_months", "county"]
    else:
        # Where it stands too: moving a county's cadence away changes it there.
        require_placement(actor, "field-visits", CHANGE, policy, field="county")
        before = {"county": policy.county, "cadence_months": policy.cadence_months}
        policy.county, policy.cadence_months = county, cadence_months
        changed = changed_fields(policy, before)
    if changed:
        created = policy.pk is None
        policy.save()
        written(actor, request, "create" if created else "update", "field-visits", policy, changed)
    return policy


@transaction.atomic
def field_visit_policy_delete(
    *, actor: User | None, policy: FieldVisitPolicy, request: HttpRequest | None = None
) -> None:
    """Remove a county's cadence: its townships are due once a year again."""
    written(actor, request, "delete", "field-visits", policy)  # first: the row names it while it exists
    policy.delete()


# ---------------------------------------------------------------------------
# Listeners: the post history keeps the plans true
# ---------------------------------------------------------------------------


def oversight_items_follow_post_change(change: PostChange) -> None:
    """A cadre posted out of their township: an exchange decided (or pending)
    for them there is done by this change, and their interview line there is
    cancelled (调离). Listens to org.services.post_change_record."""
    moved_out = TransferDecision.objects.filter(cadre_id=change.cadre_id).exclude(township_id=change.to_unit_id)
    moved_out.exclude(outcome=TransferOutcome.DONE).update(
        outcome=TransferOutcome.DONE, post_change=change, decided_on=change.date, decided_by=change.recorded_by
    )
    open_items_cancel(
        InterviewPlanLine.objects.filter(cadre_id=change.cadre_id, status=LineStatus.OPEN).exclude(
            township_id=change.to_unit_id
        ),
        resource="interview-plans",
        cadre_field="cadre_id",
        reason=EndReason.TRANSFERRED_OUT,
        day=change.date,
        actor=change.recorded_by,
    )


def interview_lines_end_with_service(change: ServiceEnded) -> None:
    """A cadre who retired, died or left is interviewed no more. Listens to
    org.services.cadre_status_change (a pending exchange decision of theirs
    leaves the due items by itself: only serving cadres are chased)."""
    open_items_cancel(
        InterviewPlanLine.objects.filter(cadre=change.cadre, status=LineStatus.OPEN),
        resource="interview-plans",
        cadre_field="cadre_id",
        reason=change.status,
        day=change.date,
        actor=change.actor,
    )
