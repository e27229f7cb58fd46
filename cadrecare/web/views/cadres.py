"""干部档案 for HR officers (and whoever reads cadres): search my units' cadres,
a cadre's page (details masked and audited as ``/api/v1/cadres/<pk>/``, post
history, published rest days, check-ups, family, talks and visits, each only
where the reader's roles reach it), the export through the API's audited
``/api/v1/cadres/export/``, and the import (``cadrecare.web.views.imports``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.http import urlencode

from cadrecare.care.selectors import family_member_queryset, visit_queryset
from cadrecare.core import clock
from cadrecare.health.selectors import checkup_queryset
from cadrecare.org import scoping
from cadrecare.org.access import VIEW
from cadrecare.org.api.serializers import CadreSerializer
from cadrecare.org.selectors import cadre_queryset
from cadrecare.rotation.selectors import published_rest_days
from cadrecare.secondments.selectors import cadre_secondments
from cadrecare.talks.selectors import talk_list
from cadrecare.training.selectors import training_history
from cadrecare.web.pages import PageView
from cadrecare.web.people import CadreSearchMixin

RECENT = 10  # rows of each history shown on a cadre's page


class CadreSearchView(CadreSearchMixin, PageView):
    """Cadres in my scope by name, each linking to their page; the export of the same list."""

    resource = "cadres"
    template_name = "web/cadres/search.html"
    partial = "rows"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(self.cadre_search())
        context.update(
            export_url=(
                f"{reverse('cadre-export')}?{urlencode({'q': context['q']})}"
                if scoping.may(user, self.resource, "export")
                else None
            ),
            may_import=scoping.may(user, self.resource, "import"),
            may_open_logins=scoping.may(user, self.resource, "logins"),
        )
        return context


class CadreDetailView(PageView):
    """A cadre's page: details as the API shows them to this reader, and each
    history the reader's roles reach (newest first), linking on to its page."""

    resource = "cadres"
    nav_entry = "web:cadres"
    template_name = "web/cadres/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cadre = get_object_or_404(scoping.scoped(cadre_queryset(), user, self.resource), pk=self.kwargs["pk"])

        def reaches(resource: str) -> bool:
            return scoping.may_for_cadre(user, resource, VIEW, cadre)

        today = clock.today()
        # Histories show only basic fields (dates, kinds, names): no personal value, so no audit row.
        context.update(
            cadre=self.serialize(CadreSerializer, cadre),
            posts=list(cadre.post_changes.all())[::-1] if reaches("post-changes") else None,
            secondments=list(cadre_secondments(user=user, cadre=cadre))
            if scoping.may(user, "secondments", VIEW)
            else None,
            rest_days=[
                day
                for day, _unit in published_rest_days(cadre=cadre, around=today)
                if today - dt.timedelta(days=31) <= day
            ]
            if reaches("roster-days")
            else None,
            checkups=list(checkup_queryset().filter(cadre=cadre).order_by("-date", "-id")[:RECENT])
            if reaches("health-checkups")
            else None,
            may_archive=reaches("health-archives"),
            family_count=family_member_queryset().filter(cadre=cadre).count() if reaches("family-members") else None,
            talks=list(talk_list(user=user).filter(talkee=cadre).order_by("-date", "-id")[:RECENT])
            if scoping.may(user, "talks", VIEW)
            else None,
            training=list(training_history(user=user, cadre=cadre)[:RECENT])
            if reaches("training-programmes")
            else None,
            visits=list(visit_queryset().filter(cadre=cadre).order_by("-date", "-id")[:RECENT])
            if reaches("visits")
            else None,
        )
        return context


urlpatterns = [
    path("cadres/", CadreSearchView.as_view(), name="cadres"),
    path("cadres/<int:pk>/", CadreDetailView.as_view(), name="cadre"),
]
