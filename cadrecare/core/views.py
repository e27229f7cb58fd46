"""Service endpoints outside the resource router: health."""

from __future__ import annotations

from celery import current_app
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cadrecare.core.cache import cache_state
from cadrecare.core.cache import outage as cache_outage


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


class HealthView(APIView):
    """Reachability of the database, the broker and the cache, for load
    balancers and compose health checks. Only the database is essential: with
    the broker or Redis down the API still serves reads and writes (the outbox
    keeps the workers' share, memory the throttles), so the answer is 200 and
    ``degraded``; 503 only when the database is down."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(
        summary="服务健康检查（数据库、消息队列与缓存）",
        responses={
            200: inline_serializer(
                "Health",
                {
                    "status": serializers.ChoiceField(["ok", "degraded", "unavailable"]),
                    "database": serializers.CharField(),
                    "broker": serializers.CharField(),
                    "cache": serializers.ChoiceField(["ok", "fallback", "memory"]),
                    "cache_fallbacks": serializers.IntegerField(help_text="operations this process served from memory"),
                },
            )
        },
    )
    def get(self, request: Request) -> Response:
        database, broker, cache = _database_ok(), _broker_ok(), cache_state()
        status = "unavailable" if not database else "ok" if broker and cache != "fallback" else "degraded"
        body = {
            "status": status,
            "database": "ok" if database else "unavailable",
            "broker": "ok" if broker else "unavailable",
            "cache": cache,
            "cache_fallbacks": cache_outage.fallbacks,
        }
        return Response(body, status=503 if not database else 200)
