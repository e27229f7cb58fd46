"""Django admin for the must-talks: the configuration (due days, routes) is
edited here; records are scoped like the API."""

from __future__ import annotations

from django.contrib import admin

from cadrecare.org.admin import ScopedAdmin, ScopedRecordAdmin
from cadrecare.talks.models import (
    Commendation,
    InterviewItem,
    InterviewRound,
    Petition,
    Talk,
    TalkFollowUp,
    TalkPolicy,
    TalkRoute,
    TalkTrigger,
    TeamFlag,
)


@admin.register(TalkPolicy)
class TalkPolicyAdmin(ScopedAdmin):
    resource = "talk-policies"
    list_display = ["unit", "kind", "due_days"]
    list_filter = ["kind"]
    list_select_related = ["unit"]


@admin.register(TalkRoute)
class TalkRouteAdmin(ScopedAdmin):
    resource = "talk-routes"
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


# Talks, petitions and team flags are written through their services (which close
# triggers and open follow-ups); the admin shows them, and opening one is logged.


@admin.register(Talk)
class TalkAdmin(ScopedRecordAdmin):
    resource = "talks"
    list_display = ["talkee", "date", "form", "place", "next_talk_date", "recorded_by"]
    list_filter = ["form"]
    list_select_related = ["talkee", "recorded_by"]


@admin.register(TalkFollowUp)
class TalkFollowUpAdmin(ScopedRecordAdmin):
    resource = "talks"
    list_display = ["talk", "owner", "due_date", "status", "done_date"]
    list_filter = ["status"]
    list_select_related = ["talk__talkee", "owner"]


@admin.register(Petition)
class PetitionAdmin(ScopedRecordAdmin):
    resource = "petitions"
    list_display = ["cadre", "date", "important", "created_at"]
    list_filter = ["important"]
    list_select_related = ["cadre"]


@admin.register(TeamFlag)
class TeamFlagAdmin(ScopedRecordAdmin):
    resource = "team-flags"
    list_display = ["unit", "date", "flagged_by", "created_at"]
    list_select_related = ["unit", "flagged_by"]


@admin.register(InterviewItem)
class InterviewItemAdmin(ScopedRecordAdmin):
    resource = "interview-rounds"
    list_display = ["round", "cadre", "status", "done_date"]
    list_filter = ["status"]
    list_select_related = ["round", "cadre"]
