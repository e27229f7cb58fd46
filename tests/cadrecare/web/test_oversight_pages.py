"""交流研判, 定期约谈 and 组织部长下基层 in the workbench: the county and city
organization department see the demo county's review, plan and visits with
real rows; a township's people do not get the pages; each due item links to
the page that acts on it; writes go through the services with the API's audit row."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.models import OrgUnit, RoleGrant, User
from cadrecare.oversight.models import FieldVisit, InterviewPlan, InterviewPlanLine, TransferDecision, TransferReview
from cadrecare.reminders.sources import due_items, iter_due_items
from cadrecare.talks.choices import TalkForm
from cadrecare.web.actions import action_for

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")

PAGES = ["web:transfer-reviews", "web:interview-plans", "web:field-visits"]


def _county() -> OrgUnit:
    return RoleGrant.objects.get(user__username="county_staff").unit


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("username", "status"),
    [("county_staff", 200), ("city_admin", 200), ("secretary", 403), ("hr", 403), ("cadre", 403)],
)
def test_the_pages_are_the_organization_departments(
    name: str, username: str, status: int, signed_in: Callable[[str], Client]
) -> None:
    assert signed_in(username).get(reverse(name)).status_code == status


def test_the_review_shows_each_candidate_with_the_decision_on_them(signed_in: Callable[[str], Client]) -> None:
    review = TransferReview.objects.get(county=_county(), year=clock.today().year)
    decisions = list(review.decisions.select_related("cadre"))
    assert decisions, "the demo county has exchange candidates"

    page = signed_in("county_staff").get(reverse("web:transfer-review", kwargs={"pk": review.pk})).content.decode()

    assert all(d.cadre.name in page for d in decisions)
    assert "待研判" in page and "研判" in page
    # a deferral's reason is personal: shown to the department, and its reading audited
    if any(d.reason for d in decisions):
        assert AuditEntry.objects.filter(action="read", resource="transfer-reviews").exists()


def test_deciding_a_candidate_refuses_a_deferral_without_reason_then_saves(
    signed_in: Callable[[str], Client],
) -> None:
    decision = TransferDecision.objects.filter(review__county=_county(), outcome="pending").first()
    url = reverse("web:transfer-decision", kwargs={"pk": decision.pk})
    client = signed_in("county_staff")

    refused = client.post(url, {"outcome": "deferred", "reason": ""})
    saved = client.post(url, {"outcome": "proposed"})

    assert refused.status_code == 400 and "暂缓交流请写明理由。" in refused.content.decode()
    assert saved.status_code == 303
    decision.refresh_from_db()
    assert decision.outcome == "proposed"
    entry = AuditEntry.objects.get(resource="transfer-reviews", action="update", object_id=decision.pk)
    assert entry.fields == ["decided_on", "outcome", "reason"]


def test_the_plan_shows_progress_per_township_and_an_interview_closes_a_line(
    signed_in: Callable[[str], Client],
) -> None:
    plan = InterviewPlan.objects.get(county=_county(), year=clock.today().year)
    client = signed_in("county_staff")
    page = client.get(reverse("web:interview-plan", kwargs={"pk": plan.pk})).content.decode()
    for township in OrgUnit.objects.filter(pk__in=plan.lines.values("township_id")):
        assert township.name in page
    assert "已约谈" in page

    line = plan.lines.filter(status="open").first()
    response = client.post(
        reverse("web:interview-record", kwargs={"pk": line.pk}),
        {"date": clock.today().isoformat(), "form": TalkForm.FACE_TO_FACE.value},
    )

    assert response.status_code == 303, response.content.decode()[:2000]
    assert InterviewPlanLine.objects.get(pk=line.pk).status == "done"
    entry = AuditEntry.objects.get(resource="interview-plans", action="update", object_id=line.pk)
    assert entry.fields == ["done_date", "status", "talk"]


def test_the_visits_page_lists_the_townships_not_visited_and_records_a_visit(
    signed_in: Callable[[str], Client],
) -> None:
    client = signed_in("county_staff")
    page = client.get(reverse("web:field-visits")).content.decode()
    not_visited = [
        item
        for item in iter_due_items(due_items(today=clock.today(), kinds=["field_visit"]))
        if item.owner_unit_id == _county().pk
    ]
    assert not_visited and all(item.title.split("：")[0] in page for item in not_visited)

    township = OrgUnit.objects.get(pk=not_visited[0].unit_id)
    staff = User.objects.get(username="county_staff")
    response = client.post(
        reverse("web:field-visit-township", kwargs={"pk": township.pk}),
        {"township": township.pk, "date": clock.today().isoformat(), "visitors": [staff.pk], "notes": "座谈"},
    )

    assert response.status_code == 303, response.content.decode()[:2000]
    visit = FieldVisit.objects.get(township=township, date=clock.today())
    entry = AuditEntry.objects.get(resource="field-visits", action="create", object_id=visit.pk)
    assert entry.fields == ["date", "notes", "township", "visitors"]


@pytest.mark.parametrize("kind", ["transfer_decision", "interview_plan", "field_visit"])
def test_each_due_kind_links_to_its_page(kind: str, signed_in: Callable[[str], Client]) -> None:
    staff = User.objects.get(username="county_staff")
    items = iter_due_items(due_items(today=clock.today(), user=staff, mine=True, kinds=[kind]))
    item = next(items, None)
    assert item is not None, f"the demo county's department has {kind} items"
    action = action_for(staff, item.kind, item.object_id)

    assert action is not None
    assert signed_in("county_staff").get(action["url"]).status_code in (200, 302)


# -- opening a year's review and plan from the page ------------------------------------------------
@pytest.mark.parametrize("name", ["web:transfer-review-open", "web:interview-plan-create"])
@pytest.mark.parametrize(("username", "status"), [("county_staff", 200), ("secretary", 403), ("cadre", 403)])
def test_the_yearly_forms_are_the_organization_departments(
    name: str, username: str, status: int, signed_in: Callable[[str], Client]
) -> None:
    assert signed_in(username).get(reverse(name)).status_code == status


def test_a_review_of_next_year_is_opened_from_the_page_and_a_second_one_is_refused_beside_the_year(
    signed_in: Callable[[str], Client],
) -> None:
    client, county, year = signed_in("county_staff"), _county(), clock.today().year
    url = reverse("web:transfer-review-open")
    assert reverse("web:transfer-review-open") in client.get(reverse("web:transfer-reviews")).content.decode()
    assert client.get(url).context["form"].initial["county"] == county  # the officer's one county

    # this year's review exists (the demo's): refused next to the year, nothing made
    refused = client.post(url, {"county": county.pk, "year": year, "min_years": "5"})
    assert refused.status_code == 400
    assert f"{county.name}{year}年的交流研判已建立" in str(refused.context["form"].errors["year"])
    assert TransferReview.objects.filter(county=county).count() == 1

    response = client.post(url, {"county": county.pk, "year": year + 1, "min_years": "5"})

    review = TransferReview.objects.get(county=county, year=year + 1)
    assert response.status_code == 303 and response["Location"] == reverse("web:transfer-review", args=[review.pk])
    assert review.decisions.count() == TransferReview.objects.get(county=county, year=year).decisions.count()
    assert AuditEntry.objects.get(action="create", resource="transfer-reviews", object_id=str(review.pk))


def test_a_plan_of_next_year_needs_an_interviewer_and_lists_the_countys_section_level_cadres(
    signed_in: Callable[[str], Client],
) -> None:
    client, county, year = signed_in("county_staff"), _county(), clock.today().year
    url = reverse("web:interview-plan-create")
    officer = User.objects.get(username="county_staff")
    assert url in client.get(reverse("web:interview-plans")).content.decode()

    refused = client.post(url, {"county": county.pk, "year": year + 1, "checkpoints": 4})
    assert refused.status_code == 400 and "interviewers" in refused.context["form"].errors
    assert not InterviewPlan.objects.filter(county=county, year=year + 1).exists()

    response = client.post(url, {"county": county.pk, "year": year + 1, "checkpoints": 4, "interviewers": officer.pk})

    plan = InterviewPlan.objects.get(county=county, year=year + 1)
    assert response.status_code == 303 and response["Location"] == reverse("web:interview-plan", args=[plan.pk])
    this_year = InterviewPlan.objects.get(county=county, year=year)
    assert {line.cadre_id for line in plan.lines.all()} >= {
        line.cadre_id for line in this_year.lines.exclude(status="cancelled")
    }
    assert list(plan.interviewers.all()) == [officer]
    assert AuditEntry.objects.get(action="create", resource="interview-plans", object_id=str(plan.pk))
