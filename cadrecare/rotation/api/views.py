"""Rest-rotation endpoints: declarative viewsets on the scoped base; every rule
is a service call."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.audit.services import Access, audit_log
from cadrecare.core import clock
from cadrecare.core.api import (
    ImportActionsMixin,
    ResourcePermission,
    ScopedCreateMixin,
    ScopedModelViewSet,
    ScopedViewSet,
    record_of,
    visible_unit,
)
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError
from cadrecare.core.filters import ScopedFilterBackend
from cadrecare.core.parsers import JSONParser
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE, STAND_IN, VIEW
from cadrecare.org.models import Cadre
from cadrecare.rotation import amendments, explain, holiday_calendar, holiday_corrections, selectors, services
from cadrecare.rotation.api.serializers import (
    AbsenceSerializer,
    GenerationRunSerializer,
    HolidayYearLoadSerializer,
    HolidayYearPreviewSerializer,
    HolidayYearSerializer,
    MissedRestSerializer,
    MissedRestTakenSerializer,
    MonthField,
    PublishSerializer,
    RecallSerializer,
    RegenerateSerializer,
    RestComplianceSerializer,
    RestComplianceUnitSerializer,
    RestConfirmationInputSerializer,
    RestConfirmationResolveSerializer,
    RestConfirmationSerializer,
    RestRequestSerializer,
    RosterDaySerializer,
    RosterEditSerializer,
    RosterSerializer,
    RotationPolicySerializer,
    SwapDecisionSerializer,
    SwapRequestCreateSerializer,
    SwapRequestSerializer,
)
from cadrecare.rotation.choices import RosterStatus
from cadrecare.rotation.exports import rest_days_ics, roster_grid_xlsx
from cadrecare.rotation.filtersets import (
    AbsenceFilterSet,
    GenerationRunFilterSet,
    MissedRestFilterSet,
    RecallFilterSet,
    RestComplianceFilterSet,
    RestConfirmationFilterSet,
    RestRequestFilterSet,
    RosterDayFilterSet,
    RosterFilterSet,
    RotationPolicyFilterSet,
    SwapRequestFilterSet,
)
from cadrecare.rotation.imports import AbsenceImporter
from cadrecare.rotation.models import (
    Absence,
    GenerationRun,
    HolidayYear,
    MissedRest,
    Recall,
    RestConfirmation,
    RestRequest,
    Roster,
    RosterEntitlement,
    RotationPolicy,
    SwapRequest,
)
from cadrecare.rotation.selectors import policy_in_force

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class HolidayYearViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The national holiday calendar, one year per record: readable by every
    role; loaded or corrected from the State Council's notice (POST, a city's
    org admin) as rows or a CSV file ``date,kind,name``, after a dry run
    (``preview``) if wished."""

    resource = "holiday-years"
    action_access = {"preview": ADD}
    queryset = HolidayYear.objects.select_related("loaded_by").prefetch_related("days")
    serializer_class = HolidayYearSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["year", "status"]

    def get_queryset(self) -> models.QuerySet:
        # National data: no unit to scope by; the role check has already run.
        return self.base_queryset()

    def _may_on(self, instance: models.Model, action: str) -> bool:
        return scoping.may(self.request.user, self.resource, action)

    @extend_schema(
        request=HolidayYearLoadSerializer, responses={201: HolidayYearSerializer, 200: HolidayYearSerializer}
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        """Load (201) or re-load (200 when the same notice is already loaded) a
        year; the rosters it reaches are flagged and their secretaries told."""
        year, changed = holiday_corrections.holiday_year_load(
            actor=self.request.user, **_notice(request), request=request._request
        )
        year = self.base_queryset().get(pk=year.pk)
        return Response(self.get_serializer(year).data, status=status.HTTP_201_CREATED if changed else 200)

    @extend_schema(request=HolidayYearLoadSerializer, responses={200: HolidayYearPreviewSerializer})
    @action(detail=False, methods=["post"])
    def preview(self, request: AuthenticatedRequest) -> Response:
        """The same body as loading, nothing written: what the notice changes
        (holidays and makeup workdays added and removed, every date whose kind
        changes) and the rosters planned on those dates that the user may see."""
        preview = holiday_corrections.holiday_year_preview(actor=request.user, **_notice(request))
        return Response(HolidayYearPreviewSerializer(preview).data)


def _notice(request: AuthenticatedRequest) -> dict[str, Any]:
    """A notice's year, rows (JSON rows or a CSV upload) and source reference."""
    form = HolidayYearLoadSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    data = form.validated_data
    if data.get("file"):
        try:
            text = data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError(_("CSV 文件须为 UTF-8 编码。"), field="file") from None
        rows = holiday_calendar.holiday_csv_parse(text)
    else:
        rows = [holiday_calendar.DayRow(row["date"], row["kind"], row["name"]) for row in data["rows"]]
    return {"year": data["year"], "rows": rows, "source_ref": data["source_ref"]}


class RotationPolicyViewSet(ScopedModelViewSet):
    """Rotation policies (轮休政策), one version per unit and starting month."""

    resource = "rotation-policies"
    queryset = RotationPolicy.objects.select_related("unit")
    serializer_class = RotationPolicySerializer
    filterset_class = RotationPolicyFilterSet
    ordering_fields = ["effective_from", "unit"]
    action_access = {"in_force": VIEW}

    def create_object(self, serializer: serializers.BaseSerializer) -> RotationPolicy:
        data = dict(serializer.validated_data)
        unit = data.pop("unit")
        self.require_placement(unit, "add")
        return services.rotation_policy_create(actor=self.request.user, unit=unit, data=data)

    def update_object(self, serializer: serializers.BaseSerializer) -> RotationPolicy:
        return services.rotation_policy_update(
            actor=self.request.user, policy=record_of(serializer), data=serializer.validated_data
        )

    def destroy_object(self, instance: models.Model) -> None:
        services.rotation_policy_delete(policy=instance)  # type: ignore[arg-type]

    @extend_schema(
        parameters=[OpenApiParameter("unit", int, required=True), OpenApiParameter("month", str, required=True)],
        responses={200: RotationPolicySerializer},
    )
    @action(detail=False, methods=["get"], url_path="in-force")
    def in_force(self, request: AuthenticatedRequest) -> Response:
        """The policy a unit's month is planned under (its own or inherited)."""
        unit = visible_unit(request, self.resource, request.query_params.get("unit"))
        month = _month_param(request.query_params.get("month"))
        policy = policy_in_force(unit=unit, month=month)
        if policy is None:
            raise NotFound(
                _("%(name)s 及其上级单位在 %(month)s 都没有轮休政策。")
                % {"name": unit.name, "month": format(month, "%Y-%m")}
            )
        return Response(self.get_serializer(policy).data)


def _month_param(raw: Any) -> Any:
    if raw in (None, ""):
        return clock.today().replace(day=1)
    try:
        return MonthField().to_internal_value(raw)
    except serializers.ValidationError:
        raise DomainError(_("月份格式应为 YYYY-MM，如 2027-03。"), field="month") from None


class CadreRecordPlacement:
    """Records about one cadre are placed by their cadre, so a self-only
    grant (the cadre role) may add and change records about itself."""

    def require_placement(self, instance_or_unit: Any, action: str) -> None:
        cadre = getattr(instance_or_unit, "cadre", None)
        if cadre is not None and scoping.may_for_cadre(self.request.user, self.resource, action, cadre):  # type: ignore[attr-defined]
            return
        super().require_placement(instance_or_unit, action)  # type: ignore[misc]


class AbsenceViewSet(ImportActionsMixin, CadreRecordPlacement, ScopedModelViewSet):
    """Absences (请假、培训、借调、病假) that take a cadre off the roster."""

    resource = "absences"
    importer = AbsenceImporter
    queryset = Absence.objects.select_related("cadre")
    serializer_class = AbsenceSerializer
    filterset_class = AbsenceFilterSet
    ordering_fields = ["start", "end", "cadre"]

    def create_object(self, serializer: serializers.BaseSerializer) -> Absence:
        return services.absence_save(actor=self.request.user, data=serializer.validated_data)

    def update_object(self, serializer: serializers.BaseSerializer) -> Absence:
        return services.absence_save(
            actor=self.request.user, data=serializer.validated_data, absence=serializer.instance
        )


class RestRequestViewSet(CadreRecordPlacement, ScopedModelViewSet):
    """Rest requests (休息意愿): prefer or avoid dates, with a reason."""

    resource = "rest-requests"
    queryset = RestRequest.objects.select_related("cadre")
    serializer_class = RestRequestSerializer
    filterset_class = RestRequestFilterSet
    ordering_fields = ["start", "cadre"]

    def create_object(self, serializer: serializers.BaseSerializer) -> RestRequest:
        return services.rest_request_save(actor=self.request.user, data=serializer.validated_data)

    def update_object(self, serializer: serializers.BaseSerializer) -> RestRequest:
        return services.rest_request_save(
            actor=self.request.user, data=serializer.validated_data, request=serializer.instance
        )


# What the county organization department does for a township whose party
# secretary post is vacant (the access table's ``stand_in``).
STANDS_IN_FOR = frozenset({"publish", CHANGE, ADD})


class StandInPermission(ResourcePermission):
    """The role check, and: who may stand in for a township secretary may ask
    to publish or change a roster; whether this roster's township has no
    serving secretary is the object check (``RosterViewSet._may_on``)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if super().has_permission(request, view):
            return True
        return (
            request.user.is_authenticated
            and view.access_action() in STANDS_IN_FOR
            and scoping.may(request.user, "rosters", STAND_IN)
        )


class RosterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Rest rosters (轮休排班表), one per unit and month. Generated through
    ``generation-runs`` (or ``regenerate`` here); read as a month grid or as
    who is on duty on a date; published, then locked after the month."""

    resource = "rosters"
    queryset = Roster.objects.select_related("unit", "current")
    permission_classes = [IsAuthenticated, StandInPermission]
    acting_for = ""  # the post stood in for on this request, for the audit row
    serializer_class = RosterSerializer
    filterset_class = RosterFilterSet
    ordering_fields = ["month", "unit"]
    action_access = {
        "grid": VIEW,
        "on_duty": VIEW,
        "problem": VIEW,
        "solution": VIEW,
        "regenerate": CHANGE,
        "publish": "publish",
        "lock": "lock",
        "edit": CHANGE,
        "xlsx": VIEW,
        "explain": VIEW,
        "versions": VIEW,
    }

    def _may_on(self, instance: models.Model, action: str) -> bool:
        if super()._may_on(instance, action):
            return True
        if action not in STANDS_IN_FOR or not super()._may_on(instance, STAND_IN):
            return False
        self.acting_for = selectors.stand_in_or_refuse(user=self.request.user, unit=instance.unit)  # type: ignore[attr-defined]
        return True

    def log_change(self, action: str, instance: models.Model, fields: list[str], acting_for: str = "") -> None:
        super().log_change(action, instance, fields, acting_for or self.acting_for)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def grid(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The month grid: cadres by days, rest (休), duty (班), away (外出)."""
        return Response(selectors.roster_grid(roster=self.get_object()))

    @extend_schema(responses={(200, XLSX): bytes})
    @action(detail=True, methods=["get"])
    def xlsx(self, request: AuthenticatedRequest, pk: str) -> HttpResponse:
        """The month grid as .xlsx for the notice board (one A4 landscape page)."""
        target = self.get_object()
        body = roster_grid_xlsx(
            selectors.roster_grid(roster=target), unit_name=target.unit.name, status_label=target.get_status_display()
        )
        response = HttpResponse(body, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="roster-{target.unit.code}-{target.month:%Y-%m}.xlsx"'
        return response

    @extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, required=True)], responses={200: OpenApiTypes.OBJECT}
    )
    @action(detail=True, methods=["get"], url_path="on-duty")
    def on_duty(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Who is on duty on a date of the month."""
        target = self.get_object()
        day = _date_in_month(request.query_params.get("date", ""), target.month)
        people = selectors.roster_on_duty(roster=target, date=day)
        return Response({"date": day.isoformat(), "count": len(people), "cadres": people})

    @extend_schema(
        parameters=[
            OpenApiParameter("cadre", int, description="干部编号：此人为何这样休息"),
            OpenApiParameter("date", OpenApiTypes.DATE, description="日期：这天为何这么多人休息"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def explain(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Why the current version is as it is, for ``cadre`` (their wishes
        honoured or not and why, their weekend and holiday rest, the rules that
        bind them) or for ``date`` (the share on duty against the minimum,
        leaders, offices, blackouts, weekend or workday): exactly one of them."""
        target = self.get_object()
        cadre, day = request.query_params.get("cadre"), request.query_params.get("date")
        if (cadre is None) == (day is None):
            raise DomainError(
                _("请指定 cadre（干部编号）或 date（日期，YYYY-MM-DD）二者之一。"),
                field="cadre" if cadre is None else "date",
            )
        if cadre is not None:
            if not re.fullmatch(r"[0-9]{1,18}", cadre):
                raise DomainError(_("cadre 应为干部编号（数字）。"), field="cadre")
            return Response(explain.roster_explain_cadre(roster=target, cadre_id=int(cadre)))
        return Response(explain.roster_explain_date(roster=target, date=_date_in_month(day, target.month)))

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def versions(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The roster's versions, newest first: who wrote each and when, how
        (solved, edited, amended after publishing, with what and why in the
        note) and whose rest days it changed from the version before."""
        target = self.get_object()
        versions = target.versions.select_related("created_by").defer("problem").order_by("-number")
        page = self.paginate_queryset(versions) or []  # the API always pages (REST_FRAMEWORK's PAGE_SIZE)
        return self.get_paginated_response(explain.roster_version_history(roster=target, versions=page))

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def problem(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The current version's problem in exchange format v1; the hardship
        flags only for readers of rest requests' sensitive fields (their read logged)."""
        target = self.get_object()
        self._current(target)
        problem, shows_hardship = selectors.roster_problem_for(user=request.user, roster=target)
        if shows_hardship:
            audit_log(
                actor=request.user,
                action="read",
                request=request._request,
                accesses=[Access(self.resource, target.pk, None, ["problem.hardship"])],
            )
        return Response(problem)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def solution(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The current version's solution in exchange format v1."""
        return Response(self._current(self.get_object()).solution)

    def _current(self, target: Roster) -> Any:
        if target.current is None:
            raise NotFound(_("该排班还没有生成任何版本。"))
        return target.current

    @extend_schema(request=RegenerateSerializer, responses={202: GenerationRunSerializer})
    @action(detail=True, methods=["post"])
    def regenerate(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Solve the month again (keeping pinned days unless told otherwise): returns the run to poll."""
        target = self.get_object()
        form = RegenerateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        run = services.generation_request(
            actor=request.user, unit=target.unit, month=target.month, keep_pinned=form.validated_data["keep_pinned"]
        )
        self.log_change("update", target, ["regenerate"])
        run = GenerationRun.objects.prefetch_related("items__unit").get(pk=run.pk)
        return Response(
            GenerationRunSerializer(run, context=self.get_serializer_context()).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(request=PublishSerializer, responses={200: RosterSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Publish the draft (cadres are notified); a provisional calendar needs ``confirm_provisional``."""
        form = PublishSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        target = services.roster_publish(
            actor=request.user,
            roster_obj=self.get_object(),
            confirm_provisional=form.validated_data["confirm_provisional"],
        )
        self.log_change("update", target, ["status"])
        return Response(self.get_serializer(self.base_queryset().get(pk=target.pk)).data)

    @extend_schema(
        request=RosterEditSerializer,
        responses={200: RosterSerializer},
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
    )
    @action(detail=True, methods=["post"])
    def edit(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Move, swap, pin or unpin a rest block; every hard rule is checked
        again (a break is a 400 naming it, unless ``override_reason`` is given).
        A published roster is amended: days from today on only, with a
        ``reason`` that the cadres whose rest changes are told. If-Match must
        carry the roster's ETag: missing 428, stale 412. The answer is the
        roster, the quality metrics before and after (``metrics_change``) and,
        for an amendment, whose rest changed and who was told (``cadres_changed``)."""
        target = self.get_object()
        form = RosterEditSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        reason = data.pop("reason")
        changed: tuple[amendments.CadreChange, ...] | None = None
        if target.status == RosterStatus.DRAFT:
            target = services.roster_edit(
                actor=request.user,
                roster_obj=target,
                expected_version=_if_match(request),
                acting_for=self.acting_for,
                **data,
            )
        else:
            amendment = amendments.roster_amend(
                actor=request.user, roster_obj=target, reason=reason, expected_version=_if_match(request), **data
            )
            target, changed = amendment.roster, amendment.changes
        self.log_change("update", target, ["edit"])
        target = self.base_queryset().get(pk=target.pk)
        body = dict(self.get_serializer(target).data)
        body["metrics_change"] = explain.metrics_change(
            before=target.versions.filter(number=target.current.number - 1).first(), after=target.current
        )
        if changed is not None:
            body["cadres_changed"] = [
                {"id": c.cadre_id, "name": c.name, "before": c.before, "after": c.after, "told": c.told}
                for c in changed
            ]
        response = Response(body)
        response["ETag"] = f'"{target.version}"'
        return response

    @extend_schema(request=None, responses={200: RosterSerializer})
    @action(detail=True, methods=["post"])
    def lock(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Lock a published roster after its month has ended."""
        target = services.roster_lock(actor=request.user, roster_obj=self.get_object())
        self.log_change("update", target, ["status"])
        return Response(self.get_serializer(self.base_queryset().get(pk=target.pk)).data)


def _date_in_month(raw: Any, month: dt.date) -> dt.date:
    """A ``date`` query parameter inside the roster's month, else a 400 naming it."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(raw or "")):
        raise DomainError(_("请用 YYYY-MM-DD 指定日期。"), field="date")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise DomainError(_("%(raw)s 不是有效的日期。") % {"raw": raw}, field="date") from None
    if (day.year, day.month) != (month.year, month.month):
        raise DomainError(
            _("%(day)s 不在 %(month)s 内。") % {"day": day, "month": format(month, "%Y-%m")}, field="date"
        )
    return day


def _if_match(request: AuthenticatedRequest) -> int | None:
    """The version an edit was made on, from ``If-Match: "7"`` (None if absent)."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        return None
    value = raw.removeprefix("W/").strip('"')
    if not value.isdecimal():
        raise DomainError(_('If-Match 应为排班的 ETag，如 "7"。'), field="If-Match")
    return int(value)


class GenerationRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedCreateMixin):
    """Generation runs: POST one to generate a unit's month (answered at once,
    solved by a worker); poll it until no unit is ``queued``."""

    resource = "generation-runs"
    permission_classes = [IsAuthenticated, StandInPermission]
    queryset = GenerationRun.objects.select_related("unit").prefetch_related("items__unit")
    serializer_class = GenerationRunSerializer
    filterset_class = GenerationRunFilterSet
    ordering_fields = ["created_at", "month"]
    service_audits = True

    def create_object(self, serializer: serializers.BaseSerializer) -> GenerationRun:
        data = serializer.validated_data
        run = services.generation_run_create(
            actor=self.request.user,
            unit=data["unit"],
            month=data["month"],
            keep_pinned=data.get("keep_pinned", True),
            request=self.request._request,
        )
        return self.base_queryset().get(pk=run.pk)


class RosterDayViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Published roster days, filterable by month, date, cadre and kind: a cadre
    reads their own rest days here; anyone in scope finds who is on duty. A
    cadre's rest is also an iCalendar feed at a secret address (``feed-url``)."""

    resource = "roster-days"
    action_access = {"feed_url": VIEW, "ical": VIEW}
    serializer_class = RosterDaySerializer
    filterset_class = RosterDayFilterSet
    ordering_fields = ["date", "cadre"]
    ordering = ["date", "cadre_id"]

    def base_queryset(self) -> models.QuerySet:
        return selectors.published_roster_days()

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get", "post"], url_path="feed-url")
    def feed_url(self, request: AuthenticatedRequest) -> Response:
        """The logged-in cadre's secret iCalendar address (POST: a new one, the old stops working)."""
        cadre = Cadre.objects.filter(user=request.user).first()
        if cadre is None:
            raise NotFound(_("您的账号没有关联干部档案。"))
        token = services.rest_feed_token(cadre=cadre, renew=request.method == "POST")
        path = f"/api/v1/roster-days/ical/{token}/"
        return Response({"url": request.build_absolute_uri(path), "path": path})

    @extend_schema(responses={(200, "text/calendar"): bytes}, auth=[])
    @action(
        detail=False,
        methods=["get"],
        url_path=r"ical/(?P<token>[A-Za-z0-9_\-]{20,64})",
        permission_classes=[AllowAny],
        authentication_classes=[],
    )
    def ical(self, request: AuthenticatedRequest, token: str) -> HttpResponse:
        """A cadre's published rest days as iCalendar, at the secret address (no login)."""
        feed = selectors.rest_feed_live(token=token)
        if feed is None:
            raise NotFound()
        days = selectors.published_rest_days(cadre=feed.cadre, around=clock.today())
        body = rest_days_ics(cadre_name=feed.cadre.name, days=days)
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")


class RecallViewSet(ScopedModelViewSet):
    """Recalls (召回): days of rest lost to a call back, owed to the cadre."""

    resource = "recalls"
    queryset = Recall.objects.select_related("cadre")
    serializer_class = RecallSerializer
    filterset_class = RecallFilterSet
    ordering_fields = ["date", "cadre"]

    def create_object(self, serializer: serializers.BaseSerializer) -> Recall:
        return services.recall_save(actor=self.request.user, data=serializer.validated_data)

    def update_object(self, serializer: serializers.BaseSerializer) -> Recall:
        return services.recall_save(actor=self.request.user, data=serializer.validated_data, recall=serializer.instance)


class SwapRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Swap requests (换休申请) on a published roster: a cadre asks (POST),
    the colleague ``accept``s or ``decline``s, the township's party secretary
    ``approve``s (the exchange is applied as a roster edit, every rule checked
    again) or ``reject``s; the requester may ``withdraw`` while it is pending.
    A cadre sees the requests they are party to; the secretary the township's."""

    resource = "swap-requests"
    serializer_class = SwapRequestSerializer
    filterset_class = SwapRequestFilterSet
    ordering_fields = ["created_at", "requester_start", "status"]
    action_access = {
        "accept": "respond",
        "decline": "respond",
        "withdraw": "withdraw",
        "approve": services.SWAP_APPROVE,
        "reject": services.SWAP_APPROVE,
    }

    def base_queryset(self) -> models.QuerySet:
        return selectors.swap_request_queryset()

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return SwapRequest.objects.none()
        return selectors.swap_request_list(user=self.request.user)

    def _may_on(self, instance: models.Model, action: str) -> bool:
        # Answering and withdrawing are for the parties (which one, the service says).
        if action in ("respond", "withdraw"):
            return scoping.own_cadre_id(self.request.user) in (instance.requester_id, instance.counterpart_id)  # type: ignore[attr-defined]
        return super()._may_on(instance, action)

    def _answer(self, swap: SwapRequest) -> Response:
        return Response(self.get_serializer(self.base_queryset().get(pk=swap.pk)).data)

    @extend_schema(request=SwapRequestCreateSerializer, responses={201: SwapRequestSerializer})
    def create(self, request: Request) -> Response:
        """Ask a colleague to exchange rest blocks (a cadre, for themself)."""
        form = SwapRequestCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        swap = services.swap_request_create(
            actor=self.request.user,
            roster_id=data["roster"],
            counterpart_id=data["counterpart"],
            requester_start=data["requester_start"],
            requester_end=data.get("requester_end"),
            counterpart_start=data["counterpart_start"],
            counterpart_end=data.get("counterpart_end"),
            reason=data["reason"],
        )
        return Response(self.get_serializer(self.base_queryset().get(pk=swap.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: SwapRequestSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The colleague agrees; the request goes to the secretary."""
        return self._answer(services.swap_request_respond(actor=request.user, swap=self.get_object(), accept=True))

    @extend_schema(request=None, responses={200: SwapRequestSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The colleague declines."""
        return self._answer(services.swap_request_respond(actor=request.user, swap=self.get_object(), accept=False))

    @extend_schema(request=None, responses={200: SwapRequestSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The requester takes it back while it is pending."""
        return self._answer(services.swap_request_withdraw(actor=request.user, swap=self.get_object()))

    @extend_schema(request=SwapDecisionSerializer, responses={200: SwapRequestSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Approve and apply: a broken rule is a 400 naming it; a request the
        roster has overtaken (blocks no longer match, locked) lapses with a 409."""
        form = SwapDecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(
            services.swap_request_decide(
                actor=request.user, swap=self.get_object(), approve=True, note=form.validated_data["note"]
            )
        )

    @extend_schema(request=SwapDecisionSerializer, responses={200: SwapRequestSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Reject, with the reason both cadres will read."""
        form = SwapDecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(
            services.swap_request_decide(
                actor=request.user, swap=self.get_object(), approve=False, note=form.validated_data["note"]
            )
        )


class MissedRestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Published rest days a cadre spent away (an absence recorded over
    them): owed and carried into a later month's roster, unless the
    secretary records with ``taken/`` that the rest was taken after all.
    Written only by the absence service; a cadre reads their own."""

    resource = "missed-rest"
    serializer_class = MissedRestSerializer
    filterset_class = MissedRestFilterSet
    ordering_fields = ["month", "cadre", "owed"]
    action_access = {"taken": services.MISSED_TAKEN}

    def base_queryset(self) -> models.QuerySet:
        return MissedRest.objects.select_related("cadre", "roster__unit", "absence", "decided_by")

    @extend_schema(request=MissedRestTakenSerializer, responses={200: MissedRestSerializer})
    @action(detail=True, methods=["post"])
    def taken(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Record that the rest was taken after all: nothing is owed."""
        form = MissedRestTakenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        row = services.missed_rest_taken(actor=request.user, missed=self.get_object(), note=form.validated_data["note"])
        return Response(self.get_serializer(self.base_queryset().get(pk=row.pk)).data)


class RestConfirmationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The month-end confirmation (月末休息确认): from the month's last day a
    cadre ``POST``s ``{roster, confirm: true}``, or ``confirm: false`` with
    ``days_rested`` and a ``note`` to correct it; a correction waits for the
    township's party secretary (``resolve/``) and keeps the month's rest from
    counting as confirmed until answered."""

    resource = "rest-confirmations"
    serializer_class = RestConfirmationSerializer
    filterset_class = RestConfirmationFilterSet
    ordering_fields = ["created_at", "status"]
    action_access = {"resolve": services.CORRECTION_RESOLVE}

    def base_queryset(self) -> models.QuerySet:
        return RestConfirmation.objects.select_related("cadre", "roster__unit", "resolved_by")

    @extend_schema(request=RestConfirmationInputSerializer, responses={201: RestConfirmationSerializer})
    def create(self, request: Request) -> Response:
        """Confirm or correct my rest of a month (a cadre, for themself)."""
        form = RestConfirmationInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        target = selectors.own_roster(user=self.request.user, roster_id=data["roster"])
        if target is None:
            raise DomainError(_("没有这个排班表，或您不在其中。"), field="roster")
        row = services.rest_confirmation_submit(
            actor=self.request.user,
            roster_obj=target,
            confirm=data["confirm"],
            days_rested=data.get("days_rested"),
            note=data["note"],
        )
        return Response(self.get_serializer(self.base_queryset().get(pk=row.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RestConfirmationResolveSerializer, responses={200: RestConfirmationSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Answer a cadre's correction."""
        form = RestConfirmationResolveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        row = services.rest_confirmation_resolve(
            actor=request.user, confirmation=self.get_object(), resolution=form.validated_data["resolution"]
        )
        return Response(self.get_serializer(self.base_queryset().get(pk=row.pk)).data)


class RestComplianceViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Rest taken (休息落实情况), for published and locked rosters: per cadre
    and month, the days entitled (format rule 1: prorated by the days
    available, owed days carried in), planned, recalled, taken (planned less
    recalled), owed (carried into a later month) and forfeited (entitled but
    never planned). ``units/`` sums the same rows per unit and month, with the
    number of cadres below their entitlement. Filters: ``unit`` (subtree),
    ``month`` (YYYY-MM), ``cadre``, ``below_entitlement``."""

    resource = "rest-compliance"
    serializer_class = RestComplianceSerializer
    filterset_class = RestComplianceFilterSet
    ordering_fields = ["month", "unit", "cadre", "entitled", "planned", "recalled", "taken", "forfeited"]
    ordering = ["-month", "unit", "cadre"]
    action_access = {"units": VIEW}

    def base_queryset(self) -> models.QuerySet:
        return selectors.rest_compliance_rows()

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return RosterEntitlement.objects.none()
        return super().get_queryset()

    @extend_schema(responses={200: RestComplianceUnitSerializer(many=True)})
    @action(detail=False, methods=["get"], filter_backends=[ScopedFilterBackend])
    def units(self, request: AuthenticatedRequest) -> Response:
        """Per unit and month: cadres, entitled, planned, recalled, taken, owed,
        forfeited, and how many cadres fell below their entitlement."""
        rows = selectors.rest_compliance_units(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RestComplianceUnitSerializer(page, many=True).data)
