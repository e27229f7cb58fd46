"""What core's shared layer (the scoped API base, its filters, the spreadsheet
imports) needs from domain apps: the scope rules (``cadrecare.org.scoping``)
and the audit log (``cadrecare.audit.services``); and what org, the lowest
domain app, needs from the apps above it: the audit log and the notification
channels (``cadrecare.reminders.channels``), so no two apps import each other.

Core sits below every domain app and imports none of them
(docs/decisions/0005-tasks-stay-in-scheduler-named-by-services.md): each of the
apps hands its module over when Django starts (``AppConfig.ready`` calls
``provide``), and core reads it through the stand-ins here when a request or an
import runs, never at import time.

``Scoping``, ``Audit`` and ``Channels`` say what is used of each module, so the type checker
checks both sides: core's calls against them, and (in ``provide``) the module an
app hands over against them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import HttpRequest

from cadrecare.core.privacy import Level

if TYPE_CHECKING:
    # Annotations only: the import contract lets core name a domain app's types, never import it at run time.
    from django.contrib.auth.models import AnonymousUser
    from django.db import models

    from cadrecare.audit.models import AccessPurpose as AccessPurposeChoices
    from cadrecare.audit.models import AuditAction as AuditActionChoices
    from cadrecare.audit.services import Access as AccessRecord
    from cadrecare.org.models import OrgUnit as OrgUnitModel
    from cadrecare.org.models import User
    from cadrecare.reminders.choices import Channel as ChannelChoices


class Scoping(Protocol):
    """What core calls of ``cadrecare.org.scoping``."""

    OrgUnit: type[OrgUnitModel]

    def may(self, user: User, resource: str, action: str) -> bool: ...
    def may_in_unit(self, user: User, resource: str, action: str, unit: OrgUnitModel) -> bool: ...
    def may_on(self, user: User, resource: str, action: str, instance: models.Model) -> bool: ...
    def scoped(self, queryset: QuerySet[Any], user: User, resource: str, action: str = ...) -> QuerySet[Any]: ...
    def nameable(self, queryset: QuerySet[Any], user: User | AnonymousUser | None, resource: str) -> QuerySet[Any]: ...
    def visible_level(self, user: User, resource: str, unit_path: str | None, cadre_id: int | None) -> Level: ...
    def listing_level(self, user: User, resource: str) -> Level: ...
    def single_unit_path(self, model: type[models.Model]) -> str | None: ...
    def unit_of(self, instance: models.Model) -> OrgUnitModel | None: ...
    def cadre_id_of(self, instance: models.Model) -> int | None: ...
    def forget_cached_grants(self, user: User | AnonymousUser) -> None: ...


class Audit(Protocol):
    """What core (and org) call of ``cadrecare.audit.services``."""

    Access: type[AccessRecord]
    AccessPurpose: type[AccessPurposeChoices]
    AuditAction: type[AuditActionChoices]
    PURPOSE_HEADER: str
    READ_METHODS: frozenset[str]

    def audit_log(
        self,
        *,
        actor: User | None,
        action: str,
        accesses: Iterable[AccessRecord],
        request: HttpRequest | None = ...,
        acting_for: str = ...,
    ) -> int: ...
    def written(
        self,
        actor: User | None,
        request: HttpRequest | None,
        action: str,
        resource: str,
        record: models.Model,
        fields: Iterable[str] = ...,
    ) -> None: ...
    def changed_fields(self, record: models.Model, before: dict[str, Any]) -> list[str]: ...


class Channels(Protocol):
    """What org calls of ``cadrecare.reminders.channels`` (a new login's password by SMS)."""

    Channel: type[ChannelChoices]

    def channel_send(self, *, channel: str, address: str, subject: str, body: str, key: str) -> str | None: ...


M = TypeVar("M")


class Provided(Generic[M]):
    """Stands for a module a domain app provides: ``scoping.may(...)`` calls the
    provided module's ``may``."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.module: M | None = None

    def __getattr__(self, name: str) -> Any:
        if self.module is None:
            raise ImproperlyConfigured(f"{self.what} was not provided: is its app in INSTALLED_APPS?")
        return getattr(self.module, name)


scoping_stand_in: Provided[Scoping] = Provided("the scope rules (cadrecare.org.scoping)")
audit_stand_in: Provided[Audit] = Provided("the audit log (cadrecare.audit.services)")

# What core calls: each stand-in, typed as the module it forwards to. A cast, because the type
# checker cannot follow ``__getattr__`` forwarding; ``provide`` checks the module against the protocol.
scoping = cast(Scoping, scoping_stand_in)
audit = cast(Audit, audit_stand_in)
channels_stand_in: Provided[Channels] = Provided("the notification channels (cadrecare.reminders.channels)")
channels = cast(Channels, channels_stand_in)


def provide(stand_in: Provided[M], module: M) -> None:
    stand_in.module = module
