"""Reads of the care records: effective policies, obligation owners, the
hardship marker other modules consume, and the reports.

Public selectors other modules rely on:

- ``cadres_with_hardship(cadre_ids) -> set[int]``: cadres with an open or
  in-progress hardship case, the ``hardship`` flag of the rest-roster solver.

Visit obligations reach the reminders module only through the due-item
registry (``cadrecare/care/due.py``), the one place they are computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Left, TruncMonth

from cadrecare.care.choices import (
    ACTIVE_HARDSHIP,
    CadreConditionKind,
    FacilityItem,
    FacilityStatus,
    HardshipCategory,
    MeasureKind,
    ObligationStatus,
    VisitKind,
)
from cadrecare.care.models import (
    CadreCondition,
    CareDecision,
    CarePolicy,
    Facility,
    FamilyEvent,
    FamilyMember,
    HardshipCase,
    HardshipMeasure,
    PostAllowance,
    Visit,
    VisitObligation,
)
from cadrecare.core import clock
from cadrecare.health.choices import CheckupKind, Conclusion
from cadrecare.health.models import Checkup
from cadrecare.org import posts as org_posts
from cadrecare.org.access import VIEW
from cadrecare.org.api.serializers import service_periods
from cadrecare.org.choices import SECTION_LEVEL_RANKS, CadreStatus, LeaderPost, Remoteness, UnitKind
from cadrecare.org.inheritance import nearest_case, nearest_first
from cadrecare.org.models import Cadre, OrgUnit, PostChange, User
from cadrecare.org.rules import remote_service_years
from cadrecare.org.scoping import scope_filter, scoped

# ---------------------------------------------------------------------------
# Care policy and obligation owners
# ---------------------------------------------------------------------------

CONCERNING_CONCLUSIONS = (Conclusion.RECHECK, Conclusion.TREATMENT)

DEFAULT_FAMILY_EVENT_DAYS = 7  # seed 三(二): 必访 after a major family event; the default
DEFAULT_ILLNESS_DAYS = 7
DEFAULT_DEATH_DAYS = 3
DEFAULT_HARDSHIP_REVIEW_MONTHS = 3  # an open hardship case is looked at again every quarter
DEFAULT_MESSAGE_ANSWER_DAYS = 7  # a cadre's 心里话 is answered within a week
DEFAULT_FIRST_CONTACT_DAYS = 7  # seed 三(二) "及时关心问候": a new hardship case is contacted within a week
DEFAULT_SICK_LEAVE_DAYS = 14  # a sick leave longer than two weeks asks the HR officer to decide on care


@dataclass(frozen=True)
class CarePolicyInForce:
    """The care settings in force for one unit, after inheritance."""

    family_event_days: int
    illness_days: int
    death_days: int
    visit_owner: User | None
    hardship_review_months: int = DEFAULT_HARDSHIP_REVIEW_MONTHS
    message_answer_days: int = DEFAULT_MESSAGE_ANSWER_DAYS
    first_contact_days: int = DEFAULT_FIRST_CONTACT_DAYS
    sick_leave_days: int = DEFAULT_SICK_LEAVE_DAYS


def care_policy_effective(unit: OrgUnit) -> CarePolicyInForce:
    """Each setting from the nearest unit on the way up that sets it, else the default."""
    policies = list(nearest_first(CarePolicy.objects.select_related("unit", "visit_owner"), unit.path))

    def nearest(name: str, default: object) -> object:
        return next((getattr(p, name) for p in policies if getattr(p, name) is not None), default)

    return CarePolicyInForce(
        family_event_days=nearest("family_event_days", DEFAULT_FAMILY_EVENT_DAYS),  # type: ignore[arg-type]
        illness_days=nearest("illness_days", DEFAULT_ILLNESS_DAYS),  # type: ignore[arg-type]
        death_days=nearest("death_days", DEFAULT_DEATH_DAYS),  # type: ignore[arg-type]
        visit_owner=nearest("visit_owner", None),  # type: ignore[arg-type]
        hardship_review_months=nearest(  # type: ignore[arg-type]
            "hardship_review_months", DEFAULT_HARDSHIP_REVIEW_MONTHS
        ),
        message_answer_days=nearest("message_answer_days", DEFAULT_MESSAGE_ANSWER_DAYS),  # type: ignore[arg-type]
        first_contact_days=nearest("first_contact_days", DEFAULT_FIRST_CONTACT_DAYS),  # type: ignore[arg-type]
        sick_leave_days=nearest("sick_leave_days", DEFAULT_SICK_LEAVE_DAYS),  # type: ignore[arg-type]
    )


def sick_leave_crossed_on(unit_path_field: str, start_field: str) -> Case:
    """The day a sick leave starting on ``start_field`` passes the sick-leave
    days of the care policy in force (``care_policy_effective``) for the unit
    at ``unit_path_field``, in SQL per row (``nearest_case``)."""
    rows = CarePolicy.objects.filter(sick_leave_days__isnull=False).values_list("unit__path", "sick_leave_days")
    days_by_path = {path: days for path, days in rows if days is not None}  # the filter's: never None

    def after(days: int) -> ExpressionWrapper:
        return ExpressionWrapper(F(start_field) + dt.timedelta(days=days), output_field=DateField())

    by_path = {path: after(days) for path, days in days_by_path.items()}
    return nearest_case(unit_path_field, by_path, after(DEFAULT_SICK_LEAVE_DAYS), DateField())


@dataclass(frozen=True)
class VisitOwner:
    """Who a new visit obligation goes to: a person named by hand (``post``
    empty), or a post in ``post_unit`` whose holder on the day owns it
    (``owner``: the holder now, None when vacant)."""

    owner: User | None
    note: str = ""
    post: str = ""
    post_unit: OrgUnit | None = None


def visit_owner_for(cadre: Cadre, policy: CarePolicyInForce) -> VisitOwner:
    """Who must make a visit to ``cadre``: the user named by the care policy
    if any (by hand); else the post of the township party secretary, for a
    township cadre; elsewhere the post of the unit's head (its party
    secretary when it has no head with a login). The post's holder on the
    day owns it, the organisation department above while it is vacant
    (cadrecare.org.posts). When the cadre holds the post themself, nobody:
    the organisation department names someone."""
    if policy.visit_owner is not None and policy.visit_owner.is_active:
        return VisitOwner(policy.visit_owner)
    unit = cadre.unit
    township = unit.kind == UnitKind.TOWNSHIP
    posts = [LeaderPost.PARTY_SECRETARY] if township else [LeaderPost.HEAD, LeaderPost.PARTY_SECRETARY]
    leaders = list(
        Cadre.objects.filter(unit=unit, leader_post__in=posts, status=CadreStatus.SERVING, user__is_active=True)
        .exclude(pk=cadre.pk)
        .select_related("user")
        .order_by("id")
    )
    for post in posts:
        leader = next((c for c in leaders if c.leader_post == post), None)
        if leader is not None:
            return VisitOwner(leader.user, post=post, post_unit=unit)
    title = "党委书记" if township else "主要负责人"
    if cadre.leader_post in posts:
        return VisitOwner(None, f"该干部本人是{unit.name}{title}，请上级组织部门指定走访责任人。")
    holder, why = org_posts.holder(unit.pk, posts[0], clock.today())
    note = f"{unit.name}{title}{why}，请组织部门指定走访责任人。" if holder is None else ""
    return VisitOwner(holder, note, post=posts[0], post_unit=unit)


# ---------------------------------------------------------------------------
# Marks other modules read
# ---------------------------------------------------------------------------


def cadres_with_hardship(cadre_ids: Iterable[int]) -> set[int]:
    """The cadres among ``cadre_ids`` with a hardship case open or being
    helped (an open case marks the cadre as ``hardship`` for the
    rest-roster solver). One query."""
    ids = list(cadre_ids)
    if not ids:
        return set()
    return set(
        HardshipCase.objects.filter(cadre_id__in=ids, status__in=ACTIVE_HARDSHIP).values_list("cadre_id", flat=True)
    )


def cadres_with_health_concern(cadre_ids: Iterable[int]) -> set[int]:
    """The health flag of the transfer report: a recorded serious illness, a
    hardship case for illness or disability still open, or a latest check-up
    concluding 需复查 or 需治疗 (cadrecare.health). Three queries."""
    ids = list(cadre_ids)
    if not ids:
        return set()
    ill = CadreCondition.objects.filter(cadre_id__in=ids, kind=CadreConditionKind.ILLNESS).values_list(
        "cadre_id", flat=True
    )
    disabled = HardshipCase.objects.filter(
        cadre_id__in=ids,
        status__in=ACTIVE_HARDSHIP,
        category__in=[HardshipCategory.ILLNESS, HardshipCategory.DISABILITY],
    ).values_list("cadre_id", flat=True)
    latest: dict[int, str] = {}
    for cadre_id, conclusion in (
        Checkup.objects.filter(cadre_id__in=ids)
        .order_by("cadre_id", "date", "id")
        .values_list("cadre_id", "conclusion")
    ):
        latest[cadre_id] = conclusion  # ordered by date: the last one wins
    unwell = {cadre_id for cadre_id, conclusion in latest.items() if conclusion in CONCERNING_CONCLUSIONS}
    return set(ill) | set(disabled) | unwell


# ---------------------------------------------------------------------------
# Querysets the endpoints list (what their serializers read, fetched once)
# ---------------------------------------------------------------------------


def family_member_queryset() -> QuerySet[FamilyMember]:
    return FamilyMember.objects.select_related("cadre", "cadre__unit")


def family_event_queryset() -> QuerySet[FamilyEvent]:
    return FamilyEvent.objects.select_related("cadre", "cadre__unit", "family_member", "obligation")


def family_event_list(*, user: User) -> QuerySet[FamilyEvent]:
    """Events in scope plus those whose visit ``user`` owns: the owner reads
    what the visit is for, wherever it lies (api.views.FamilyEventViewSet).
    Each row carries its visit's owner today (``visit_owner_now_id``), in the
    list's one query."""
    in_scope = scope_filter(user, "family-events", VIEW, FamilyEvent)
    visits = VisitObligation.objects.filter(family_event=OuterRef("pk"))
    visit = org_posts.with_owner(visits, hand="owner", hand_note="owner_note", day=clock.today())
    return (
        family_event_queryset()
        .filter(_or_own(in_scope, Q(obligation__owner=user)))
        .annotate(visit_owner_now_id=Subquery(visit.values("owner_now_id")[:1]))
    )


def _or_own(in_scope: Q | None, own: Q) -> Q:
    return own if in_scope is None else in_scope | own


def cadre_condition_queryset() -> QuerySet[CadreCondition]:
    return CadreCondition.objects.select_related("cadre", "cadre__unit", "obligation")


def visit_obligation_queryset(day: dt.date | None = None) -> QuerySet[VisitObligation]:
    """Obligations with what their serializer reads, and their owner on
    ``day`` (default today; ``owner_now_*``, cadrecare.org.posts)."""
    obligations = VisitObligation.objects.select_related("cadre", "cadre__unit", "owner__cadre").prefetch_related(
        Prefetch("visits", queryset=Visit.objects.only("id", "date"))
    )
    return org_posts.with_owner(obligations, hand="owner", hand_note="owner_note", day=day or clock.today())


def visit_queryset() -> QuerySet[Visit]:
    return Visit.objects.select_related("cadre", "cadre__unit", "family_member").prefetch_related(
        "visitors__cadre", Prefetch("obligations", queryset=VisitObligation.objects.only("id", "cadre_id"))
    )


def visit_list(*, user: User) -> QuerySet[Visit]:
    """Visits in scope plus those ``user`` recorded, whose notes they read back."""
    return visit_queryset().filter(_or_own(scope_filter(user, "visits", VIEW, Visit), Q(recorded_by=user)))


def hardship_case_queryset() -> QuerySet[HardshipCase]:
    return HardshipCase.objects.select_related("cadre", "cadre__unit").prefetch_related(
        Prefetch("measures", queryset=HardshipMeasure.objects.order_by("date", "id"))
    )


def care_decision_queryset() -> QuerySet[CareDecision]:
    return CareDecision.objects.select_related("cadre", "cadre__unit", "decided_by__cadre")


def hardship_measure_queryset() -> QuerySet[HardshipMeasure]:
    return HardshipMeasure.objects.select_related("case", "case__cadre", "case__cadre__unit")


def post_allowance_queryset(today: dt.date | None = None) -> QuerySet[PostAllowance]:
    """Allowances with ``is_late`` and ``is_short`` worked out in SQL, so the
    report filter and the row agree: late = paid after the due date, or not
    paid and the due date passed; short = less paid than due, once paid or due."""
    today = today or clock.today()
    settled = Q(paid_on__isnull=False) | Q(due_by__lt=today)
    return PostAllowance.objects.select_related("township", "township__parent").annotate(
        is_late=ExpressionWrapper(
            Q(paid_on__gt=F("due_by")) | Q(paid_on__isnull=True, due_by__lt=today), output_field=BooleanField()
        ),
        is_short=ExpressionWrapper(Q(paid_amount__lt=F("due_amount")) & settled, output_field=BooleanField()),
    )


# ---------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------

REMOTE_GRADES: Sequence[str] = (Remoteness.GRADE_1, Remoteness.GRADE_2, Remoteness.GRADE_3)


def transfer_candidate_queryset() -> QuerySet[Cadre]:
    """Section-level cadres serving in a remote township, with their post
    history prefetched for the years served."""
    return (
        Cadre.objects.filter(rank__in=SECTION_LEVEL_RANKS, status=CadreStatus.SERVING, unit__kind=UnitKind.TOWNSHIP)
        .exclude(unit__remoteness=Remoteness.NONE)
        .select_related("unit", "unit__parent")
        .prefetch_related(
            Prefetch("post_changes", queryset=PostChange.objects.select_related("to_unit").order_by("date", "id"))
        )
        .order_by("unit__path", "id")
    )


def years_in_remote_townships(cadre: Cadre, grades: Sequence[str]) -> float:
    """Years ``cadre`` served in townships of the given remoteness grades, from
    the prefetched post history (org.rules.remote_service_years)."""
    periods = service_periods(cadre)
    changes = list(cadre.post_changes.all())
    units = [change.to_unit for change in changes] if changes else [cadre.unit]
    counted = [
        (start, end, kind, unit.remoteness in grades)
        for (start, end, kind, _remote), unit in zip(periods, units, strict=False)
    ]
    return remote_service_years(counted)


def transfer_candidates(
    queryset: QuerySet[Cadre], *, years: float, grades: Sequence[str], today: dt.date | None = None
) -> list[Cadre]:
    """The exchange (交流) candidates of seed 三(二): section-level cadres in a
    remote township who served ``years`` or more in townships of ``grades``;
    each carries ``remote_years``, ``age``, ``hardship`` and ``health_concern``.
    Longest-serving first. A fixed number of queries."""
    today = today or clock.today()
    rows = []
    for cadre in queryset.filter(unit__remoteness__in=grades):
        served = years_in_remote_townships(cadre, grades)
        if served >= years:
            cadre.remote_years = served  # type: ignore[attr-defined]
            cadre.age = cadre.age_on(today)  # type: ignore[attr-defined]
            rows.append(cadre)
    ids = [cadre.pk for cadre in rows]
    hardship = cadres_with_hardship(ids)
    health = cadres_with_health_concern(ids)
    for cadre in rows:
        cadre.hardship = cadre.pk in hardship  # type: ignore[attr-defined]
        cadre.health_concern = cadre.pk in health  # type: ignore[attr-defined]
    rows.sort(key=lambda c: (-c.remote_years, c.pk))  # type: ignore[attr-defined]
    return rows


UNRECORDED = "unrecorded"  # no record yet: counted as a gap, shown as 未登记


def facility_gap_queryset() -> QuerySet[OrgUnit]:
    """Active townships lacking at least one facility (not recorded as
    present), with their facility records, for the gaps report."""
    present = Count("facilities", filter=Q(facilities__status=FacilityStatus.PRESENT))
    return (
        OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP, active=True)
        .annotate(present_count=present)
        .filter(present_count__lt=len(FacilityItem.values))
        .select_related("parent")
        .prefetch_related(Prefetch("facilities", queryset=Facility.objects.order_by("item")))
        .order_by("path")
    )


def facility_gaps(township: OrgUnit) -> dict[str, str]:
    """item -> status for every item not present (``UNRECORDED`` when there is no record)."""
    recorded = {facility.item: facility.status for facility in township.facilities.all()}
    return {
        item: recorded.get(item, UNRECORDED)
        for item in FacilityItem.values
        if recorded.get(item) != FacilityStatus.PRESENT
    }


# ---------------------------------------------------------------------------
# The organization department's overview
# ---------------------------------------------------------------------------


def care_counts_by_area(
    *, user: User, root: OrgUnit, prefix: int, today: dt.date | None = None
) -> dict[str, dict[str, int]]:
    """area -> visits open, visits overdue and hardship cases open (being
    helped or not yet) under ``root`` in ``user``'s scope, the area being the
    first ``prefix`` characters of the cadre's unit path. Two grouped queries."""
    today = today or clock.today()
    counts: dict[str, dict[str, int]] = {}
    visits = (
        scoped(VisitObligation.objects.all(), user, "visit-obligations")
        .filter(cadre__unit__path__startswith=root.path, status=ObligationStatus.OPEN)
        .order_by()
        .values(area=Left("cadre__unit__path", prefix))
        .annotate(visits_open=Count("pk"), visits_overdue=Count("pk", filter=Q(deadline__lt=today)))
    )
    for row in visits:
        counts.setdefault(row.pop("area"), {}).update(row)
    hardship = (
        scoped(HardshipCase.objects.all(), user, "hardship-cases")
        .filter(cadre__unit__path__startswith=root.path, status__in=ACTIVE_HARDSHIP)
        .order_by()
        .values(area=Left("cadre__unit__path", prefix))
        .annotate(hardship_open=Count("pk"))
    )
    for row in hardship:
        counts.setdefault(row.pop("area"), {}).update(row)
    return counts


def visits_by_month(*, user: User, root: OrgUnit, since: dt.date) -> dict[dt.date, int]:
    """month -> visits made (by their date) to cadres under ``root`` since ``since``. One query."""
    rows = (
        scoped(Visit.objects.all(), user, "visits")
        .filter(cadre__unit__path__startswith=root.path, date__gte=since)
        .order_by()
        .values(month=TruncMonth("date"))
        .annotate(n=Count("pk"))
    )
    return {row["month"]: row["n"] for row in rows}


# ---------------------------------------------------------------------------
# Care spending (关爱经费): money given in visits, hardship measures and check-ups
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SpendingSource:
    """One kind of care spending, read through its own resource's scope so a
    reader never totals what they could not list."""

    resource: str
    rows: QuerySet[Any]
    unit: str  # the lookup to the cadre's unit
    amount: str
    kinds: type[Any]
    note: str  # what the drill-down shows beside the amount: goods given, the provider, the institution


SPENDING_SOURCES = {
    "visits": SpendingSource("visits", Visit.objects.all(), "cadre__unit", "money_amount", VisitKind, "goods"),
    "hardship": SpendingSource(
        "hardship-measures", HardshipMeasure.objects.all(), "case__cadre__unit", "amount", MeasureKind, "provided_by"
    ),
    "checkups": SpendingSource(
        "health-checkups", Checkup.objects.all(), "cadre__unit", "cost", CheckupKind, "institution"
    ),
}
SPENDING_CATEGORIES = {"visits": "走访慰问金", "hardship": "困难帮扶", "checkups": "体检费用"}


def _spending_rows(source: SpendingSource, *, user: User, year: int, unit: OrgUnit | None) -> QuerySet[Any]:
    rows = scoped(source.rows, user, source.resource).filter(date__year=year)
    return rows if unit is None else rows.filter(**{f"{source.unit}__path__startswith": unit.path})


def care_spending(*, user: User, year: int, unit: OrgUnit | None = None) -> dict[str, Any]:
    """Money spent on care in ``year`` per unit, category and kind, for what
    ``user`` may list (one grouped query per category), with totals per
    category; a visit's goods are counted (``goods``: visits that gave any).
    ``unit`` narrows to its subtree."""
    rows: list[dict[str, Any]] = []
    totals: dict[str, Decimal] = {}
    for category, source in SPENDING_SOURCES.items():
        path = source.unit
        goods = Count("id", filter=~Q(goods="")) if category == "visits" else Value(0)
        grouped = (
            _spending_rows(source, user=user, year=year, unit=unit)
            .order_by()
            .values(path, f"{path}__name", f"{path}__path", "kind")
            .annotate(count=Count("id"), amount=Coalesce(Sum(source.amount), Decimal(0)), goods=goods)
        )
        for row in grouped:
            rows.append(
                {
                    "unit": row[path],
                    "unit_name": row[f"{path}__name"],
                    "path": row[f"{path}__path"],
                    "category": category,
                    "category_label": SPENDING_CATEGORIES[category],
                    "kind": row["kind"],
                    "kind_label": source.kinds(row["kind"]).label,
                    "count": row["count"],
                    "goods": row["goods"],
                    "amount": row["amount"],
                }
            )
        totals[category] = sum((row["amount"] for row in rows if row["category"] == category), Decimal(0))
    order = list(SPENDING_CATEGORIES)
    rows.sort(
        key=lambda row: (
            row["path"],
            order.index(row["category"]),
            SPENDING_SOURCES[row["category"]].kinds.values.index(row["kind"]),
        )
    )
    for row in rows:
        del row["path"]
    return {"year": year, "rows": rows, "totals": {**totals, "all": sum(totals.values(), Decimal(0))}}


def care_spending_items(*, user: User, year: int, category: str, kind: str, unit: OrgUnit) -> list[dict[str, Any]]:
    """The records behind one figure of ``care_spending``: date, cadre, amount
    and note of each ``kind`` of ``category`` of cadres of ``unit`` itself (as
    the figure's row) in ``year`` that ``user`` may list. Basic fields only; one query."""
    source = SPENDING_SOURCES[category]
    cadre = source.unit.removesuffix("__unit")
    return list(
        _spending_rows(source, user=user, year=year, unit=None)
        .filter(kind=kind, **{source.unit: unit})
        .order_by("date", "id")
        .values(
            "id",
            "date",
            amount=F(source.amount),
            note=F(source.note),
            cadre_name=F(f"{cadre}__name"),
            unit_name=F(f"{source.unit}__name"),
        )
    )
