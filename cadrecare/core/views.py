"""Service endpoints outside the resource router: health and login."""

from __future__ import annotations

from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from config.celery import app as celery_app


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


class HealthView(APIView):
    """Database and broker reachability, for load balancers and compose health checks."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(responses={200: inline_serializer("Health", {"database": serializers.CharField(),
                                                                "broker": serializers.CharField()})})
    def get(self, request: Request) -> Response:
        checks = {"database": _database_ok(), "broker": _broker_ok()}
        body = {name: "ok" if ok else "unavailable" for name, ok in checks.items()}
        return Response(body, status=200 if all(checks.values()) else 503)


class LoginThrottledTokenView(TokenObtainPairView):
    """JWT login, throttled per client; repeated failures also lock the username."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"


class ThrottledTokenRefreshView(TokenRefreshView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
