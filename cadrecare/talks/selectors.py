"""Reads on the six must-talks, each starting from the one scope filter.

Confidential content has a per-record rule on top of the access table: the
talker of a trigger or a talk reads it like the organization department in
scope does; confidential triggers (warning signs, petitions) are not
even listed to anyone else. The due-item selectors at the end feed the
reminders and compute everything in set-based queries.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, ExtractYear, Left, TruncDate, TruncMonth
from django.utils.translation import gettext as _

from cadrecare.core import clock
from cadrecare.core.privacy import Level
from cadrecare.core.sql import AddMonths
from cadrecare.org import posts, scoping
from cadrecare.org.access import VIEW, rule_for
from cadrecare.org.choices import CadreStatus, UnitKind
from cadrecare.org.models import PATH_STEP, Cadre, OrgUnit, User
from cadrecare.talks.choices import (
    CommendationStatus,
    FollowUpStatus,
    InterviewItemStatus,
    TriggerKind,
    TriggerStatus,
)
from cadrecare.talks.models import Commendation, InterviewItem, Talk, TalkFollowUp, TalkTrigger
from cadrecare.talks.routing import RouteColumns, with_route

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class RegularTalkDue(RouteColumns):
    """What ``cadres_with_regular_talk_due`` adds to each cadre."""

    last_talk_date: dt.date | None
    next_regular_talk_due: dt.date


class RegularTalker(RegularTalkDue):
    """And ``with_regular_talker``: the holder of the talker's post (None: vacant)."""

    regular_talker_id: int | None


# ---------------------------------------------------------------------------
# Who reads what
# ---------------------------------------------------------------------------


def sensitive_scope_filter(user: User, resource: str, unit_path: str) -> Q | None:
    """Records under a unit where one of ``user``'s grants shows ``resource``
    at the sensitive level (the organization department in scope); None: none.
    ``unit_path`` is the lookup to the record's unit path."""
    if user.is_superuser:
        return Q()
    condition: Q | None = None
    for grant in scoping.grants_of(user):
        rule = rule_for(resource, grant.role)
        if rule is None or VIEW not in rule.actions or rule.self_only or rule.level < Level.SENSITIVE:
            continue
        part = Q(**{f"{unit_path}__startswith": grant.unit_path})
        condition = part if condition is None else condition | part
    return condition


def _either(first: Q | None, second: Q) -> Q:
    return second if first is None else first | second


def trigger_queryset(day: dt.date | None = None) -> QuerySet[TalkTrigger]:
    """Triggers with what their serializer reads, and their talker on ``day``
    (default today; ``owner_now_*``, cadrecare.org.posts): a page costs
    fixed queries."""
    return posts.with_owner(
        TalkTrigger.objects.select_related("cadre__unit", "talker__cadre", "routed_to_unit", "petition"),
        hand="talker",
        hand_note="routing_note",
        day=day or clock.today(),
    )


def talk_trigger_list(*, user: User) -> QuerySet[TalkTrigger]:
    """Triggers in scope plus those the user is the talker of today (by hand,
    or holding the talker's post); confidential ones only for their talker
    and the organization department in scope."""
    own = posts.owned_by(user, hand="talker", day=clock.today())
    visible = _either(scoping.scope_filter(user, "talk-triggers", VIEW, TalkTrigger), own)
    readers = _either(sensitive_scope_filter(user, "talk-triggers", "cadre__unit__path"), own)
    return trigger_queryset().filter(visible).filter(Q(confidential=False) | readers)


def talk_queryset() -> QuerySet[Talk]:
    return Talk.objects.select_related("talkee__unit", "recorded_by").prefetch_related(
        "talkers__cadre", "follow_ups__owner__cadre", "triggers"
    )


def talk_list(*, user: User) -> QuerySet[Talk]:
    """Talks in scope plus those the user took part in as a talker."""
    own = Q(pk__in=Talk.talkers.through.objects.filter(user=user).values("talk_id"))
    return talk_queryset().filter(_either(scoping.scope_filter(user, "talks", VIEW, Talk), own))


def talkees_routed_to(user: User) -> QuerySet[Cadre]:
    """The cadres of the open must-talks routed to ``user`` by name: whom they
    may record a talk with even without a grant over the cadre's unit (the
    county leader and a township party secretary)."""
    return Cadre.objects.filter(
        pk__in=TalkTrigger.objects.filter(talker=user, status=TriggerStatus.OPEN).values("cadre")
    )


def is_talker_anywhere(user: User) -> bool:
    """Whether ``user`` is the talker of some trigger or talk, which lets them
    read those even without a role grant over the cadre."""
    own = posts.owned_by(user, hand="talker", day=clock.today())
    return trigger_queryset().filter(own).exists() or Talk.talkers.through.objects.filter(user=user).exists()


# ---------------------------------------------------------------------------
# Per-unit summary
# ---------------------------------------------------------------------------

_COUNTS = ("open", "overdue", "done_on_time", "done_late", "waived", "cancelled", "total")


def talk_summary(*, triggers: QuerySet[TalkTrigger], today: dt.date | None = None) -> list[dict[str, Any]]:
    """Per unit of the talkee: open, overdue, done on time, done late, waived,
    cancelled (the cadre's service ended) and total must-talks, also split by
    kind. One grouped query."""
    today = today or clock.today()
    rows = (
        triggers.order_by()
        .values("cadre__unit_id", "cadre__unit__name", "cadre__unit__path", "kind")
        .annotate(
            open=Count("id", filter=Q(status=TriggerStatus.OPEN)),
            overdue=Count("id", filter=Q(status=TriggerStatus.OPEN, due_date__lt=today)),
            done_on_time=Count("id", filter=Q(status=TriggerStatus.DONE, done_date__lte=F("due_date"))),
            done_late=Count("id", filter=Q(status=TriggerStatus.DONE, done_date__gt=F("due_date"))),
            waived=Count("id", filter=Q(status=TriggerStatus.WAIVED)),
            cancelled=Count("id", filter=Q(status=TriggerStatus.CANCELLED)),
            total=Count("id"),
        )
    )
    units: dict[int, dict[str, Any]] = {}
    for row in rows:
        unit = units.setdefault(
            row["cadre__unit_id"],
            {
                "id": row["cadre__unit_id"],
                "unit": row["cadre__unit_id"],
                "unit_name": row["cadre__unit__name"],
                "path": row["cadre__unit__path"],
                **dict.fromkeys(_COUNTS, 0),
                "by_kind": {kind: dict.fromkeys(_COUNTS, 0) for kind in TriggerKind.values},
            },
        )
        for name in _COUNTS:
            unit[name] += row[name]
            unit["by_kind"][row["kind"]][name] = row[name]
    return [{k: v for k, v in unit.items() if k != "path"} for unit in sorted(units.values(), key=lambda u: u["path"])]


# ---------------------------------------------------------------------------
# Regular talks (经常性谈心谈话)
# ---------------------------------------------------------------------------


def cadres_with_regular_talk_due(
    queryset: QuerySet[Cadre] | None = None,
) -> QuerySet[WithAnnotations[Cadre, RegularTalkDue]]:
    """Annotate each cadre with ``last_talk_date``, ``regular_cadence_months``
    and ``next_regular_talk_due``.

    Talks are also held regularly, at least once per the cadence of
    the cadre's route (default 12 months); a talk of any kind with the cadre
    resets the clock. With no talk yet the clock starts when the cadre joined
    their unit (else when the record was created). The cadence is the
    cadre's route's (``routing.with_route``), in one query for any number of cadres.
    """
    queryset = Cadre.objects.all() if queryset is None else queryset
    last_talk = Talk.objects.filter(talkee=OuterRef("pk")).order_by("-date").values("date")[:1]
    return (
        with_route(queryset)
        .annotate(
            last_talk_date=Subquery(last_talk, output_field=DateField()),
        )
        .annotate(
            next_regular_talk_due=AddMonths(
                Coalesce(F("last_talk_date"), F("unit_joined"), TruncDate("created_at"), output_field=DateField()),
                F("regular_cadence_months"),
            )
        )
    )


# ---------------------------------------------------------------------------
# Due items, for the reminders
# ---------------------------------------------------------------------------


def _due_by(due_by: dt.date | None) -> dt.date:
    return due_by if due_by is not None else clock.today()


def talk_trigger_due_items(*, due_by: dt.date | None = None) -> QuerySet[TalkTrigger]:
    """Open must-talks due on or before ``due_by`` (default today). Owner: the
    ``talker``, or when none, the ``routed_to_unit`` (the county organization
    department for a vacant post)."""
    return trigger_queryset().filter(status=TriggerStatus.OPEN, due_date__lte=_due_by(due_by))


def regular_talk_due_items(*, due_by: dt.date | None = None) -> QuerySet[WithAnnotations[Cadre, RegularTalker]]:
    """Serving township cadres whose regular talk falls due on or before
    ``due_by`` (default today), annotated as in cadres_with_regular_talk_due
    and with_regular_talker (the owner)."""
    serving = Cadre.objects.filter(status=CadreStatus.SERVING, unit__kind=UnitKind.TOWNSHIP).select_related("unit")
    return with_regular_talker(cadres_with_regular_talk_due(serving)).filter(next_regular_talk_due__lte=_due_by(due_by))


def talk_follow_up_due_items(*, due_by: dt.date | None = None) -> QuerySet[TalkFollowUp]:
    """Open follow-up actions of talks due on or before ``due_by``; owner: ``owner``."""
    return TalkFollowUp.objects.select_related("talk__talkee__unit", "owner").filter(
        status=FollowUpStatus.OPEN, due_date__lte=_due_by(due_by)
    )


def interview_item_due_items(*, due_by: dt.date | None = None) -> QuerySet[InterviewItem]:
    """Cadres not yet interviewed in rounds ending on or before ``due_by``."""
    return InterviewItem.objects.select_related("round__unit", "cadre").filter(
        status=InterviewItemStatus.OPEN, round__end_date__lte=_due_by(due_by)
    )


def with_regular_talker(
    queryset: QuerySet[WithAnnotations[Cadre, RegularTalkDue]],
) -> QuerySet[WithAnnotations[Cadre, RegularTalker]]:
    """Annotate cadres (already through cadres_with_regular_talk_due) with
    ``regular_talker_id``: the login holding today the talker's post their
    route names (``routing.with_route``, the rules ``talk_routing`` reads), so
    the reminders resolve every cadre's owner in one query. None: the post is
    vacant (or its holder has no login) and the county organization
    department acts."""
    return queryset.annotate(regular_talker_id=posts.holder_id("route_unit_id", "route_leader_post", clock.today()))


# ---------------------------------------------------------------------------
# The organization department's overview
# ---------------------------------------------------------------------------


def must_talks_by_area(
    *, user: User, root: OrgUnit, prefix: int, today: dt.date | None = None
) -> dict[str, dict[str, int]]:
    """area -> open, overdue, done and done on time must-talks under ``root``
    that ``user`` may list (``talk_trigger_list``), the area being the first
    ``prefix`` characters of the talkee's unit path. One grouped query."""
    today = today or clock.today()
    rows = (
        talk_trigger_list(user=user)
        .filter(cadre__unit__path__startswith=root.path)
        .order_by()
        .values(area=Left("cadre__unit__path", prefix))
        .annotate(
            open=Count("id", filter=Q(status=TriggerStatus.OPEN)),
            overdue=Count("id", filter=Q(status=TriggerStatus.OPEN, due_date__lt=today)),
            done=Count("id", filter=Q(status=TriggerStatus.DONE)),
            done_on_time=Count("id", filter=Q(status=TriggerStatus.DONE, done_date__lte=F("due_date"))),
        )
    )
    return {row.pop("area"): row for row in rows}


def talks_by_month(*, user: User, root: OrgUnit, since: dt.date) -> dict[dt.date, int]:
    """month -> talks held (by their date) with cadres under ``root`` since ``since``. One query."""
    rows = (
        talk_list(user=user)
        .filter(talkee__unit__path__startswith=root.path, date__gte=since)
        .order_by()
        .values(month=TruncMonth("date"))
        .annotate(n=Count("pk"))
    )
    return {row["month"]: row["n"] for row in rows}


#: A township's path is three steps long (city > county > township): a record's
#: unit path cut there names its township (or the county agency, or the county itself).
TOWNSHIP_PATH_LENGTH = 3 * (PATH_STEP + 1)
COMMENDATION_FIGURES = {
    # column -> which commendations put a person in it
    "awarded": Q(status=CommendationStatus.AWARDED),
    "posthumous": Q(status=CommendationStatus.POSTHUMOUS),
    "recommended": Q(recommended=True),
}


def commendation_statistics(commendations: QuerySet[Commendation], *, from_year: int, to_year: int) -> dict[str, Any]:
    """People commended (表彰奖励), given an award posthumously (追授) and
    recommended to a higher body (推荐) from ``from_year`` to ``to_year``, per
    township and year and per township over the years, each person counted once
    however many commendations they had (so a township's years may add up to
    more than its period). One grouped query per table, one for the names."""
    people = {name: Count("cadre", filter=where, distinct=True) for name, where in COMMENDATION_FIGURES.items()}
    period = commendations.filter(date__year__gte=from_year, date__year__lte=to_year).order_by()
    area = Left("cadre__unit__path", TOWNSHIP_PATH_LENGTH)
    by_year = list(period.values(area=area, year=ExtractYear("date")).annotate(**people).order_by("area", "year"))
    by_area = list(period.values(area=area).annotate(**people).order_by("area"))
    total = period.aggregate(**people)
    areas = {
        path: (pk, name)
        for path, pk, name in OrgUnit.objects.filter(path__in={data["area"] for data in by_area}).values_list(
            "path", "pk", "name"
        )
    }

    def row(data: dict[str, Any], year: int | None) -> dict[str, Any]:
        pk, name = areas.get(data["area"], (0, ""))
        return {"unit": pk, "unit_name": name, "year": year, **{key: data[key] for key in COMMENDATION_FIGURES}}

    summary = _("{from_year}—{to_year}年，表彰奖励 {awarded} 名，追授 {posthumous} 名，推荐 {recommended} 名").format(
        from_year=from_year, to_year=to_year, **total
    )
    return {
        "from_year": from_year,
        "to_year": to_year,
        "summary": summary,
        "rows": [row(data, data["year"]) for data in by_year],
        "units": [row(data, None) for data in by_area],
        "total": {"unit": 0, "unit_name": _("合计"), "year": None, **total},
    }
