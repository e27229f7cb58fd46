"""Writing the audit log: one function for reads, one for changes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpRequest

from cadrecare.audit.models import AccessPurpose, AuditAction, AuditEntry
from cadrecare.org.models import User
from cadrecare.org.scoping import roles_of

# Requests that read: each one that shows personal or sensitive values is
# logged as a read, whatever the method. HEAD runs the GET handler (and servers
# such as gunicorn send its body), so it is no lesser read than GET.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: The header an API client names its purpose in: one of AccessPurpose's values (the API refuses another).
PURPOSE_HEADER = "X-Access-Purpose"


@dataclass(frozen=True)
class Access:
    """One record whose personal or sensitive fields were read or changed."""

    resource: str
    object_id: object
    cadre_id: int | None
    fields: Sequence[str]


def _request_meta(request: HttpRequest | None) -> tuple[str, str | None, str]:
    if request is None:
        return "", None, ""
    request_id = getattr(request, "cadrecare_request_id", None)
    if request_id is None:
        request_id = uuid.uuid4().hex
        request.cadrecare_request_id = request_id  # type: ignore[attr-defined]
    purpose = request.headers.get(PURPOSE_HEADER, "")
    return request_id, request.META.get("REMOTE_ADDR") or None, purpose if purpose in AccessPurpose.values else ""


def audit_log(*, actor: User | None, action: str, accesses: Iterable[Access],
              request: HttpRequest | None = None) -> int:
    """Append one entry per accessed record, in one INSERT; returns how many."""
    request_id, ip, purpose = _request_meta(request)
    roles = ",".join(sorted(roles_of(actor))) if actor is not None and actor.is_authenticated else ""
    entries = [
        AuditEntry(
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "system",
            roles=("superuser," + roles if actor is not None and actor.is_superuser else roles)[:200],
            action=action,
            resource=access.resource,
            object_id=str(access.object_id),
            cadre_id=access.cadre_id,
            fields=list(access.fields),
            purpose=purpose,
            request_id=request_id,
            ip=ip,
        )
        for access in accesses
    ]
    AuditEntry.objects.bulk_create(entries)
    return len(entries)


__all__ = ["PURPOSE_HEADER", "READ_METHODS", "Access", "AccessPurpose", "AuditAction", "audit_log"]
