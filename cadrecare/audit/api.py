"""The audit log, readable (never writable) by organisation-department administrators."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from rest_framework import mixins, serializers

from cadrecare.audit.models import AuditAction, AuditEntry
from cadrecare.core.api import ChoiceLabelField, ScopedViewSet
from cadrecare.core.filters import ChoicesFilter
from cadrecare.org.models import Cadre, RoleGrant
from cadrecare.org.scoping import scope_filter


class AuditEntrySerializer(serializers.ModelSerializer):
    action_label = ChoiceLabelField(source="action")
    purpose_label = ChoiceLabelField(source="purpose")

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "roles",
            "action",
            "action_label",
            "resource",
            "object_id",
            "cadre_id",
            "fields",
            "purpose",
            "purpose_label",
            "request_id",
            "ip",
        ]


class AuditEntryFilterSet(filters.FilterSet):
    action = ChoicesFilter(choices=AuditAction.choices)
    at_from = filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    at_to = filters.IsoDateTimeFilter(field_name="at", lookup_expr="lte")

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "resource", "object_id", "cadre_id"]


class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Who read or changed personal information, when and from where."""

    resource = "audit-log"
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    ordering_fields = ["at", "id"]

    def get_queryset(self) -> QuerySet:
        # Entries about cadres in scope, or made by users whose grants lie in scope.
        queryset = AuditEntry.objects.all()
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        cadres = scope_filter(self.request.user, self.resource, "view", Cadre)
        grants = scope_filter(self.request.user, self.resource, "view", RoleGrant)
        if cadres is None or grants is None:
            return queryset.none()
        return queryset.filter(
            Q(cadre_id__in=Cadre.objects.filter(cadres).values("id"))
            | Q(actor__in=RoleGrant.objects.filter(grants).values("user_id"))
        )
