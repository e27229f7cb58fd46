"""Who holds a post on a day, and so who owns what was given to the post:
the one place that says it.

An open item whose owner was chosen by post (a township's party secretary
or head, the county party secretary, the organization-department head) names
the post and its unit (``owner_post`` and ``owner_post_unit`` on must-talks
and visit obligations), not a person; whoever holds the post on the day it is
read or reminded owns it, so a post change or the end of an acting grant
hands it over at once. An item assigned to a named person by hand
(``owner_post`` empty) keeps that person (the ``hand`` field) until reassigned.

The holder of a leader post in a unit on a day is
1. the user of an acting grant (代理) for that post on the unit, running that day;
2. else the active login of the serving cadre holding the post (the
   longest-serving one if the data shows two);
3. else nobody: the organization department above acts, and the note says
   why: the post is vacant (岗位空缺) or its holder has no login (未开通账号).

Everything here is SQL expressions, so a list or the reminders scan resolves
the holders of all its rows in its one query. The unit's HR officer is a role,
not a leader post: ``reminders.sources.unit_role_holder`` finds them, counting
acting grants only while they run (``running``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils.translation import gettext, gettext_noop

from cadrecare.org.choices import CadreStatus, LeaderPost
from cadrecare.org.models import Cadre, RoleGrant, User, person_name

VACANT = gettext_noop("岗位空缺")
NO_LOGIN = gettext_noop("未开通账号")

BY_POST = ~Q(owner_post="")


def running(day: dt.date, prefix: str = "") -> Q:
    """Grants that count on ``day``: those for good, and acting ones whose span covers it."""
    return Q(**{f"{prefix}acting_from__isnull": True}) | Q(
        **{f"{prefix}acting_from__lte": day, f"{prefix}acting_until__gte": day}
    )


def _acting(unit: str, post: str, day: dt.date) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(
        unit_id=OuterRef(unit), acting_post=OuterRef(post), acting_from__lte=day, acting_until__gte=day
    )


def _serving(unit: str, post: str) -> QuerySet[Cadre]:
    return Cadre.objects.filter(unit_id=OuterRef(unit), leader_post=OuterRef(post), status=CadreStatus.SERVING)


def holder_id(unit: str, post: str, day: dt.date) -> Coalesce:
    """The user id holding the leader post named by the field ``post`` in the
    unit named by ``unit`` on ``day`` (NULL: nobody, see the module)."""
    acting = _acting(unit, post, day).filter(user__is_active=True).order_by("-acting_from", "id").values("user_id")
    serving = _serving(unit, post).filter(user__is_active=True).order_by("id").values("user_id")
    return Coalesce(Subquery(acting[:1]), Subquery(serving[:1]), output_field=BigIntegerField())


def owner_id(hand: str, day: dt.date) -> Case:
    """The owner of an item on ``day``: the holder of its post, or the person
    in ``hand`` (the user foreign key) for an item assigned by hand. NULL: the
    organization department above acts."""
    return Case(
        When(BY_POST, then=holder_id("owner_post_unit_id", "owner_post", day)),
        default=F(f"{hand}_id"),
        output_field=BigIntegerField(),
    )


def owner_note(hand_note: str, day: dt.date) -> Case:
    """Why an item by post has no owner on ``day`` (岗位空缺 / 未开通账号, ""
    when it has one); an item by hand keeps the note in ``hand_note``."""
    held = Exists(_serving("owner_post_unit_id", "owner_post"))
    return Case(
        When(BY_POST & Q(owner_now_id__isnull=False), then=Value("")),
        When(BY_POST & Q(held), then=Value(NO_LOGIN)),
        When(BY_POST, then=Value(VACANT)),
        default=F(hand_note),
        output_field=CharField(),
    )


def with_owner(queryset: QuerySet, *, hand: str, hand_note: str, day: dt.date) -> QuerySet:
    """Annotate items having ``owner_post`` / ``owner_post_unit`` with their
    owner on ``day``: ``owner_now_id`` (the login), ``owner_now_cadre_id``
    and ``owner_now_name`` (the person, as people are named: their cadre
    record) and ``owner_now_note``, computed for the rows read, in the one query."""
    cadre = Cadre.objects.filter(user_id=OuterRef("owner_now_id"))
    full = Trim(Concat("first_name", Value(" "), "last_name", output_field=CharField()))
    login = User.objects.filter(pk=OuterRef("owner_now_id")).values(name=Coalesce(NullIf(full, Value("")), "username"))
    return queryset.annotate(owner_now_id=owner_id(hand, day)).annotate(
        owner_now_note=owner_note(hand_note, day),
        owner_now_cadre_id=Subquery(cadre.values("id")[:1], output_field=BigIntegerField()),
        owner_now_name=Coalesce(Subquery(cadre.values("name")[:1]), Subquery(login[:1]), output_field=CharField()),
    )


def posts_held(user: User, day: dt.date | None) -> list[tuple[int, str]]:
    """The (unit, leader post) pairs ``user`` holds or acts in on ``day``
    (any day when None) in one query: where items ``user`` owns by post can lie."""
    serving = Cadre.objects.filter(user=user, status=CadreStatus.SERVING).exclude(leader_post=LeaderPost.NONE)
    acting = RoleGrant.objects.filter(user=user).exclude(acting_post="")
    if day is not None:
        acting = acting.filter(acting_from__lte=day, acting_until__gte=day)
    return list(
        serving.order_by()
        .values_list("unit_id", "leader_post")
        .union(acting.order_by().values_list("unit_id", "acting_post"), all=True)
    )


def owned_by(user: User, *, hand: str, day: dt.date) -> Q:
    """Items of a queryset through ``with_owner`` that ``user`` owns on
    ``day``: theirs by hand, or by a post they hold. The posts are read first
    (``posts_held``), so the holder is resolved only on rows of those units."""
    units = sorted({unit for unit, _post in posts_held(user, day)})
    mine = Q(**{f"{hand}_id": user.pk}) & ~BY_POST
    if not units:
        return mine
    return mine | (BY_POST & Q(owner_post_unit_id__in=units, owner_now_id=user.pk))


def holder(unit_id: int, post: str, day: dt.date) -> tuple[User | None, str]:
    """The same rule for one post, in Python (routing an item as it is
    raised): the holder's login on ``day``, or None and the note (岗位空缺 /
    未开通账号). Two queries."""
    acting = (
        RoleGrant.objects.filter(
            unit_id=unit_id, acting_post=post, acting_from__lte=day, acting_until__gte=day, user__is_active=True
        )
        .select_related("user")
        .order_by("-acting_from", "id")
        .first()
    )
    if acting is not None:
        return acting.user, ""
    cadres = list(
        Cadre.objects.filter(unit_id=unit_id, leader_post=post, status=CadreStatus.SERVING)
        .select_related("user")
        .order_by("id")
    )
    user = next((c.user for c in cadres if c.user is not None and c.user.is_active), None)
    if user is not None:
        return user, ""
    return None, NO_LOGIN if cadres else VACANT


@dataclass(frozen=True)
class Owner:
    """Who owns one item today: the login, the person's cadre record and
    name, and when nobody does, why (the item's note)."""

    user_id: int | None
    cadre_id: int | None
    name: str | None
    note: str

    @property
    def note_text(self) -> str:
        """The note in the request's language (岗位空缺 and 未开通账号 are in the catalogue)."""
        return gettext(self.note) if self.note in (VACANT, NO_LOGIN) else self.note


def owner_now(item: Any, *, hand: str, hand_note: str, day: dt.date) -> Owner:
    """The owner of one item on ``day``: from the annotations of
    ``with_owner`` when it was read through it, else resolved here (an item
    just written)."""
    if hasattr(item, "owner_now_id"):
        return Owner(item.owner_now_id, item.owner_now_cadre_id, item.owner_now_name, item.owner_now_note)
    if item.owner_post:
        user, note = holder(item.owner_post_unit_id, item.owner_post, day)
    else:
        user, note = getattr(item, hand), getattr(item, hand_note)
    if user is None:
        return Owner(None, None, None, note)
    cadre = getattr(user, "cadre", None)  # a missing reverse one-to-one raises an AttributeError
    return Owner(user.pk, cadre.pk if cadre is not None else None, person_name(user), note)
