"""The simulation's report: each measure read back from the database (the
notices the scan made, the obligations and their dates) against its target."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict

from benchmarks.obligations.simulation import TRACKED_KINDS, Simulation


def misrouted(sim: Simulation) -> str:
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
    for township, spans in sim.holders.items():
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


def report(sim: Simulation) -> None:
    from django.db.models import Count

    from cadrecare.care.models import VisitObligation
    from cadrecare.org.choices import ENDED_STATUSES, CadreStatus, Role
    from cadrecare.org.models import Cadre, OrgUnit, RoleGrant
    from cadrecare.reminders.choices import Stage
    from cadrecare.reminders.models import Notice
    from cadrecare.reminders.services import UnitBook
    from cadrecare.talks.choices import TriggerSource
    from cadrecare.talks.models import TalkTrigger

    last = sim.start + dt.timedelta(days=sim.days - 1)
    print(f"\n{sim.days} days from {sim.start} to {last}")
    print("events:", dict(Counter(what for what, _, _ in sim.events)))

    # Obligations per event, each with an owner (a person, or an organization
    # department with an officer) and a due date on the day it was raised.
    with_officers = set(
        RoleGrant.objects.filter(role__in=[Role.ORG_STAFF, Role.ORG_ADMIN]).values_list("unit_id", flat=True)
    )
    expected: list[tuple[str, tuple[str, int] | None]] = []
    for what, _, pk in sim.events:
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
        if key is None or key not in sim.tracked:
            continue
        owner, owner_unit = sim.first_owner[key]
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
    for key, item in sim.tracked.items():
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
        Cadre.objects.filter(status__in=ENDED_STATUSES, status_changed_on__gte=sim.start).values_list(
            "pk", "status_changed_on"
        )
    )
    statuses = dict(Cadre.objects.filter(pk__in=ended).values_list("pk", "status"))
    stays = set(VisitObligation.objects.filter(cadre_id__in=ended, source="death").values_list("pk", flat=True)) | set(
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
    movers = {user for user, _, _ in sim.moves}
    told = Notice.objects.filter(recipient_id__in=movers, stage__in=[Stage.UPCOMING, Stage.DUE, Stage.OVERDUE])
    late_told = sum(
        1
        for recipient, unit, created in told.values_list("recipient_id", "unit_id", "created_at")
        for user, old_unit, moved_on in sim.moves
        if recipient == user and unit == old_unit and created.date() >= moved_on
    )
    print(
        f"items with a secretary who moved away: {len(sim.left_with_mover)} open items"
        f" {dict(Counter(kind for kind, _ in sim.left_with_mover))},"
        f" {late_told} owner notices to them after the move ({len(sim.moves)} secretaries moved)"
    )
    print(f"owner notices in a moved secretary's township to another than that day's holder: {misrouted(sim)}")
    print("refused or nobody to act:", dict(sim.refused) or "none")
    done = Counter(t.fate for t in sim.tracked.values())
    ordered = sorted(sim.scan_seconds)
    print(
        f"obligations seen {len(sim.tracked)} (fates {dict(done)}); notices {Notice.objects.count()};"
        f" scan median {ordered[len(ordered) // 2]:.2f}s max {ordered[-1]:.2f}s;"
        f" {OrgUnit.objects.count()} units, {Cadre.objects.count()} cadres;"
        f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
