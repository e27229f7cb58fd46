"""Outside DRF views (admin, health check) a database outage answers 503,
not a 500 page with a stack trace."""

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from cadrecare.core.errors import error_body


class ServiceErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError):
            msg = _("服务暂时不可用，请稍后重试。")
            response = JsonResponse(error_body(msg, "unavailable", [{"field": None, "message": msg}]), status=503)
            response["Retry-After"] = "30"
            return response
        return None
