"""What base.html needs on every page, error pages included: the nav the
user's roles allow and the unread-notices badge. Lazy, so templates that do
not show them (the admin, the browsable API) cost no query."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cadrecare.reminders.selectors import notice_unread_count
from cadrecare.web.nav import nav_for


def workbench(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": SimpleLazyObject(lambda: nav_for(request)),
        "unread_count": SimpleLazyObject(lambda: notice_unread_count(user=user)),
    }
