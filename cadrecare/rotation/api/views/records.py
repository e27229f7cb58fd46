"""Rest-rotation endpoints: what takes a cadre off the roster or owes them rest (absences, rest requests, recalls).
Declarative viewsets on the scoped base; every rule is a service call."""

from __future__ import annotations

from django.db import models
from rest_framework import serializers

from cadrecare.core.api import (
    ImportActionsMixin,
    ScopedModelViewSet,
    record_of,
)
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


class AbsenceViewSet(ImportActionsMixin, ScopedModelViewSet):
    """Absences (请假、培训、借调、病假) that take a cadre off the roster."""

    resource = "absences"
    importer = AbsenceImporter
    queryset = Absence.objects.select_related("cadre")
    serializer_class = AbsenceSerializer
    filterset_class = AbsenceFilterSet
    ordering_fields = ["start", "end", "cadre"]

    def create_object(self, serializer: serializers.BaseSerializer) -> Absence:
        return services.absence_save(
            actor=self.request.user, data=serializer.validated_data, request=self.request._request
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> Absence:
        return services.absence_save(
            actor=self.request.user,
            data=serializer.validated_data,
            absence=record_of(serializer),
            request=self.request._request,
        )

    def destroy_object(self, instance: models.Model) -> None:
        services.absence_delete(actor=self.request.user, absence=instance, request=self.request._request)  # type: ignore[arg-type]


class RestRequestViewSet(ScopedModelViewSet):
    """Rest requests (休息意愿): prefer or avoid dates, with a reason."""

    resource = "rest-requests"
    queryset = RestRequest.objects.select_related("cadre")
    serializer_class = RestRequestSerializer
    filterset_class = RestRequestFilterSet
    ordering_fields = ["start", "cadre"]

    def create_object(self, serializer: serializers.BaseSerializer) -> RestRequest:
        return services.rest_request_save(
            actor=self.request.user, data=serializer.validated_data, request=self.request._request
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> RestRequest:
        return services.rest_request_save(
            actor=self.request.user,
            data=serializer.validated_data,
            rest_request=record_of(serializer),
            request=self.request._request,
        )

    def destroy_object(self, instance: models.Model) -> None:
        services.rest_request_delete(actor=self.request.user, rest_request=instance, request=self.request._request)  # type: ignore[arg-type]


class RecallViewSet(ScopedModelViewSet):
    """Recalls (召回): days of rest lost to a call back, owed to the cadre."""

    resource = "recalls"
    queryset = Recall.objects.select_related("cadre")
    serializer_class = RecallSerializer
    filterset_class = RecallFilterSet
    ordering_fields = ["date", "cadre"]

    def create_object(self, serializer: serializers.BaseSerializer) -> Recall:
        return services.recall_save(
            actor=self.request.user, data=serializer.validated_data, request=self.request._request
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> Recall:
        return services.recall_save(
            actor=self.request.user,
            data=serializer.validated_data,
            recall=record_of(serializer),
            request=self.request._request,
        )

    def destroy_object(self, instance: models.Model) -> None:
        services.recall_delete(actor=self.request.user, recall=instance, request=self.request._request)  # type: ignore[arg-type]
