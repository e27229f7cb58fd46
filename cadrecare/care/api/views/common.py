"""What the care endpoints share: the .xlsx export of a filtered list, and recording exactly once per client key."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.audit.services import audit_log
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError
from cadrecare.core.exports import xlsx_response

MAX_EXPORT_ROWS = 10000


class ExportMixin:
    """``GET <resource>/export/``: the filtered list as .xlsx with Chinese
    headers, built from the (masked) API rows and logged as one export."""

    export_title: ClassVar[str]
    export_columns: ClassVar[Sequence[tuple[str, str]]]

    def export_rows(self) -> list[Any]:
        view: Any = self
        return list(view.filter_queryset(view.get_queryset())[: MAX_EXPORT_ROWS + 1])

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def export(self, request: AuthenticatedRequest) -> HttpResponse:
        view: Any = self
        rows = self.export_rows()
        if len(rows) > MAX_EXPORT_ROWS:
            raise DomainError(
                _("一次最多导出 %(MAX_EXPORT_ROWS)s 行，请缩小筛选范围。") % {"MAX_EXPORT_ROWS": MAX_EXPORT_ROWS},
                field="unit",
            )
        data = view.get_serializer(rows, many=True).data
        audit_log(actor=request.user, action="export", accesses=list(view._audit_reads), request=request._request)
        view._audit_reads.clear()
        return xlsx_response(title=self.export_title, filename=view.resource, columns=self.export_columns, rows=data)


class RecordOnceMixin:
    """Create through a service that records exactly once per client key:
    the ``Idempotency-Key`` header (or ``request_key`` in the body). A retry
    answers with the first record and ``Idempotent-Replayed: true``."""

    record: ClassVar[Callable[..., tuple[models.Model, bool]]]

    def request_key(self, data: dict[str, Any]) -> str:
        view: Any = self
        key = (view.request.headers.get("Idempotency-Key") or data.pop("request_key", "") or "").strip()
        data.pop("request_key", None)
        if len(key) > 64:
            raise DomainError(_("请求编号（Idempotency-Key）不能超过64个字符。"), field="request_key")
        return key

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        view: Any = self
        data = dict(serializer.validated_data)
        key = self.request_key(data)
        record, created = type(self).record(
            actor=view.request.user, request_key=key, request=view.request._request, **data
        )
        self.replayed = not created
        return record

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().create(request, *args, **kwargs)  # type: ignore[misc]
        if getattr(self, "replayed", False):
            response["Idempotent-Replayed"] = "true"
        return response
