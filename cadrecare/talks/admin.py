"""Django admin for the must-talks, scoped like the API and shown only: the
configuration (due days, routes) and every record change through the talks
services (which close triggers, open follow-ups and keep routes unique), as
the API and the workbench call them; opening a record is logged."""

from __future__ import annotations

from django.contrib import admin

from cadrecare.org.admin import ScopedRecordAdmin
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
class TalkPolicyAdmin(ScopedRecordAdmin):
    resource = "talk-policies"
    list_display = ["unit", "kind", "due_days"]
    list_filter = ["kind"]
    list_select_related = ["unit"]


@admin.register(TalkRoute)
class TalkRouteAdmin(ScopedRecordAdmin):
    resource = "talk-routes"
    list_display = ["county", "talkee_group", "talker_post", "talker_unit", "talker_leader_post", "cadence_months"]
    list_filter = ["talkee_group", "talker_post"]
    list_select_related = ["county", "talker_unit"]


@admin.register(TalkTrigger)
class TalkTriggerAdmin(ScopedRecordAdmin):
    resource = "talk-triggers"
    list_display = ["cadre", "kind", "source", "event_date", "due_date", "talker", "status"]
    list_filter = ["kind", "status", "source"]
    list_select_related = ["cadre", "talker"]
    exclude = ["note", "waive_reason"]  # confidential notes are read through the audited API only


@admin.register(Commendation)
class CommendationAdmin(ScopedRecordAdmin):
    resource = "commendations"
    list_display = ["cadre", "level", "title", "date"]
    list_select_related = ["cadre"]


@admin.register(InterviewRound)
class InterviewRoundAdmin(ScopedRecordAdmin):
    resource = "interview-rounds"
    list_display = ["title", "unit", "start_date", "end_date"]
    list_select_related = ["unit"]


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
