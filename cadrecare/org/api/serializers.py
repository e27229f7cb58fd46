"""Shapes of the organisation resources; rules live in services and rules.py."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.relations import PKOnlyObject
from rest_framework_simplejwt.exceptions import InvalidToken, TokenBackendError
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from cadrecare.core import clock
from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.i18n import choice_label
from cadrecare.core.privacy import Level
from cadrecare.org import rules, services
from cadrecare.org.access import ACCESS
from cadrecare.org.auth import login_delay
from cadrecare.org.choices import (
    ENDED_STATUSES,
    CadreStatus,
    LoginDelivery,
    LoginUsernameRule,
    PostChangeKind,
    Rank,
    Role,
)
from cadrecare.org.models import Cadre, Office, OrgUnit, PostChange, RoleGrant, User, person_name
from cadrecare.org.scoping import grants_of, manageable_users, nameable, own_cadre_id


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A reference that accepts only objects the requesting user can see, so
    an id outside scope is 'not found' (400), like every other lookup."""

    def __init__(self, resource: str, **kwargs: Any) -> None:
        self.resource = resource
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        queryset = super().get_queryset()
        assert queryset is not None  # a writable related field has one (DRF's RelatedField checks it)
        return nameable(queryset, getattr(request, "user", None), self.resource)


@extend_schema_field(OpenApiTypes.INT)
class PersonField(serializers.RelatedField):
    """A person named in a record (talker, visitor, owner, interviewer): given
    and shown as the id of their cadre record, stored as the login behind it,
    so one person has one number everywhere. A cadre outside the reader's scope
    for the record's resource reads as 'does not exist'; one without an active
    login is refused by name (the login is opened under 干部 → 开通账号). The
    queryset of the record should select ``<field>__cadre`` (one query a page)."""

    default_error_messages = {
        "required": gettext_lazy("请选择人员。"),
        "does_not_exist": gettext_lazy("干部编号 {pk_value} 不存在或不在您的管理范围内。"),
        "incorrect_type": gettext_lazy("人员请填写干部编号（整数）。"),
        "no_login": gettext_lazy("该干部尚未开通账号：{name}"),
        "inactive": gettext_lazy("该干部的账号已停用：{name}"),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Cadre.objects.select_related("user"))
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        queryset = super().get_queryset()
        assert queryset is not None  # given in __init__, and DRF's RelatedField checks it
        return nameable(queryset, getattr(request, "user", None), self.context.get("resource", ""))

    def to_internal_value(self, data: Any) -> User:
        if isinstance(data, bool) or not isinstance(data, int | str) or not str(data).isdigit():
            self.fail("incorrect_type")
        cadre = self.get_queryset().filter(pk=int(data)).first()
        if cadre is None:
            self.fail("does_not_exist", pk_value=data)
        if cadre.user is None:
            self.fail("no_login", name=cadre.name)
        if not cadre.user.is_active:
            self.fail("inactive", name=cadre.name)
        return cadre.user

    def to_representation(self, value: User | PKOnlyObject) -> int | None:
        cadre = getattr(value, "cadre", None)
        return cadre.pk if cadre is not None else None

    def get_choices(self, cutoff: int | None = None) -> dict[int, str]:
        queryset = self.get_queryset().filter(user__is_active=True)  # the ones that may be chosen
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {cadre.pk: cadre.name for cadre in queryset}


@extend_schema_field(OpenApiTypes.STR)
class PersonNameField(serializers.ReadOnlyField):
    """The name of the person a ``PersonField`` names: their cadre record's."""

    def to_representation(self, value: User) -> str:
        return person_name(value)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class PersonNamesField(serializers.ReadOnlyField):
    """The names of the people a to-many ``PersonField`` names."""

    def to_representation(self, value: Any) -> list[str]:
        return [person_name(user) for user in value.all()]


class OrgUnitSerializer(PrivacyModelSerializer):
    # The stubs see Field.parent (the serializer a field is bound to); DRF's metaclass takes declared
    # fields off the class, so this one shadows nothing.
    parent = ScopedPrimaryKeyField(  # type: ignore[assignment]
        "org-units", queryset=OrgUnit.objects.all(), allow_null=True, required=False, label="上级单位"
    )
    kind_label = ChoiceLabelField(source="kind")
    remoteness_label = ChoiceLabelField(source="remoteness")

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_label",
            "parent",
            "path",
            "remoteness",
            "remoteness_label",
            "distance_km",
            "active",
        ]
        read_only_fields = ["path"]


class OfficeSerializer(PrivacyModelSerializer):
    unit = ScopedPrimaryKeyField("offices", queryset=OrgUnit.objects.all(), label="所属单位")
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Office
        fields = ["id", "unit", "unit_name", "name", "active"]


class CadreListSerializer(PrivacyModelSerializer):
    """A cadre in a list: who and where, no personal fields (those are read one record at a time)."""

    unit = ScopedPrimaryKeyField("cadres", queryset=OrgUnit.objects.all(), label="工作单位")
    establishment_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), label="编制所在单位")
    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), allow_null=True, required=False, label="科室站所"
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    establishment_unit_name = serializers.CharField(source="establishment_unit.name", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True, default=None, allow_null=True)
    gender_label = ChoiceLabelField(source="gender")
    ethnicity_label = ChoiceLabelField(source="ethnicity")
    rank_label = ChoiceLabelField(source="rank")
    leader_post_label = ChoiceLabelField(source="leader_post")
    status_label = ChoiceLabelField(source="status")
    age = serializers.SerializerMethodField(label="年龄")

    class Meta:
        model = Cadre
        fields = [
            "id",
            "name",
            "gender",
            "gender_label",
            "ethnicity",
            "ethnicity_label",
            "age",
            "rank",
            "rank_label",
            "post_title",
            "leader_post",
            "leader_post_label",
            "office",
            "office_name",
            "unit",
            "unit_name",
            "establishment_unit",
            "establishment_unit_name",
            "status",
            "status_label",
        ]
        levels = {"age": Level.BASIC}

    def get_age(self, cadre: Cadre) -> int:
        return rules.age_on(cadre.birth_date, clock.today())


class CadreSerializer(CadreListSerializer):
    remote_service_years = serializers.SerializerMethodField(label="边远乡镇工作年限")

    class Meta(CadreListSerializer.Meta):
        fields = [
            "id",
            "name",
            "gender",
            "gender_label",
            "ethnicity",
            "ethnicity_label",
            "birth_date",
            "age",
            "id_number",
            "phone",
            "rank",
            "rank_label",
            "post_title",
            "leader_post",
            "leader_post_label",
            "office",
            "office_name",
            "unit",
            "unit_name",
            "establishment_unit",
            "establishment_unit_name",
            "township_service_start",
            "unit_joined",
            "status",
            "status_label",
            "status_changed_on",
            "remote_service_years",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status_changed_on", "created_at", "updated_at"]
        levels = {"age": Level.BASIC, "remote_service_years": Level.BASIC}

    def get_remote_service_years(self, cadre: Cadre) -> float:
        return rules.remote_service_years(service_periods(cadre))

    def validate_id_number(self, value: str) -> str:
        value = value.strip().upper()
        problem = rules.citizen_id_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value

    def validate_phone(self, value: str) -> str:
        if value and not (len(value) == 11 and value.isdigit() and value.startswith("1")):
            raise serializers.ValidationError(_("手机号应为以1开头的11位数字。"))
        return value


def service_periods(cadre: Cadre) -> list[tuple[Any, Any, str, bool]]:
    """(start, end, unit kind, remote) periods from the prefetched post history,
    or the current unit since joining when there is no history."""
    today = clock.today()
    changes = list(cadre.post_changes.all())
    if not changes:
        start = cadre.unit_joined or cadre.township_service_start
        return [(start, today, cadre.unit.kind, cadre.unit.is_remote)] if start else []
    periods = []
    for change, following in zip(changes, [*changes[1:], None], strict=True):
        end = following.date if following else today
        periods.append((change.date, end, change.to_unit.kind, change.to_unit.is_remote))
    return periods


class CadreStatusInputSerializer(serializers.Serializer):
    """A cadre's service ends: 离退休 or 调离 (a death is recorded as a cadre condition)."""

    status = serializers.ChoiceField(
        choices=[
            (value, label)
            for value, label in CadreStatus.choices
            if value in ENDED_STATUSES and value != CadreStatus.DECEASED
        ],
        label="新状态",
    )
    date = serializers.DateField(label="变动日期")


class PostChangeSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("post-changes", queryset=Cadre.objects.select_related("unit"), label="干部")
    to_unit = ScopedPrimaryKeyField("post-changes", queryset=OrgUnit.objects.all(), label="新单位")
    to_office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), allow_null=True, required=False, write_only=True, label="新科室站所"
    )
    kind = serializers.ChoiceField(choices=PostChangeKind.choices, label="变动类型")
    to_rank = serializers.ChoiceField(choices=Rank.choices, label="新职级")
    kind_label = ChoiceLabelField(source="kind")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)

    class Meta:
        model = PostChange
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "kind",
            "kind_label",
            "date",
            "from_unit",
            "to_unit",
            "to_office",
            "from_post_title",
            "to_post_title",
            "from_rank",
            "to_rank",
            "from_leader_post",
            "to_leader_post",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = [
            "from_unit",
            "from_post_title",
            "from_rank",
            "from_leader_post",
            "recorded_by",
            "recorded_at",
        ]
        extra_kwargs = {"to_leader_post": {"required": False, "help_text": "省略则保持原班子职务"}}


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
