"""One error shape for every failure a client can cause.

Every error body is ``{"message": <Chinese sentence>, "code": <slug>,
"errors": [{"field": <name or null>, "message": <sentence>}]}``: DRF
validation errors, Django validation errors, domain rules broken in a service
and database conflicts all come out the same way, so a township secretary reads
one sentence and a client finds the field at fault.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

#: A database that went away (restart, failover, a terminated connection):
#: worth retrying a job for; anything else is a bug to show, not to loop on.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


class DomainError(Exception):
    """A business rule was broken; ``message`` is shown to the person as is."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        errors: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = list(errors)
        if code:
            self.code = code


class ConflictError(DomainError):
    """The object changed or is busy; retrying later may succeed."""

    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


class ForbiddenError(DomainError):
    """The action is not the user's to take (a role above their own, say)."""

    status_code = status.HTTP_403_FORBIDDEN
    code = "forbidden"


class PreconditionFailed(DomainError):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    code = "precondition_failed"


class PreconditionRequired(DomainError):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    code = "precondition_required"


def _flatten(detail: Any, prefix: str | None = None) -> list[dict[str, Any]]:
    """Turn DRF's nested error detail into a flat list of (field, message)."""
    if isinstance(detail, Mapping):
        out: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__") else str(key)
            full = f"{prefix}.{name}" if prefix and name else (name or prefix)
            out.extend(_flatten(value, full))
        return out
    if isinstance(detail, list | tuple):
        out = []
        for index, value in enumerate(detail):
            if isinstance(value, Mapping | list | tuple) and not _is_message_list(value):
                out.extend(_flatten(value, f"{prefix}[{index}]" if prefix else f"[{index}]"))
            else:
                out.extend(_flatten(value, prefix))
        return out
    return [{"field": prefix, "message": str(detail)}]


def _is_message_list(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)


def error_body(message: str, code: str, errors: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {"message": message, "code": code, "errors": errors}


def _summary(errors: Sequence[Mapping[str, Any]], fallback: str) -> str:
    if not errors:
        return fallback
    first = errors[0]
    return first["message"]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: render every client error in the one shape."""
    if isinstance(exc, DomainError):
        errors = exc.errors or [{"field": exc.field, "message": exc.message}]
        return Response(error_body(exc.message, exc.code, errors), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        # A service's refusal says why (who may do it instead); Django's own carry no message.
        exc = exceptions.PermissionDenied(exc.args[0] if exc.args else None)
    elif isinstance(exc, IntegrityError):
        logger.info("integrity error turned into 409: %s", exc)
        body = error_body(
            _("与已有记录冲突，请检查是否重复提交。"),
            "conflict",
            [{"field": None, "message": _("与已有记录冲突，请检查是否重复提交。")}],
        )
        return Response(body, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, OperationalError):
        logger.warning("database unavailable: %s", exc)
        msg = _("服务暂时不可用，请稍后重试。")
        return Response(
            error_body(msg, "unavailable", [{"field": None, "message": msg}]),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "30"},
        )
    elif isinstance(exc, DatabaseError):
        # e.g. a value PostgreSQL refuses that validation let through.
        logger.warning("database refused a value: %s", exc)
        msg = _("提交的数据无法保存，请检查输入。")
        return Response(error_body(msg, "invalid", [{"field": None, "message": msg}]), status=400)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        flat = _flatten(exc.detail)
        response.data = error_body(_summary(flat, _("输入有误。")), "invalid", flat)
    elif isinstance(exc, exceptions.APIException):
        message = str(exc.detail) if not isinstance(exc.detail, Mapping | list) else _("请求失败。")
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        response.data = error_body(message, str(code), [{"field": None, "message": message}])
    return response
