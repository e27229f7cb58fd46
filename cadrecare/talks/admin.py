"""Django admin for the must-talks: the configuration (due days, routes) is
edited here; records are scoped like the API."""

from __future__ import annotations

from django.contrib import admin

from cadrecare.org.admin import ScopedAdmin
from cadrecare.talks.models import Commendation, InterviewRound, TalkPolicy, TalkRoute, TalkTrigger


@admin.register(TalkPolicy)
class TalkPolicyAdmin(ScopedAdmin):
    resource = "org-units"
    list_display = ["unit", "kind", "due_days"]
    list_filter = ["kind"]
    list_select_related = ["unit"]


@admin.register(TalkRoute)
class TalkRouteAdmin(ScopedAdmin):
    resource = "org-units"
    list_display = ["county", "talkee_group", "talker_post", "talker_unit", "talker_leader_post", "cadence_months"]
    list_filter = ["talkee_group", "talker_post"]
    list_select_related = ["county", "talker_unit"]


@admin.register(TalkTrigger)
class TalkTriggerAdmin(ScopedAdmin):
    resource = "talk-triggers"
    list_display = ["cadre", "kind", "source", "event_date", "due_date", "talker", "status"]
    list_filter = ["kind", "status", "source"]
    list_select_related = ["cadre", "talker"]
    exclude = ["note", "waive_reason"]  # confidential notes are read through the audited API only


@admin.register(Commendation)
class CommendationAdmin(ScopedAdmin):
    resource = "commendations"
    list_display = ["cadre", "level", "title", "date"]
    list_select_related = ["cadre"]


@admin.register(InterviewRound)
class InterviewRoundAdmin(ScopedAdmin):
    resource = "interview-rounds"
    list_display = ["title", "unit", "start_date", "end_date"]
    list_select_related = ["unit"]
