"""Rest-rotation endpoints: what takes a cadre off the roster or owes them rest (absences, rest requests, recalls).
Declarative viewsets on the scoped base; every rule is a service call."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cadrecare.core.api import (
    ImportActionsMixin,
    ScopedModelViewSet,
)
from cadrecare.org import scoping
from cadrecare.rotation import services
from cadrecare.rotation.api.serializers import (
    AbsenceSerializer,
    RecallSerializer,
    RestRequestSerializer,
)
from cadrecare.rotation.filtersets import (
    AbsenceFilterSet,
    RecallFilterSet,
    RestRequestFilterSet,
)
from cadrecare.rotation.imports import AbsenceImporter
from cadrecare.rotation.models import (
    Absence,
    Recall,
    RestRequest,
)


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
