"""The workbench's addresses, under the ``web`` namespace at the site root:
each page module keeps its own ``urlpatterns``; add yours here."""

from cadrecare.web.views import (
    account,
    cadres,
    campaigns,
    care_policy,
    channels,
    dashboard,
    escalations,
    family,
    hardship,
    health,
    home,
    imports,
    inbox,
    me,
    policies,
    reminder_schedule,
    roster,
    roster_requests,
    selfservice,
    talk_policies,
    talks,
    visits,
)

app_name = "web"

urlpatterns = [
    *account.urlpatterns,
    *home.urlpatterns,
    *dashboard.urlpatterns,
    *escalations.urlpatterns,
    *policies.urlpatterns,
    *care_policy.urlpatterns,
    *reminder_schedule.urlpatterns,
    *talk_policies.urlpatterns,
    *health.urlpatterns,
    *campaigns.urlpatterns,
    *cadres.urlpatterns,
    *imports.urlpatterns,
    *family.urlpatterns,
    *hardship.urlpatterns,
    *inbox.urlpatterns,
    *roster.urlpatterns,
    *roster_requests.urlpatterns,
    *talks.urlpatterns,
    *visits.urlpatterns,
    *me.urlpatterns,
    *channels.urlpatterns,
    *selfservice.urlpatterns,
]
