"""走访 for township party secretaries (and whoever owns must-visits): the
visits I must make, my due items of the must-visit kind, soonest first, each
linking to 记录走访 (``web:visit-record``, the form of ``views/family.py``)."""

from __future__ import annotations

from django.urls import path

from cadrecare.org.access import ADD
from cadrecare.web.views.home import HomeView


class VisitsView(HomeView):
    """走访: the must-visits I own (family events, a cadre's grave illness or death)."""

    resource = "visits"
    action = ADD
    template_name = "web/care/visits_due.html"
    kinds_shown = ("visit_obligation",)


urlpatterns = [
    path("visits/", VisitsView.as_view(), name="visits"),
]
