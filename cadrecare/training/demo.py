"""Demo training, study tours and exchanges: each county's yearly training
class for township cadres over the last four years (about one cadre in six a
year, so the not-trained report shows real numbers), a study tour per county
last year, the city's rotation class for township party secretaries, and two
coming programmes to nominate for (the demo county's with its list proposed
by the priority rule). Attendance makes the same 培训 absences the
attendance service would, skipping a cadre already away on those dates."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet
from django.utils import timezone

from cadrecare.core import clock
from cadrecare.org.choices import ENDED_STATUSES, LeaderPost, Role, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, RoleGrant
from cadrecare.rotation.choices import AbsenceKind
from cadrecare.rotation.models import Absence
from cadrecare.training.choices import Attendance, ProgrammeKind
from cadrecare.training.models import Nomination, TrainingProgramme
from cadrecare.training.selectors import candidate_list

SHARE_A_YEAR = 0.17  # of a county's township cadres sent to its yearly class
EXCUSES = ["乡镇换届工作期间，经批准请假", "家中老人住院，经批准请假", "防汛值班，经批准请假"]


def populate(*, rng: random.Random) -> None:
    today = clock.today()
    city = OrgUnit.objects.filter(kind=UnitKind.CITY, parent=None).order_by("id").first()
    if city is None:
        return
    absences: list[tuple[Absence, Nomination]] = []
    nominations: list[Nomination] = []
    # The demo cadre went to last year's class, so their own page and list have one.
    shown = set(Cadre.objects.filter(user__username="cadre").values_list("id", flat=True))
    for county in OrgUnit.objects.filter(kind=UnitKind.COUNTY, parent=city).order_by("code"):
        pool = list(_township_cadres(county).values_list("id", flat=True))
        for years_back in (3, 2, 1):
            start = today - relativedelta(years=years_back, months=rng.randint(0, 5), days=rng.randint(0, 27))
            programme = _programme(
                county, ProgrammeKind.TRAINING, f"{county.name}乡镇干部能力提升培训班（{start.year}年）", start, 5
            )
            chosen = rng.sample(pool, int(len(pool) * SHARE_A_YEAR))
            if years_back == 1:
                chosen += [pk for pk in pool if pk in shown and pk not in chosen]
            _attend(programme, chosen, rng, nominations, absences)
        start = today - relativedelta(months=rng.randint(2, 8))
        tour = _programme(county, ProgrammeKind.STUDY_TOUR, f"{county.name}乡镇干部赴先进地区参观考察", start, 4)
        _attend(tour, rng.sample(pool, min(20, len(pool))), rng, nominations, absences)
    secretaries = list(
        Cadre.objects.filter(unit__kind=UnitKind.TOWNSHIP, leader_post=LeaderPost.PARTY_SECRETARY)
        .exclude(status__in=ENDED_STATUSES)
        .order_by("id")
        .values_list("id", flat=True)
    )
    start = today - relativedelta(months=7)
    rotation = _programme(city, ProgrammeKind.TRAINING, "全市乡镇党政正职轮训班", start, 6, location="市委党校")
    _attend(rotation, secretaries, rng, nominations, absences)
    _without_clashes(absences, nominations)
    _programme(
        city, ProgrammeKind.EXCHANGE, "乡镇干部赴市直机关工作交流", today + relativedelta(months=2), 30, places=15
    )
    _coming_with_proposal(today)


def _township_cadres(unit: OrgUnit) -> QuerySet[Cadre]:
    return Cadre.objects.filter(unit__path__startswith=unit.path, unit__kind=UnitKind.TOWNSHIP).exclude(
        status__in=ENDED_STATUSES
    )


def _programme(
    unit: OrgUnit,
    kind: str,
    name: str,
    start: dt.date,
    days: int,
    places: int | None = None,
    location: str = "",
) -> TrainingProgramme:
    return TrainingProgramme.objects.create(
        unit=unit,
        kind=kind,
        name=name,
        date_from=start,
        date_to=start + dt.timedelta(days=days - 1),
        location=location or ("外省先进乡镇" if kind == ProgrammeKind.STUDY_TOUR else f"{unit.name}委党校"),
        places=places or 1,
    )


def _attend(
    programme: TrainingProgramme,
    cadre_ids: list[int],
    rng: random.Random,
    nominations: list[Nomination],
    absences: list[tuple[Absence, Nomination]],
) -> None:
    """Nominate ``cadre_ids``: nine in ten attended (with their absence), the rest excused or absent."""
    if not cadre_ids:
        return
    programme.places = len(cadre_ids)
    programme.save(update_fields=["places"])
    recorded = timezone.make_aware(dt.datetime.combine(programme.date_to, dt.time(17)))
    for cadre_id in cadre_ids:
        draw = rng.random()
        state = Attendance.ATTENDED if draw < 0.9 else Attendance.EXCUSED if draw < 0.96 else Attendance.ABSENT
        row = Nomination(
            programme=programme,
            cadre_id=cadre_id,
            priority="基层一线干部",
            attendance=state,
            excuse=rng.choice(EXCUSES) if state == Attendance.EXCUSED else "",
            recorded_at=recorded,
        )
        nominations.append(row)
        if state == Attendance.ATTENDED:
            absences.append(
                (
                    Absence(
                        cadre_id=cadre_id,
                        kind=AbsenceKind.TRAINING,
                        start=programme.date_from,
                        end=programme.date_to,
                        note=f"{programme.get_kind_display()}：{programme.name}",
                    ),
                    row,
                )
            )


def _without_clashes(absences: list[tuple[Absence, Nomination]], nominations: list[Nomination]) -> None:
    """Save the absences that overlap none of the cadre's (the rotation's demo
    leave, or another programme), each linked to its nomination; a cadre
    already away is recorded 请假 instead, as the organiser would."""
    taken: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for cadre_id, start, end in Absence.objects.values_list("cadre_id", "start", "end"):
        taken[cadre_id].append((start, end))
    keep = []
    for absence, nomination in absences:
        if any(start <= absence.end and end >= absence.start for start, end in taken[absence.cadre_id]):
            nomination.attendance, nomination.excuse = Attendance.EXCUSED, "与已登记的请假时间冲突"
            continue
        taken[absence.cadre_id].append((absence.start, absence.end))
        keep.append((absence, nomination))
    Absence.objects.bulk_create([absence for absence, _ in keep], batch_size=2000)
    for absence, nomination in keep:
        nomination.absence = absence
    Nomination.objects.bulk_create(nominations, batch_size=2000)


def _coming_with_proposal(today: dt.date) -> None:
    """The demo county's study tour next month: its first places filled from
    the priority rule's proposal, as the county staff would confirm it."""
    grant = RoleGrant.objects.filter(role=Role.ORG_STAFF, user__username="county_staff").select_related("unit").first()
    if grant is None:
        return
    start = today + relativedelta(months=1)
    tour = _programme(
        grant.unit, ProgrammeKind.STUDY_TOUR, f"{grant.unit.name}乡镇干部赴浙江参观考察", start, 5, places=12
    )
    proposal = candidate_list(user=grant.user, programme=tour, today=today)[:8]
    Nomination.objects.bulk_create(
        [Nomination(programme=tour, cadre=c.cadre, priority=c.reason, nominated_by=grant.user) for c in proposal]
    )
