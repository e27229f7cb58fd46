"""Reads of training programmes: what a user may see, the ranked list of
candidates the priority rule proposes, a cadre's history and the report of
cadres not trained in N years. Every read starts from ``cadrecare.org.scoping``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from cadrecare.org import scoping
from cadrecare.org.choices import ENDED_STATUSES, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.rotation.models import Absence
from cadrecare.training.choices import Attendance, ProgrammeKind
from cadrecare.training.models import Nomination, TrainingProgramme

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

RESOURCE = "training-programmes"
DEFAULT_YEARS = 3
# The units whose cadres are "grassroots" (基层一线) for the priority rule.
GRASSROOTS_KINDS = (UnitKind.TOWNSHIP, UnitKind.VILLAGE)


def programme_queryset() -> QuerySet[TrainingProgramme]:
    """Programmes with their organiser and counts of nominations and attendance."""
    return TrainingProgramme.objects.select_related("unit").annotate(
        nominated=Count("nominations", distinct=True),
        attended=Count("nominations", filter=Q(nominations__attendance=Attendance.ATTENDED), distinct=True),
    )


def nomination_queryset() -> QuerySet[Nomination]:
    return Nomination.objects.select_related("cadre__unit", "programme__unit")


def nomination_list(*, user: User, action: str = "view") -> QuerySet[Nomination]:
    """The nominations ``user`` may ``action``: those of cadres in their scope
    (a township its own cadres', a cadre their own)."""
    return scoping.scoped(nomination_queryset(), user, RESOURCE, action)


def programme_list(*, user: User, queryset: QuerySet[TrainingProgramme] | None = None) -> QuerySet[TrainingProgramme]:
    """The programmes ``user`` may see: those organised in their scope, and
    those to which a cadre in their scope is nominated (a township sees the
    county's programme its cadres go to, a cadre the ones they go to)."""
    queryset = programme_queryset() if queryset is None else queryset
    condition = scoping.scope_filter(user, RESOURCE, "view", TrainingProgramme)
    nominated = Q(pk__in=scoping.scoped(Nomination.objects.all(), user, RESOURCE).values("programme_id"))
    return queryset.filter(nominated if condition is None else condition | nominated)


def may_organise(user: User, programme: TrainingProgramme, action: str) -> bool:
    """Whether ``user`` may ``action`` (nominate, record attendance, change)
    on ``programme`` as its organiser: a grant over the organising unit."""
    return scoping.may_in_unit(user, RESOURCE, action, programme.unit)


# ---------------------------------------------------------------------------
# The priority rule: grassroots cadres first, then those longest without one
# ---------------------------------------------------------------------------


def _last_attended(kind: str | None) -> Subquery:
    """The end date of the cadre's last attended programme (of ``kind``, or any)."""
    rows = Nomination.objects.filter(cadre=OuterRef("pk"), attendance=Attendance.ATTENDED)
    if kind:
        rows = rows.filter(programme__kind=kind)
    return Subquery(rows.order_by("-programme__date_to").values("programme__date_to")[:1])


class LastTrained(TypedDict):
    last_trained: dt.date | None


def with_last_trained(
    cadres: QuerySet[Cadre], kind: str | None = None
) -> QuerySet[WithAnnotations[Cadre, LastTrained]]:
    """``cadres`` annotated with ``last_trained``: when their last attended programme ended."""
    return cadres.annotate(last_trained=_last_attended(kind))


def years_since(day: dt.date | None, today: dt.date) -> float | None:
    return None if day is None else round((today - day).days / 365.25, 1)


@dataclass(frozen=True)
class Candidate:
    """One proposed nominee, in the order of the priority rule, with the reason in words."""

    cadre: Cadre
    grassroots: bool
    last_trained: dt.date | None
    years_without: float | None
    busy: str  # an absence overlapping the programme's dates, named; "" if free

    @property
    def reason(self) -> str:
        where = "基层一线干部" if self.grassroots else "非基层干部"
        if self.last_trained is None:
            return f"{where}，从未参加过同类培训"
        return f"{where}，{self.years_without} 年未参加同类培训（上次结束于 {self.last_trained}）"


def candidate_list(
    *, user: User, programme: TrainingProgramme, today: dt.date, township: OrgUnit | None = None
) -> list[Candidate]:
    """The cadres in post under the organiser (or ``township``) that ``user``
    may nominate, not yet nominated, ranked by the seed's rule (三(一)
    "组织调训优先安排、参观考察优先安排、工作交流优先安排"): grassroots
    (township and village) cadres first; then those who never attended a
    programme of this kind, then the longest since their last; then the
    longest in township service. The organiser confirms whom to nominate."""
    root = township or programme.unit
    cadres = (
        scoping.scoped(Cadre.objects.all(), user, RESOURCE, "nominate")
        .filter(unit__path__startswith=root.path)
        .filter(unit__path__startswith=programme.unit.path)
        .exclude(status__in=ENDED_STATUSES)
        .exclude(pk__in=Nomination.objects.filter(programme=programme).values("cadre_id"))
        .select_related("unit")
    )
    rows = with_last_trained(cadres, programme.kind)
    busy = {
        absence.cadre_id: absence
        for absence in Absence.objects.filter(
            cadre__in=cadres, start__lte=programme.date_to, end__gte=programme.date_from
        ).order_by("start")
    }
    candidates = [
        Candidate(
            cadre=cadre,
            grassroots=cadre.unit.kind in GRASSROOTS_KINDS,
            last_trained=cadre.last_trained,
            years_without=years_since(cadre.last_trained, today),
            busy=f"{busy[cadre.pk].start} 至 {busy[cadre.pk].end} 已登记外出" if cadre.pk in busy else "",
        )
        for cadre in rows
    ]
    far_past = dt.date.min
    candidates.sort(
        key=lambda c: (
            not c.grassroots,
            c.last_trained is not None,
            c.last_trained or far_past,
            c.cadre.township_service_start or today,
            c.cadre.pk,
        )
    )
    return candidates


# ---------------------------------------------------------------------------
# A cadre's history and the report of cadres not trained in N years
# ---------------------------------------------------------------------------


def training_history(*, user: User, cadre: Cadre) -> QuerySet[Nomination]:
    """Every programme ``cadre`` was nominated to that ``user`` may see, latest first."""
    return nomination_list(user=user).filter(cadre=cadre).order_by("-programme__date_from", "-id")


def not_trained(
    *, user: User, unit: OrgUnit, today: dt.date, years: int = DEFAULT_YEARS, kind: str | None = ProgrammeKind.TRAINING
) -> QuerySet[Cadre]:
    """Cadres in post under ``unit`` (in ``user``'s scope) who attended no
    programme (of ``kind``) ending in the last ``years`` years, by unit then
    longest without; ``last_trained`` is None for those never trained."""
    since = _years_before(today, years)
    cadres = (
        scoping.scoped(Cadre.objects.all(), user, RESOURCE)
        .filter(unit__path__startswith=unit.path)
        .exclude(status__in=ENDED_STATUSES)
        .select_related("unit")
    )
    return (
        with_last_trained(cadres, kind)
        .filter(Q(last_trained__isnull=True) | Q(last_trained__lt=since))
        .order_by("unit__path", Coalesce("last_trained", dt.date.min), "name", "id")
    )


class UnitNotTrained(TypedDict):
    """A unit's line of ``not_trained_by_unit``."""

    unit: int
    unit_name: str
    in_post: int
    untrained: int


def not_trained_by_unit(
    *, user: User, unit: OrgUnit, today: dt.date, years: int = DEFAULT_YEARS, kind: str | None = ProgrammeKind.TRAINING
) -> list[UnitNotTrained]:
    """Per unit with cadres in post under ``unit``: how many there are and how
    many of them are not trained in ``years`` years (two queries in all)."""
    since = _years_before(today, years)
    cadres = (
        scoping.scoped(Cadre.objects.all(), user, RESOURCE)
        .filter(unit__path__startswith=unit.path)
        .exclude(status__in=ENDED_STATUSES)
    )
    trained = Nomination.objects.filter(attendance=Attendance.ATTENDED, programme__date_to__gte=since)
    if kind:
        trained = trained.filter(programme__kind=kind)
    counts = (
        cadres.order_by()
        .values("unit_id")
        .annotate(in_post=Count("id"), untrained=Count("id", filter=~Q(pk__in=trained.values("cadre_id"))))
    )
    by_unit = {row["unit_id"]: row for row in counts}
    units = OrgUnit.objects.filter(pk__in=by_unit).order_by("path")
    return [
        {
            "unit": u.pk,
            "unit_name": u.name,
            "in_post": by_unit[u.pk]["in_post"],
            "untrained": by_unit[u.pk]["untrained"],
        }
        for u in units
    ]


def _years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)
