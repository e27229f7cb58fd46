"""Middleware of the whole site: the client's address from trusted proxies
only, security headers Django 5.2 does not set itself, and, outside DRF views
(admin, health check), a database outage answered 503 instead of a 500 page
with a stack trace."""

import ipaddress
from collections.abc import Callable, Sequence
from functools import lru_cache

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from cadrecare.core.errors import error_body

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


class TrustedProxyMiddleware:
    """Who the client is, and whether it came over TLS, as told by the proxies
    in settings.TRUSTED_PROXIES (addresses or networks) and nobody else.

    From a trusted proxy, ``REMOTE_ADDR`` becomes the nearest address in
    ``X-Forwarded-For`` that is not itself a trusted proxy (the right-most
    hops are the ones our proxies wrote; what the client put on the left is
    not believed). From anyone else both ``X-Forwarded-For`` and
    ``X-Forwarded-Proto`` are dropped, so the login throttle, DRF's throttles,
    the audit log's address and ``request.is_secure()`` (SECURE_PROXY_SSL_HEADER)
    cannot be told a story by the client. First in MIDDLEWARE.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        networks = _networks(tuple(settings.TRUSTED_PROXIES))
        forwarded_for = meta.pop("HTTP_X_FORWARDED_FOR", "")
        if _trusted(meta.get("REMOTE_ADDR", ""), networks):
            for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
                if not _trusted(hop, networks):
                    if _is_address(hop):  # else a proxy of ours is misconfigured: keep its own address
                        meta["REMOTE_ADDR"] = hop
                    break
        else:
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class RequestSizeMiddleware:
    """Refuse (413) a request body by its declared length, before anything
    reads it: an upload (multipart, from a client that presents credentials)
    up to settings.UPLOAD_MAX_BYTES, any other body up to
    DATA_UPLOAD_MAX_MEMORY_SIZE. Django bounds only what it keeps in memory:
    files went to disk whole before a view could refuse them, and the login
    pages parsed anonymous multipart posts the same way. A body without a
    length is not read at all (Django reads CONTENT_LENGTH bytes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = self._limit(request)
        if length > limit:
            msg = _("提交的内容过大，不能超过 %(size)s。") % {"size": _size(limit)}
            return JsonResponse(error_body(msg, "too_large", [{"field": None, "message": msg}]), status=413)
        return self.get_response(request)

    @staticmethod
    def _limit(request: HttpRequest) -> int:
        upload = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        credentials = "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES
        return settings.UPLOAD_MAX_BYTES if upload and credentials else settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _size(limit: int) -> str:
    return f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


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
