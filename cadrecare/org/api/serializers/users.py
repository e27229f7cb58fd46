"""Shapes of logins: grants, users, who is signed in, and logins opened for cadres in bulk."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.i18n import choice_label
from cadrecare.org.access import ACCESS
from cadrecare.org.api.serializers.fields import ScopedPrimaryKeyField
from cadrecare.org.choices import (
    LoginDelivery,
    LoginUsernameRule,
    Role,
)
from cadrecare.org.models import Cadre, OrgUnit, RoleGrant, User
from cadrecare.org.scoping import grants_of, manageable_users, own_cadre_id


class GrantableUserField(serializers.PrimaryKeyRelatedField):
    """Who may be given a role: a login the granter manages wholly
    (``scoping.manageable_users``); anyone else reads as 'does not exist'."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return User.objects.none()
        return manageable_users(user)


class RoleGrantSerializer(PrivacyModelSerializer):
    user = GrantableUserField(queryset=User.objects.all(), label="用户")
    unit = ScopedPrimaryKeyField("role-grants", queryset=OrgUnit.objects.all(), label="单位")
    role_label = ChoiceLabelField(source="role")
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    acting_post_label = ChoiceLabelField(source="acting_post")

    class Meta:
        model = RoleGrant
        fields = [
            "id",
            "user",
            "role",
            "role_label",
            "unit",
            "unit_name",
            "acting_post",
            "acting_post_label",
            "acting_from",
            "acting_until",
            "granted_by",
            "granted_at",
        ]
        read_only_fields = ["granted_by", "granted_at"]


class GrantBriefSerializer(serializers.ModelSerializer):
    role_label = ChoiceLabelField(source="role")
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = RoleGrant
        fields = ["id", "role", "role_label", "unit", "unit_name", "acting_post", "acting_from", "acting_until"]


class UserSerializer(PrivacyModelSerializer):
    grants = GrantBriefSerializer(many=True, read_only=True)
    password = serializers.CharField(write_only=True, required=True, label="密码", style={"input_type": "password"})
    role = serializers.ChoiceField(choices=Role.choices, write_only=True, label="初始角色")
    unit = ScopedPrimaryKeyField("users", queryset=OrgUnit.objects.all(), write_only=True, label="授权单位")
    cadre = serializers.PrimaryKeyRelatedField(
        queryset=Cadre.objects.all(), required=False, allow_null=True, label="干部（本账号所属的干部档案）"
    )
    cadre_name = serializers.CharField(source="cadre.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "must_change_password",
            "cadre",
            "cadre_name",
            "grants",
            "password",
            "role",
            "unit",
            "last_login",
            "date_joined",
        ]
        read_only_fields = ["must_change_password", "last_login", "date_joined"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:  # role and password change through their own endpoints
            for name in ("password", "role", "unit"):
                fields.pop(name, None)
            fields["username"].read_only = True
        return fields


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    is_superuser = serializers.BooleanField()
    must_change_password = serializers.BooleanField(help_text="须先修改初始密码（POST /api/v1/me/password/）")
    cadre = serializers.IntegerField(allow_null=True)
    grants = GrantBriefSerializer(many=True)
    permissions = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))

    @staticmethod
    def describe(user: User) -> dict[str, Any]:
        roles = {grant.role for grant in grants_of(user)}
        permissions = {
            resource: sorted(set().union(*(rules_[role].actions for role in roles if role in rules_)))
            for resource, rules_ in ACCESS.items()
            if user.is_superuser or roles & set(rules_)
        }
        return {
            "id": user.pk,
            "username": user.username,
            "name": user.get_full_name() or user.username,
            "is_superuser": user.is_superuser,
            "must_change_password": user.must_change_password,
            "cadre": own_cadre_id(user),
            "grants": RoleGrant.objects.filter(user=user).select_related("unit"),
            "permissions": permissions,
        }


class CadreLoginsInputSerializer(serializers.Serializer):
    unit = ScopedPrimaryKeyField(
        "cadres", queryset=OrgUnit.objects.all(), required=False, label="单位（该单位尚无账号的在职干部）"
    )
    cadres = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=2000, label="干部编号"
    )
    username_rule = serializers.ChoiceField(choices=LoginUsernameRule.choices, label="用户名规则")
    delivery = serializers.ChoiceField(choices=LoginDelivery.choices, label="初始密码发放方式")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("unit") and not attrs.get("cadres"):
            raise serializers.ValidationError({"cadres": _("请选择单位或干部。")})
        return attrs


class LoginIssuedSerializer(serializers.Serializer):
    cadre = serializers.IntegerField(source="cadre.pk")
    cadre_name = serializers.CharField(source="cadre.name")
    unit_name = serializers.CharField(source="cadre.unit.name")
    username = serializers.CharField()
    password = serializers.CharField(allow_null=True, help_text="初始密码，仅此一次显示；短信已送达则为空")
    delivery = serializers.ChoiceField(choices=LoginDelivery.choices)
    delivery_label = serializers.SerializerMethodField()
    sms_error = serializers.CharField()

    def get_delivery_label(self, issued: Any) -> str:
        return choice_label(LoginDelivery(issued.delivery).label)


class LoginSkippedSerializer(serializers.Serializer):
    cadre = serializers.IntegerField(source="cadre.pk")
    cadre_name = serializers.CharField(source="cadre.name")
    reason = serializers.CharField()


class LoginsResultSerializer(serializers.Serializer):
    issued = LoginIssuedSerializer(many=True, label="已开通")
    skipped = LoginSkippedSerializer(many=True, label="未开通（已有账号或已离任）")
