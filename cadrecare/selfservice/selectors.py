"""Reads of cadre self-service: the reports and family changes a reader may
list (scoped like every resource), and the 心里话 a reader may read, which
are not scoped by the unit tree at all: only their sender and whoever holds
the addressed role on the addressed unit read them."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cadrecare.org.access import VIEW
from cadrecare.org.choices import Role, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, RoleGrant, User, ancestor_paths
from cadrecare.org.scoping import grants_of, scoped
from cadrecare.selfservice.choices import Addressee, Decision
from cadrecare.selfservice.models import FamilyMemberChange, HeartMessage, SelfReport

# Who answers each kind of addressee, by the role they hold on the addressed unit.
ANSWERING_ROLES = {
    Addressee.SECRETARY: (Role.SECRETARY,),
    Addressee.ORG_DEPARTMENT: (Role.ORG_ADMIN, Role.ORG_STAFF),
}


def self_report_queryset() -> QuerySet[SelfReport]:
    return SelfReport.objects.select_related("cadre__unit", "family_member", "decided_by")


def family_member_change_queryset() -> QuerySet[FamilyMemberChange]:
    return FamilyMemberChange.objects.select_related("cadre__unit", "member", "decided_by")


def self_report_list(*, user: User, pending: bool = False) -> QuerySet[SelfReport]:
    reports = scoped(self_report_queryset(), user, "self-reports", VIEW)
    return reports.filter(status=Decision.PENDING) if pending else reports


def family_member_change_list(*, user: User, pending: bool = False) -> QuerySet[FamilyMemberChange]:
    changes = scoped(family_member_change_queryset(), user, "family-member-changes", VIEW)
    return changes.filter(status=Decision.PENDING) if pending else changes


def addressed_to(user: User) -> Q | None:
    """The 心里话 ``user`` answers: those addressed to a role they hold, on the
    very unit they hold it on (a city's organization department does not read
    what a county's receives). None: they answer none."""
    condition: Q | None = None
    for grant in grants_of(user):
        for addressee, roles in ANSWERING_ROLES.items():
            if grant.role in roles:
                part = Q(addressee=addressee, addressee_unit_id=grant.unit_id)
                condition = part if condition is None else condition | part
    return condition


def message_list(*, user: User, box: str = "") -> QuerySet[HeartMessage]:
    """The 心里话 ``user`` may read: sent (``box="sent"``), received
    (``box="received"``) or both."""
    messages = HeartMessage.objects.select_related("sender_cadre__unit", "addressee_unit", "answered_by")
    if not user.is_authenticated:
        return messages.none()
    received = addressed_to(user)
    sent = Q(sender=user)
    if box == "sent":
        condition: Q | None = sent
    elif box == "received":
        condition = received
    else:
        condition = sent if received is None else sent | received
    return messages.filter(condition) if condition is not None else messages.none()


def message_addressee_unit(cadre: Cadre, addressee: str) -> OrgUnit | None:
    """The unit a cadre's 心里话 goes to: their own unit's party secretary, or
    the organization department of the county above them (their own unit when
    it is a county)."""
    if addressee == Addressee.SECRETARY:
        return cadre.unit
    return (
        OrgUnit.objects.filter(path__in=ancestor_paths(cadre.unit.path), kind=UnitKind.COUNTY, active=True)
        .order_by("-path")
        .first()
    )


def message_answerers(unit: OrgUnit, addressee: str) -> list[int]:
    """The active users who read and answer 心里话 of ``addressee`` sent to ``unit``."""
    return sorted(
        set(
            RoleGrant.objects.filter(
                unit=unit, role__in=ANSWERING_ROLES[Addressee(addressee)], user__is_active=True
            ).values_list("user_id", flat=True)
        )
    )
