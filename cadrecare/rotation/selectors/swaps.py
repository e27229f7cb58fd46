"""Swap requests: the requester's and the counterpart's, and the unit's in scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cadrecare.org import scoping
from cadrecare.org.access import VIEW
from cadrecare.org.models import User
from cadrecare.rotation.models import SwapRequest


def swap_request_queryset() -> QuerySet[SwapRequest]:
    return SwapRequest.objects.select_related("roster__unit", "requester", "counterpart", "applied_version")


def swap_request_list(*, user: User) -> QuerySet[SwapRequest]:
    """Requests in the user's scope (a cadre's own, as requester) plus those
    that name them as the counterpart: a party to a request always sees it."""
    visible = scoping.scope_filter(user, "swap-requests", VIEW, SwapRequest)
    own = scoping.own_cadre_id(user)
    if own is not None and scoping.may(user, "swap-requests", VIEW):
        visible = Q(counterpart_id=own) if visible is None else visible | Q(counterpart_id=own)
    if visible is None:
        return SwapRequest.objects.none()
    return swap_request_queryset().filter(visible)
