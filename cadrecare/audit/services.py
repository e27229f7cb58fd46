"""Writing the audit log: one function for reads and changes, and its hash
chain: sealing entries into it and verifying it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import models, transaction
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext

from cadrecare.audit.models import AccessPurpose, AuditAction, AuditEntry
from cadrecare.core.locks import advisory_xact_lock
from cadrecare.org.access import ADD, CHANGE, DELETE
from cadrecare.org.models import User
from cadrecare.org.scoping import cadre_id_of, require_placement, roles_of

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


def audit_log(
    *,
    actor: User | None,
    action: str,
    accesses: Iterable[Access],
    request: HttpRequest | None = None,
    acting_for: str = "",
) -> int:
    """Append one entry per accessed record, in one INSERT; returns how many.
    ``acting_for`` (``<role>@<unit code>``) is the post the actor stood in for,
    kept beside their own roles (the county publishing a vacant township's roster)."""
    request_id, ip, purpose = _request_meta(request)
    roles = ",".join(sorted(roles_of(actor))) if actor is not None and actor.is_authenticated else ""
    if acting_for:
        roles = f"{roles},acting:{acting_for}"
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


def audit_change(
    *,
    actor: User | None,
    action: str,
    resource: str,
    record: models.Model,
    fields: Iterable[str] = (),
    request: HttpRequest | None = None,
    acting_for: str = "",
) -> None:
    """The one audit row of a write a service made (``create``, ``update`` or
    ``delete`` of ``record`` as a ``resource`` record): called by the service
    in its transaction once the write happened, so a refused write leaves none."""
    access = Access(resource, record.pk, cadre_id_of(record), sorted(fields))
    audit_log(actor=actor, action=action, accesses=[access], request=request, acting_for=acting_for)


PLACING = {"create": ADD, "update": CHANGE, "delete": DELETE}


def written(
    actor: User | None,
    request: HttpRequest | None,
    action: str,
    resource: str,
    record: models.Model,
    fields: Iterable[str] = (),
) -> None:
    """The end of a service's write of a ``resource`` record, inside its
    transaction: the record's unit must be in ``actor``'s scope for the write
    (400 beside the field that places it), then its one audit row. Called
    before a delete (the row names the record while it exists), after the rest."""
    unit_field = str(getattr(type(record), "SCOPE_UNIT", "")).split("__")[0] or "unit"
    require_placement(actor, resource, PLACING[action], record, field=unit_field)
    audit_change(actor=actor, action=action, resource=resource, record=record, fields=fields, request=request)


def changed_fields(record: models.Model, before: dict[str, Any]) -> list[str]:
    """The fields of ``before`` (name: value before the write) whose value the write changed."""
    return sorted(name for name, old in before.items() if getattr(record, name, None) != old)


# ---------------------------------------------------------------------------
# The hash chain: someone altering or deleting rows in the database (its
# superuser too, past the append-only trigger) is found by audit_verify. Each
# sealed entry holds an HMAC, keyed by the service's secret key (not in the
# database), of its content and the previous entry's digest: an altered row no
# longer matches, a deleted one leaves a gap in the positions, and a cut tail
# is found against a head recorded outside the database.
# ---------------------------------------------------------------------------

CHAIN_SALT = "cadrecare.audit.chain"
CHAIN_LOCK = 0x617564  # one sealer at a time (cadrecare.core.locks)
SEAL_BATCH = 2000


def _entry_digest(previous: str, entry: AuditEntry) -> str:
    content = json.dumps(
        [
            entry.pk,
            entry.at.isoformat(),
            entry.actor_id,
            entry.actor_name,
            entry.roles,
            entry.action,
            entry.resource,
            entry.object_id,
            entry.cadre_id,
            entry.fields,
            entry.purpose,
            entry.request_id,
            entry.ip,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )
    return salted_hmac(CHAIN_SALT, previous + content, algorithm="sha256").hexdigest()


def audit_seal() -> int:
    """Chain the entries written since the last seal, in the order of their
    ids, each batch in its own transaction; returns how many. Run every
    minute by Celery beat: an entry is open to undetected deletion only until
    then (written inline, the chain would make every audited request wait on one lock)."""
    sealed = 0
    while True:
        with transaction.atomic():
            advisory_xact_lock(CHAIN_LOCK)
            head = (
                AuditEntry.objects.exclude(chain_position=None)
                .order_by("-chain_position")
                .values_list("chain_position", "digest")
                .first()
            )
            # The queryset holds sealed entries only: their position is never None.
            position, digest = (cast(int, head[0]), head[1]) if head is not None else (0, "")
            entries = list(AuditEntry.objects.filter(chain_position=None).order_by("id")[:SEAL_BATCH])
            for entry in entries:
                position, digest = position + 1, _entry_digest(digest, entry)
                entry.chain_position, entry.digest = position, digest
            AuditEntry.objects.bulk_update(entries, ["chain_position", "digest"], batch_size=500)
        sealed += len(entries)
        if len(entries) < SEAL_BATCH:
            return sealed


@dataclass(frozen=True)
class ChainReport:
    sealed: int
    unsealed: int
    head: str  # "position:digest" of the last sealed entry: keep it outside the database
    problems: list[str]


def audit_verify(*, head: str = "") -> ChainReport:
    """Walk the chain: every sealed entry's digest recomputed, every position
    present; ``head`` (a ``position:digest`` recorded earlier) still in it."""
    problems: list[str] = []
    position, digest, count = 0, "", 0
    for entry in (
        AuditEntry.objects.exclude(chain_position=None).order_by("chain_position").iterator(chunk_size=SEAL_BATCH)
    ):
        sealed_at = cast(int, entry.chain_position)  # sealed entries only (chain_position is not None)
        if sealed_at != position + 1:
            problems.append(
                gettext("链序号 %(first)s–%(last)s 的记录已被删除") % {"first": position + 1, "last": sealed_at - 1}
            )
        if not constant_time_compare(entry.digest, _entry_digest(digest, entry)):
            problems.append(
                gettext("链序号 %(chain_position)s（记录编号 %(pk)s）的内容或顺序已被改动")
                % {"chain_position": entry.chain_position, "pk": entry.pk}
            )
        position, digest, count = sealed_at, entry.digest, count + 1
    if head:
        at, _, expected = head.partition(":")
        found = AuditEntry.objects.filter(chain_position=int(at)).values_list("digest", flat=True).first()
        if found is None or not constant_time_compare(found, expected):
            problems.append(gettext("记录在外的链头 %(at)s 已不在链中：末尾的记录被删除或改写") % {"at": at})
    return ChainReport(
        sealed=count,
        unsealed=AuditEntry.objects.filter(chain_position=None).count(),
        head=f"{position}:{digest}",
        problems=problems,
    )


__all__ = [
    "PURPOSE_HEADER",
    "READ_METHODS",
    "Access",
    "AccessPurpose",
    "AuditAction",
    "ChainReport",
    "audit_change",
    "audit_log",
    "audit_seal",
    "audit_verify",
    "changed_fields",
    "written",
]
