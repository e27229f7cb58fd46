"""What core's shared layer (the scoped API base, its filters, the spreadsheet
imports) needs from two domain apps: the scope rules (``cadrecare.org.scoping``)
and the audit log (``cadrecare.audit.services``).

Core sits below every domain app and imports none of them
(docs/decisions/0005-tasks-stay-in-scheduler-named-by-services.md): each of the
two apps hands its module over when Django starts (``AppConfig.ready`` calls
``provide``), and core reads it through the stand-ins here when a request or an
import runs, never at import time."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Provided:
    """Stands for a module a domain app provides: ``scoping.may(...)`` calls the
    provided module's ``may``."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.module: ModuleType | None = None

    def __getattr__(self, name: str) -> Any:
        if self.module is None:
            raise ImproperlyConfigured(f"{self.what} was not provided: is its app in INSTALLED_APPS?")
        return getattr(self.module, name)


scoping = Provided("the scope rules (cadrecare.org.scoping)")
audit = Provided("the audit log (cadrecare.audit.services)")


def provide(stand_in: Provided, module: ModuleType) -> None:
    stand_in.module = module
