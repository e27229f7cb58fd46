"""The simulated city: the day's events, the owners acting on their obligations,
the reminders scan, on a clock moved one day at a time."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# Family events, illnesses, retirements, departures, post changes and awarded
# commendations per day in a city of about 3,500 cadres.
DAILY_RATES = {
    "family_event": 0.5,
    "illness": 0.15,
    "retirement": 0.15,
    "departure": 0.08,
    "post_change": 0.25,
    "commendation": 0.1,
}
DEATH_DAYS = (20, 75)
SECRETARY_MOVE_DAYS = (15, 40, 60, 90)
VACANCY_DAYS = (0, 3, 7, 12)  # how long each moved secretary's post stays empty
ACTING_AFTER_DAYS = 10  # a vacancy this long gets an acting secretary (代理)
LOGIN_WAIT_DAYS = 5
FATES = (("early", 0.60), ("late", 0.25), ("never", 0.15))
TRACKED_KINDS = ("visit_obligation", "talk_trigger")


@dataclass
class Tracked:
    kind: str
    object_id: int
    unit_path: str
    first_seen: dt.date
    due: dt.date
    fate: str
    act_on: dt.date | None
    open_days: set[dt.date] = field(default_factory=set)


class Simulation:
    def __init__(self, *, seed: int, days: int) -> None:
        from cadrecare.core import clock

        self.rng = random.Random(seed)
        self.days = days
        self.start = clock.today() + dt.timedelta(days=1)
        self.tracked: dict[tuple[str, int], Tracked] = {}
        self.events: list[tuple[str, str, int]] = []  # (what, model label, pk)
        self.refused: Counter[str] = Counter()
        self.moves: list[tuple[int, int, dt.date]] = []  # (moved secretary's user id, old unit id, day)
        self.pending_successors: list[tuple[dt.date, int]] = []  # (day, township id)
        self.scan_seconds: list[float] = []
        self.first_owner: dict[tuple[str, int], tuple[int | None, int | None]] = {}
        self.left_with_mover: set[tuple[str, int]] = set()
        self.today_items: dict[tuple[str, int], Any] = {}
        self.posthumous = 0
        # Who should own a moved secretary's township's items from the move on:
        # township id -> [(first day, user id or None for the organization department)].
        self.holders: dict[int, list[tuple[dt.date, int | None]]] = {}
        self.pending_logins: list[tuple[dt.date, int]] = []  # (day, cadre id)

    # -- the simulated clock -------------------------------------------------

    def _set_clock(self, day: dt.date) -> None:
        """Every rule reads the day from cadrecare.core.clock; the simulation
        moves it (office hours, Asia/Shanghai) instead of waiting for it."""
        from django.utils import timezone

        from cadrecare.core import clock

        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
        clock.now = lambda: moment  # type: ignore[assignment]
        clock.today = lambda: day  # type: ignore[assignment]

    def run(self) -> None:
        from cadrecare.reminders.services import reminders_scan

        for offset in range(self.days):
            day = self.start + dt.timedelta(days=offset)
            self._set_clock(day)
            self._events(day, offset)
            self._track(day)
            self._act(day)
            started = time.monotonic()
            reminders_scan(today=day)
            self.scan_seconds.append(time.monotonic() - started)
            self._mark_open(day)
            if offset % 10 == 9:
                print(f"day {offset + 1}: {len(self.tracked)} obligations seen", flush=True)

    # -- 1. events -------------------------------------------------------------

    def _serving(self, **filters: Any) -> Any:
        from cadrecare.org.choices import CadreStatus, UnitKind
        from cadrecare.org.models import Cadre

        return Cadre.objects.filter(status=CadreStatus.SERVING, unit__kind=UnitKind.TOWNSHIP, **filters)

    def _pick(self, **filters: Any) -> Any:
        ids = list(self._serving(**filters).order_by("id").values_list("id", flat=True))
        from cadrecare.org.models import Cadre

        return Cadre.objects.select_related("unit").get(pk=self.rng.choice(ids))

    def _count(self, rate: float) -> int:
        # Poisson by inversion: a day's count of events that come at ``rate`` a day.
        limit, product, count = pow(2.718281828459045, -rate), self.rng.random(), 0
        while product > limit:
            product *= self.rng.random()
            count += 1
        return count

    def _events(self, day: dt.date, offset: int) -> None:
        from cadrecare.care import services as care
        from cadrecare.care.choices import CadreConditionKind, FamilyEventKind
        from cadrecare.org import services as org
        from cadrecare.org.choices import CadreStatus, LeaderPost, PostChangeKind, Role
        from cadrecare.org.models import Cadre
        from cadrecare.talks import services as talks
        from cadrecare.talks.choices import CommendationLevel, CommendationStatus

        kinds = [k for k in FamilyEventKind.values if k != FamilyEventKind.OTHER]
        for _ in range(self._count(DAILY_RATES["family_event"])):
            event, _ = care.family_event_record(
                actor=None, cadre=self._pick(), kind=self.rng.choice(kinds), date=day, today=day
            )
            self.events.append(("family_event", "care.FamilyEvent", event.pk))
        for _ in range(self._count(DAILY_RATES["illness"])):
            condition, _ = care.cadre_condition_record(
                actor=None, cadre=self._pick(), kind=CadreConditionKind.ILLNESS, date=day, today=day
            )
            self.events.append(("illness", "care.CadreCondition", condition.pk))
        if offset in DEATH_DAYS:
            dead = self._pick(leader_post=LeaderPost.NONE)
            condition, _ = care.cadre_condition_record(
                actor=None, cadre=dead, kind=CadreConditionKind.DEATH, date=day, today=day
            )
            self.events.append(("death", "care.CadreCondition", condition.pk))
            if offset == DEATH_DAYS[0]:
                self.posthumous = dead.pk
        if offset == DEATH_DAYS[0] + 10:
            dead = self._serving().model.objects.get(pk=self.posthumous)
            commendation = talks.commendation_record(
                actor=None,
                cadre=dead,
                level=CommendationLevel.COUNTY,
                title="抗洪抢险先进个人（追授）",
                date=day,
                status=CommendationStatus.POSTHUMOUS,
                today=day,
            )
            self.events.append(("posthumous_commendation", "talks.Commendation", commendation.pk))
        for status, rate in ((CadreStatus.RETIRED, "retirement"), (CadreStatus.TRANSFERRED_OUT, "departure")):
            for _ in range(self._count(DAILY_RATES[rate])):
                cadre = self._pick(leader_post=LeaderPost.NONE)
                org.cadre_status_change(actor=None, cadre=cadre, status=status, date=day, today=day)
                self.events.append((rate, "org.Cadre", cadre.pk))
        for _ in range(self._count(DAILY_RATES["post_change"])):
            cadre = self._pick(leader_post=LeaderPost.NONE)
            change = org.post_change_record(
                actor=None,
                cadre=cadre,
                kind=PostChangeKind.PROMOTION,
                date=day,
                to_unit=cadre.unit,
                to_rank=cadre.rank,
                to_post_title="副主任",
            )
            self.events.append(("post_change", "org.PostChange", change.pk))
        if offset in SECRETARY_MOVE_DAYS:
            self._move_secretary(day, VACANCY_DAYS[SECRETARY_MOVE_DAYS.index(offset)])
        for _, township_id in [p for p in self.pending_successors if p[0] == day]:
            self._appoint_successor(day, township_id)
        for _, cadre_id in [p for p in self.pending_logins if p[0] == day]:
            successor = Cadre.objects.select_related("unit").get(pk=cadre_id)
            self.holders[successor.unit_id].append((day, self._give_login(successor, role=Role.SECRETARY).pk))
        for _ in range(self._count(DAILY_RATES["commendation"])):
            commendation = talks.commendation_record(
                actor=None,
                cadre=self._pick(),
                level=CommendationLevel.COUNTY,
                title=f"优秀共产党员（{day:%Y%m%d}-{self.rng.randint(1, 10**6)}）",
                date=day,
                today=day,
            )
            self.events.append(("commendation", "talks.Commendation", commendation.pk))

    def _move_secretary(self, day: dt.date, vacancy: int) -> None:
        """A township party secretary with a login and open items is posted to a
        county agency and keeps the login; a deputy succeeds ``vacancy`` days later."""
        from cadrecare.org import services as org
        from cadrecare.org.choices import LeaderPost, PostChangeKind, Role, UnitKind
        from cadrecare.org.models import OrgUnit

        # One who owns open items in the township, as a moving secretary usually does.
        owners = {item.owner_id for item in self.today_items.values()} - {user for user, _, _ in self.moves}
        secretary = self._pick(leader_post=LeaderPost.PARTY_SECRETARY, user_id__in=owners)
        agency = OrgUnit.objects.filter(parent_id=secretary.unit.parent_id, kind=UnitKind.COUNTY_AGENCY).first()
        change = org.post_change_record(
            actor=None,
            cadre=secretary,
            kind=PostChangeKind.TRANSFER,
            date=day,
            to_unit=agency,
            to_rank=secretary.rank,
            to_leader_post=LeaderPost.NONE,
            to_post_title="副部长",
        )
        self.events.append(("secretary_moved", "org.PostChange", change.pk))
        self.moves.append((secretary.user_id, secretary.unit_id, day))
        self.pending_successors.append((day + dt.timedelta(days=vacancy), secretary.unit_id))
        self.holders[secretary.unit_id] = [(day, None)]
        if vacancy >= ACTING_AFTER_DAYS:
            # A long vacancy: the township head acts (代理) until the successor comes.
            head = self._pick(unit_id=secretary.unit_id, leader_post=LeaderPost.HEAD)
            until = day + dt.timedelta(days=vacancy - 1)
            acting = self._give_login(head, role=Role.CADRE)
            org.role_grant_create(
                actor=self._admin(),
                user=acting,
                role=Role.SECRETARY,
                unit=secretary.unit,
                acting_post=LeaderPost.PARTY_SECRETARY,
                acting_from=day,
                acting_until=until,
            )
            self.holders[secretary.unit_id] = [(day, acting.pk)]
            self.events.append(("acting_granted", "org.RoleGrant", acting.pk))

    def _appoint_successor(self, day: dt.date, township_id: int) -> None:
        from cadrecare.org import services as org
        from cadrecare.org.choices import LeaderPost, PostChangeKind, Role
        from cadrecare.org.models import Cadre

        deputy = self._pick(unit_id=township_id, leader_post=LeaderPost.DEPUTY)
        change = org.post_change_record(
            actor=None,
            cadre=deputy,
            kind=PostChangeKind.PROMOTION,
            date=day,
            to_unit=deputy.unit,
            to_rank=deputy.rank,
            to_leader_post=LeaderPost.PARTY_SECRETARY,
            to_post_title="党委书记",
        )
        self.events.append(("secretary_appointed", "org.PostChange", change.pk))
        if self.rng.random() < 0.75:
            self.holders[township_id].append((day, self._give_login(deputy, role=Role.SECRETARY).pk))
            return
        # A quarter of successors wait LOGIN_WAIT_DAYS for their login: their items go
        # to the department meanwhile (the demo gives everyone a login, so it is taken away first).
        Cadre.objects.filter(pk=deputy.pk).update(user=None)
        deputy.user_id = None
        self.holders[township_id].append((day, None))
        self.pending_logins.append((day + dt.timedelta(days=LOGIN_WAIT_DAYS), deputy.pk))

    def _admin(self) -> Any:
        from cadrecare.org.models import User

        return User.objects.get(username="city_admin")

    def _give_login(self, cadre: Any, *, role: str) -> Any:
        """The organization department opens a login for ``cadre`` (or finds the one they have)."""
        from cadrecare.org import services as org
        from cadrecare.org.models import Cadre, User

        if cadre.user_id is not None:
            return User.objects.get(pk=cadre.user_id)
        user = org.user_create(
            actor=self._admin(), username=f"sim_{cadre.pk}", password="Sim-cadre-2027!", role=role, unit=cadre.unit
        )
        Cadre.objects.filter(pk=cadre.pk).update(user=user)
        return user

    # -- 2. owners act ---------------------------------------------------------

    def _open_items(self, day: dt.date) -> dict[tuple[str, int], Any]:
        from cadrecare.reminders.sources import due_items, iter_due_items, reading_due_items

        with reading_due_items():
            return {
                (item.kind, item.object_id): item for item in iter_due_items(due_items(today=day, kinds=TRACKED_KINDS))
            }

    def _fate(self, day: dt.date, due: dt.date) -> tuple[str, dt.date | None]:
        roll, fate = self.rng.random(), "never"
        for name, share in FATES:
            if roll < share:
                fate = name
                break
            roll -= share
        if fate == "early":
            return fate, day + dt.timedelta(days=self.rng.randint(0, max(0, (due - day).days - 1)))
        if fate == "late":
            return fate, max(due, day) + dt.timedelta(days=self.rng.randint(1, 20))
        return fate, None

    def _track(self, day: dt.date) -> None:
        self.today_items = self._open_items(day)
        for key, item in self.today_items.items():
            if key not in self.tracked:
                fate, act_on = self._fate(day, item.due_date)
                self.tracked[key] = Tracked(
                    kind=item.kind,
                    object_id=item.object_id,
                    unit_path=item.unit_path,
                    first_seen=day,
                    due=item.due_date,
                    fate=fate,
                    act_on=act_on,
                )
                self.first_owner[key] = (item.owner_id, item.owner_unit_id)

    def _actor(self, item: Any) -> Any:
        """Whoever owns the item today: the named owner, or an officer of the
        organization department the item went to."""
        from cadrecare.org.choices import Role
        from cadrecare.org.models import RoleGrant, User

        if item.owner_id is not None:
            return User.objects.get(pk=item.owner_id)
        grant = (
            RoleGrant.objects.filter(unit_id=item.owner_unit_id, role__in=[Role.ORG_STAFF, Role.ORG_ADMIN])
            .select_related("user")
            .order_by("id")
            .first()
        )
        return grant.user if grant else None

    def _act(self, day: dt.date) -> None:
        from django.core.exceptions import PermissionDenied
        from rest_framework.exceptions import APIException

        from cadrecare.care import services as care
        from cadrecare.care.choices import ObligationSource, VisitKind
        from cadrecare.care.models import VisitObligation
        from cadrecare.core.errors import DomainError
        from cadrecare.talks import services as talks
        from cadrecare.talks.choices import TalkForm
        from cadrecare.talks.models import TalkTrigger

        for key, item in self.today_items.items():
            if self.tracked[key].act_on != day:
                continue
            actor = self._actor(item)
            if actor is None:
                self.refused[f"{item.kind}: 无人可办"] += 1
                continue
            try:
                if item.kind == "visit_obligation":
                    obligation = VisitObligation.objects.select_related("cadre").get(pk=item.object_id)
                    death = obligation.source == ObligationSource.DEATH
                    care.visit_record(
                        actor=actor,
                        cadre=obligation.cadre,
                        date=day,
                        kind=VisitKind.CONDOLENCE if death else VisitKind.MUST_VISIT,
                        visitors=[actor],
                        obligations=[obligation],
                        today=day,
                    )
                else:
                    trigger = TalkTrigger.objects.select_related("cadre").get(pk=item.object_id)
                    talks.talk_record(
                        actor=actor,
                        talkee=trigger.cadre,
                        talkers=[actor],
                        date=day,
                        form=TalkForm.FACE_TO_FACE,
                        triggers=[trigger],
                        today=day,
                    )
            except (DomainError, PermissionDenied, APIException) as exc:
                self.refused[f"{item.kind}: {exc}"] += 1

    # -- 3. after the scan -----------------------------------------------------

    def _mark_open(self, day: dt.date) -> None:
        from django.db.models import Q

        from cadrecare.org.choices import LeaderPost
        from cadrecare.org.models import Cadre
        from cadrecare.reminders.sources import due_items, iter_due_items, reading_due_items

        for key in self._open_items(day):
            self.tracked[key].open_days.add(day)
        movers = {user for user, _, _ in self.moves}
        if not movers:
            return
        # Every kind, the roster to publish and the check-ups included: nothing of the old township stays with them.
        with reading_due_items():
            theirs = list(iter_due_items(due_items(today=day, where=Q(di_owner_id__in=movers))))
        for user_id, unit_id, moved_on in self.moves:
            still_holder = Cadre.objects.filter(
                user_id=user_id, unit_id=unit_id, leader_post=LeaderPost.PARTY_SECRETARY
            ).exists()
            if still_holder:
                continue
            for item in theirs:
                if item.owner_id == user_id and item.unit_id == unit_id and day >= moved_on:
                    self.left_with_mover.add((item.kind, item.object_id))
