"""Rest-rotation endpoints: rosters, their generation runs and their days.
Declarative viewsets on the scoped base; every rule is a service call."""

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
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.audit.services import Access, audit_log
from cadrecare.core import clock
from cadrecare.core.api import (
    ResourcePermission,
    ScopedCreateMixin,
    ScopedViewSet,
)
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE, STAND_IN, VIEW
from cadrecare.org.models import Cadre
from cadrecare.rotation import amendments, explain, selectors, services
from cadrecare.rotation.api.serializers import (
    GenerationRunSerializer,
    PublishSerializer,
    RegenerateSerializer,
    RosterDaySerializer,
    RosterEditSerializer,
    RosterSerializer,
)
from cadrecare.rotation.choices import RosterStatus
from cadrecare.rotation.exports import rest_days_ics, roster_grid_xlsx
from cadrecare.rotation.filtersets import (
    GenerationRunFilterSet,
    RosterDayFilterSet,
    RosterFilterSet,
)
from cadrecare.rotation.models import (
    GenerationRun,
    Roster,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        # Refused (403) naming the serving secretary while the post is filled;
        # the services audit the write as acting for the vacant post.
        selectors.stand_in_or_refuse(user=self.request.user, unit=instance.unit)  # type: ignore[attr-defined]
        return True

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
        run = services.roster_regenerate(
            actor=request.user,
            roster_obj=target,
            keep_pinned=form.validated_data["keep_pinned"],
            request=request._request,
        )
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
            request=request._request,
        )
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
                request=request._request,
                **data,
            )
        else:
            amendment = amendments.roster_amend(
                actor=request.user,
                roster_obj=target,
                reason=reason,
                expected_version=_if_match(request),
                request=request._request,
                **data,
            )
            target, changed = amendment.roster, amendment.changes
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
        target = services.roster_lock(actor=request.user, roster_obj=self.get_object(), request=request._request)
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
