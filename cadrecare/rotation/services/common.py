"""The end of a write of a record about one cadre (an absence, a rest request,
a recall), shared by the services that make them."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from cadrecare.audit.services import PLACING, audit_change
from cadrecare.org.models import User
from cadrecare.org.scoping import may_for_cadre, require_placement
from cadrecare.rotation.models import Absence, Recall, RestRequest


def cadre_record_written(
    actor: User | None,
    request: HttpRequest | None,
    action: str,
    resource: str,
    record: Absence | RestRequest | Recall,
    fields: Iterable[str] = (),
) -> None:
    """As ``audit.services.written``, placed by the record's cadre: in
    ``actor``'s scope for the write, or the actor's own record where a
    self-only grant (the cadre role) lets them write it (400 beside ``cadre``
    otherwise); then its one audit row."""
    if actor is not None and not may_for_cadre(actor, resource, PLACING[action], record.cadre):
        require_placement(actor, resource, PLACING[action], record, field="cadre")
    audit_change(actor=actor, action=action, resource=resource, record=record, fields=fields, request=request)
