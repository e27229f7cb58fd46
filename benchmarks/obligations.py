"""Simulation: do obligations follow the people behind them?

    .venv/bin/python -m benchmarks.obligations [--days 120] [--seed 11]

Builds the demo city (``seed_demo``, about 3,500 cadres) in a database of its
own, made anew on every run (``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/cadrecare_obligsim``), gives every
county and the city two organization-department officers (the demo gives
every township cadre a login), then lives ``--days`` days from tomorrow,
one day at a time, on a simulated clock:

1. the day's events, drawn with a fixed seed at rates a city of this size sees:
   family events, cadres falling ill, deaths, retirements and departures,
   post changes (party secretaries moving to a county agency among them, the
   successor appointed after a vacancy of a few days, the township head acting
   over the longest, some successors waiting for their login), commendations
   (one posthumous);
2. the owners act: each obligation's fate is drawn when it is first seen:
   done ahead of its due date (60 %), late (25 %), never (15 %); whoever owns
   it on the day they act records the visit or the talk through the services,
   and a refusal is counted;
3. the reminders scan, as the beat runs it.

The report: obligations made per event with an owner and a due date; the share
of items reminded before they fell due, and escalated to the county on the day
the schedule says; duplicate notices; notices about a cadre after their death
or retirement (but the condolence visit to a dead cadre's family and the
retiree's family visits, which stay); items with a secretary who has moved away
(open in their old township and owned by them, or noticed to them after the
move). The targets are 100 %, 100 %, 100 %, 0, 0, 0 (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import psycopg

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


def _fresh_database(url: str) -> None:
    """Drop and create the simulation's database: every run starts from the same demo city."""
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cadrecare_obligsim")
    _fresh_database(url)

    from benchmarks.province import give_logins, setup_province

    started = time.monotonic()
    setup_province(65)
    give_logins(without_login_every=20)
    print(f"demo city ready in {time.monotonic() - started:.0f}s", flush=True)
    Simulation(seed=args.seed, days=args.days).run()


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
        self.report()

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

    # -- the report ------------------------------------------------------------

    def _misrouted(self) -> str:
        """Owner notices about the items of a moved secretary's post, from the
        move on, that went to anyone but that day's holder: the acting secretary,
        the organization department while the post is vacant or its holder has no
        login, then the successor."""
        from cadrecare.care.models import VisitObligation
        from cadrecare.org.choices import LeaderPost, Role
        from cadrecare.org.models import OrgUnit, RoleGrant
        from cadrecare.reminders.choices import Stage
        from cadrecare.reminders.models import Notice
        from cadrecare.talks.models import TalkTrigger

        wrong = checked = 0
        for township, spans in self.holders.items():
            post = {"owner_post": LeaderPost.PARTY_SECRETARY, "owner_post_unit_id": township}
            kinds = {
                "visit_obligation": set(VisitObligation.objects.filter(**post).values_list("pk", flat=True)),
                "talk_trigger": set(TalkTrigger.objects.filter(**post).values_list("pk", flat=True)),
            }
            county = OrgUnit.objects.get(pk=township).parent_id
            department = set(
                RoleGrant.objects.filter(unit_id=county, role__in=[Role.ORG_STAFF, Role.ORG_ADMIN]).values_list(
                    "user_id", flat=True
                )
            )
            notices = Notice.objects.filter(
                unit_id=township,
                stage__in=[Stage.UPCOMING, Stage.DUE, Stage.OVERDUE],
                created_at__date__gte=spans[0][0],
            ).values_list("kind", "object_id", "recipient_id", "created_at")
            for kind, object_id, recipient, created in notices:
                if object_id not in kinds.get(kind, ()):
                    continue
                holder = [user for first, user in spans if first <= created.date()][-1]
                checked += 1
                wrong += recipient != holder if holder is not None else recipient not in department
        return f"{wrong} of {checked}"

    def report(self) -> None:
        from django.db.models import Count

        from cadrecare.care.models import VisitObligation
        from cadrecare.org.choices import ENDED_STATUSES, CadreStatus, Role
        from cadrecare.org.models import Cadre, OrgUnit, RoleGrant
        from cadrecare.reminders.choices import Stage
        from cadrecare.reminders.models import Notice
        from cadrecare.reminders.services import UnitBook
        from cadrecare.talks.choices import TriggerSource
        from cadrecare.talks.models import TalkTrigger

        last = self.start + dt.timedelta(days=self.days - 1)
        print(f"\n{self.days} days from {self.start} to {last}")
        print("events:", dict(Counter(what for what, _, _ in self.events)))

        # Obligations per event, each with an owner (a person, or an organization
        # department with an officer) and a due date on the day it was raised.
        with_officers = set(
            RoleGrant.objects.filter(role__in=[Role.ORG_STAFF, Role.ORG_ADMIN]).values_list("unit_id", flat=True)
        )
        expected: list[tuple[str, tuple[str, int] | None]] = []
        for what, _, pk in self.events:
            if what in ("family_event", "illness", "death"):
                ref = {"family_event": pk} if what == "family_event" else {"condition": pk}
                ob = VisitObligation.objects.filter(**ref).values_list("pk", flat=True).first()
                expected.append((what, ("visit_obligation", ob) if ob else None))
            trigger_source = {
                "family_event": TriggerSource.FAMILY_EVENT,
                "post_change": TriggerSource.POST_CHANGE,
                "secretary_moved": TriggerSource.POST_CHANGE,
                "secretary_appointed": TriggerSource.POST_CHANGE,
                "commendation": TriggerSource.COMMENDATION,
            }.get(what)
            if trigger_source:
                raised = TalkTrigger.objects.filter(source=trigger_source, source_key=str(pk)).first()
                expected.append((what, ("talk_trigger", raised.pk) if raised else None))
        posthumous_talks = TalkTrigger.objects.filter(source=TriggerSource.COMMENDATION, cadre__status="deceased")
        made = 0
        for _, key in expected:
            if key is None or key not in self.tracked:
                continue
            owner, owner_unit = self.first_owner[key]
            if owner is not None or owner_unit in with_officers:
                made += 1
        print(
            f"obligations made with an owner and a due date: {made}/{len(expected)} = {made / len(expected):.1%}"
            f" (talks raised by a posthumous award: {posthumous_talks.count()})"
        )

        # Reminded before due; escalated to the county on the day.
        book = UnitBook()
        reminded = eligible = escalated = should = 0
        notices = defaultdict(set)
        for kind, object_id, stage, created in Notice.objects.filter(kind__in=TRACKED_KINDS).values_list(
            "kind", "object_id", "stage", "created_at"
        ):
            notices[(kind, object_id)].add((stage, created.date()))
        for key, item in self.tracked.items():
            stages = notices.get(key, set())
            if item.due <= last and item.due in item.open_days and item.first_seen < item.due:
                eligible += 1
                reminded += any(s in (Stage.UPCOMING, Stage.DUE) and d <= item.due for s, d in stages)
            day = item.due + dt.timedelta(days=book.rule_for(item.unit_path).county_after_days)
            if day <= last and day in item.open_days:
                should += 1
                escalated += (Stage.COUNTY, day) in stages
        print(f"reminded before due: {reminded}/{eligible} = {reminded / max(eligible, 1):.1%}")
        print(f"escalated to the county on the day: {escalated}/{should} = {escalated / max(should, 1):.1%}")

        # Duplicates: one stage of one item told to more than one named owner on one day.
        duplicates = (
            Notice.objects.filter(stage__in=[Stage.UPCOMING, Stage.DUE, Stage.OVERDUE], owner__isnull=False)
            .values("kind", "object_id", "stage", "period", "created_at__date")
            .annotate(people=Count("recipient", distinct=True))
            .filter(people__gt=1)
        )
        print(f"duplicate notices: {sum(row['people'] - 1 for row in duplicates)}")

        # Notices about a cadre after their service ended, but the visits that stay.
        ended = dict(
            Cadre.objects.filter(status__in=ENDED_STATUSES, status_changed_on__gte=self.start).values_list(
                "pk", "status_changed_on"
            )
        )
        statuses = dict(Cadre.objects.filter(pk__in=ended).values_list("pk", "status"))
        stays = set(
            VisitObligation.objects.filter(cadre_id__in=ended, source="death").values_list("pk", flat=True)
        ) | set(
            VisitObligation.objects.filter(cadre_id__in=ended, cadre__status=CadreStatus.RETIRED).values_list(
                "pk", flat=True
            )
        )
        after: Counter[str] = Counter()
        for kind, object_id, cadre_id, created in Notice.objects.filter(cadre_id__in=ended).values_list(
            "kind", "object_id", "cadre_id", "created_at"
        ):
            if created.date() > ended[cadre_id] and not (kind == "visit_obligation" and object_id in stays):
                after[f"{kind} ({statuses[cadre_id]})"] += 1
        print(f"notices about a cadre after their death, retirement or departure: {sum(after.values())} {dict(after)}")

        # Items left with a secretary who moved away.
        movers = {user for user, _, _ in self.moves}
        told = Notice.objects.filter(recipient_id__in=movers, stage__in=[Stage.UPCOMING, Stage.DUE, Stage.OVERDUE])
        late_told = sum(
            1
            for recipient, unit, created in told.values_list("recipient_id", "unit_id", "created_at")
            for user, old_unit, moved_on in self.moves
            if recipient == user and unit == old_unit and created.date() >= moved_on
        )
        print(
            f"items with a secretary who moved away: {len(self.left_with_mover)} open items"
            f" {dict(Counter(kind for kind, _ in self.left_with_mover))},"
            f" {late_told} owner notices to them after the move ({len(self.moves)} secretaries moved)"
        )
        print(f"owner notices in a moved secretary's township to another than that day's holder: {self._misrouted()}")
        print("refused or nobody to act:", dict(self.refused) or "none")
        done = Counter(t.fate for t in self.tracked.values())
        ordered = sorted(self.scan_seconds)
        print(
            f"obligations seen {len(self.tracked)} (fates {dict(done)}); notices {Notice.objects.count()};"
            f" scan median {ordered[len(ordered) // 2]:.2f}s max {ordered[-1]:.2f}s;"
            f" {OrgUnit.objects.count()} units, {Cadre.objects.count()} cadres;"
            f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )


if __name__ == "__main__":
    main()
