"""The request types of views that only a signed-in user reaches.

Django and DRF type ``request.user`` as ``User | AnonymousUser``, because a
request in general may come from anyone. Every API resource sits behind
``IsAuthenticated`` and every workbench page behind ``LoginRequiredMixin``, so
by the time their code runs the user is a ``User``: these types say so once,
instead of a check or a cast at every service call that takes the actor
(docs/typing.md).

They exist for the type checker only: at run time the request is DRF's or
Django's own, and nothing is converted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from rest_framework.request import Request

if TYPE_CHECKING:
    # Annotations only: core imports no domain app at run time (the import contract allows this).
    from cadrecare.org.models import User


class AuthenticatedRequest(Request):
    """A DRF request behind ``IsAuthenticated``: ``ScopedViewSet.request`` and the ``request`` of its actions."""

    user: User


class AuthenticatedHttpRequest(HttpRequest):
    """A Django request behind ``LoginRequiredMixin`` (the workbench's ``PageView``) or the admin's login."""

    user: User
