"""Shapes of signing in: tokens for a username and password, their rotation, and a password change."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework_simplejwt.exceptions import InvalidToken, TokenBackendError
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from cadrecare.org import services
from cadrecare.org.auth import login_delay
from cadrecare.org.models import User


class LoginSerializer(TokenObtainPairSerializer):
    """Username (or mobile number) and password for tokens, through the login
    throttle (cadrecare.org.auth); an attempt it refused answers 429 with
    Retry-After, not a wrong-password 401."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            return super().validate(attrs)
        except AuthenticationFailed:
            delay = login_delay(self.context.get("request"))
            if delay is not None:
                raise Throttled(wait=delay.wait, detail=delay.message) from None
            raise


class RotatingRefreshSerializer(TokenRefreshSerializer):
    """A refresh token is good once (rotated, and blacklisted on use); one
    presented again was copied, so every token of its account is revoked. A
    token from before a password change, or of a deactivated or deleted
    account, refreshes nothing."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            payload = token_backend.decode(attrs["refresh"], verify=True)  # signature and expiry
        except TokenBackendError as error:
            raise InvalidToken(str(error)) from None
        user_id = payload.get(jwt_settings.USER_ID_CLAIM)
        user = User.objects.filter(pk=user_id).first() if user_id is not None else None
        if (
            user is None
            or not user.is_active
            or payload.get(jwt_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password)
        ):
            raise InvalidToken(_("令牌已失效，请重新登录。"))
        with transaction.atomic():
            # One refresh of a token at a time: a second, concurrent use finds it blacklisted.
            outstanding = OutstandingToken.objects.select_for_update().filter(jti=payload.get("jti")).first()
            reused = outstanding is None or BlacklistedToken.objects.filter(token=outstanding).exists()
            if not reused:
                return super().validate(attrs)
        services.user_tokens_revoke(user=user)
        raise InvalidToken(_("该令牌已使用过，账号的全部令牌已撤销，请重新登录。"))


class PasswordChangeInputSerializer(serializers.Serializer):
    old_password = serializers.CharField(label="原密码", style={"input_type": "password"}, trim_whitespace=False)
    new_password = serializers.CharField(label="新密码", style={"input_type": "password"}, trim_whitespace=False)
