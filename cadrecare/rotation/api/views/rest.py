"""Rest-rotation endpoints: swaps, missed rest, the cadres' word on their rest, and compliance.
Declarative viewsets on the scoped base; every rule is a service call."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.core.api import (
    ScopedViewSet,
)
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError
from cadrecare.core.filters import ScopedFilterBackend
from cadrecare.org import scoping
from cadrecare.org.access import VIEW
from cadrecare.rotation import selectors, services
from cadrecare.rotation.api.serializers import (
    MissedRestSerializer,
    MissedRestTakenSerializer,
    RestComplianceSerializer,
    RestComplianceUnitSerializer,
    RestConfirmationInputSerializer,
    RestConfirmationResolveSerializer,
    RestConfirmationSerializer,
    SwapDecisionSerializer,
    SwapRequestCreateSerializer,
    SwapRequestSerializer,
)
from cadrecare.rotation.filtersets import (
    MissedRestFilterSet,
    RestComplianceFilterSet,
    RestConfirmationFilterSet,
    SwapRequestFilterSet,
)
from cadrecare.rotation.models import (
    MissedRest,
    RestConfirmation,
    RosterEntitlement,
    SwapRequest,
)


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
