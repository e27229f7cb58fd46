"""Middleware of the whole site: security headers Django 5.2 does not set
itself, and, outside DRF views (admin, health check), a database outage
answered 503 instead of a 500 page with a stack trace."""

from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from cadrecare.core.errors import error_body


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every response (settings.CONTENT_SECURITY_POLICY),
    and ``Cache-Control: no-store`` on every response that does not say how it
    may be cached: the API's and the pages' answers are someone's personal data,
    never to be kept by a browser or a proxy. Static files set their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


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
