"""我的待办 (/) and the notifications inbox for each demo login: the same items
and notices as the API gives them, nothing from outside their township,
no audit rows (they show no personal values), Chinese first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.models import Cadre, User
from cadrecare.reminders.models import Notice
from cadrecare.web import actions
from cadrecare.web.views import home
from tests.cadrecare.web.conftest import DEMO_ROLES

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")
TOWNSHIP_ROLES = ["secretary", "hr", "cadre"]


def _api(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_my_items_are_the_apis_mine_list_soonest_first(username: str, signed_in: Callable[[str], Client]) -> None:
    # given the items the API lists as the user's own, due within 30 days or overdue
    due_to = clock.today() + dt.timedelta(days=30)
    api = _api(username).get("/api/v1/due-items/", {"mine": 1, "due_to": due_to.isoformat(), "page_size": 30}).json()

    # when the user opens the workbench
    response = signed_in(username).get("/")

    # then the page lists exactly those, in the same order, under a Chinese heading
    assert response.status_code == 200
    assert "<h1>我的待办</h1>" in response.content.decode()
    assert [row["id"] for row in response.context["rows"]] == [item["id"] for item in api["results"]]
    assert response.context["page"].paginator.count == api["count"]
    days = [row["due_date"] for row in response.context["rows"]]
    assert days == sorted(days)
    # and rendering it audited nothing: due items show names and dates, no personal values
    assert not AuditEntry.objects.filter(action="read").exists()


@pytest.mark.parametrize("username", ["secretary", "hr"])
def test_a_township_officer_sees_no_item_of_another_township(username: str, signed_in: Callable[[str], Client]) -> None:
    township = Cadre.objects.get(user__username="secretary").unit

    response = signed_in(username).get("/", {"within": "all"})

    rows = response.context["rows"]
    assert rows, "the demo gives the township's officers items of their own"
    assert {row["unit"] for row in rows} == {township.pk}
    page = response.content.decode()
    for other in township.parent.children.exclude(pk=township.pk):
        assert other.name not in page


def test_overdue_items_say_how_late_in_words_and_link_to_their_page_once_it_exists(
    signed_in: Callable[[str], Client],
) -> None:
    response = signed_in("secretary").get("/")

    page = response.content.decode()
    overdue = [row for row in response.context["rows"] if row["state"] == "overdue"]
    assert overdue
    assert f"逾期 {overdue[0]['days_overdue']} 天" in page
    assert f"已逾期 {response.context['counts']['overdue']} 项" in page
    for row in response.context["rows"]:
        page_exists = actions._page(actions.ACTIONS[row["kind"]]) is not None
        assert (row["action"] is not None) == page_exists
    # the secretary's talks have theirs
    talk = next(row for row in response.context["rows"] if row["kind"] == "talk_trigger")
    assert talk["action"]["url"] == reverse("web:talk-trigger-record", kwargs={"pk": talk["object_id"]})


def test_the_filters_narrow_the_list_and_bad_values_are_ignored(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("secretary")

    regular = client.get("/", {"kind": "regular_talk", "within": "all"}).context["rows"]
    late = client.get("/", {"state": "overdue"}).context["rows"]
    nonsense = client.get("/", {"kind": "nonsense", "state": "late", "within": "7", "page": "x"})

    assert regular and {row["kind"] for row in regular} == {"regular_talk"}
    assert late and {row["state"] for row in late} == {"overdue"}
    assert nonsense.status_code == 200


def test_an_htmx_filter_request_gets_only_the_list(signed_in: Callable[[str], Client]) -> None:
    response = signed_in("secretary").get("/", {"state": "overdue"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="due-items"')
    assert "<html" not in page


def test_the_workbench_speaks_english_when_asked(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("secretary")
    client.cookies["django_language"] = "en"

    page = client.get("/").content.decode()

    assert '<html lang="en">' in page
    assert "<h1>My tasks</h1>" in page and "overdue" in page


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_the_nav_and_badge_show_the_users_own_unread_count(username: str, signed_in: Callable[[str], Client]) -> None:
    unread = Notice.objects.filter(recipient__username=username, read_at__isnull=True).count()

    response = signed_in(username).get("/inbox/")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/" ' in page or '<a href="/">' in page  # 我的待办 in the nav
    if unread:
        assert f"{unread} 条未读" in page
    assert {row["notice"].recipient_id for row in response.context["rows"]} <= {User.objects.get(username=username).pk}


def test_the_inbox_lists_the_users_notices_newest_first(signed_in: Callable[[str], Client]) -> None:
    user = User.objects.get(username="secretary")

    response = signed_in("secretary").get("/inbox/")

    shown = [row["notice"].pk for row in response.context["rows"]]
    assert shown == list(
        Notice.objects.filter(recipient=user).order_by("-created_at", "-id").values_list("pk", flat=True)[:20]
    )


def test_marking_a_notice_read_with_htmx_swaps_the_row_and_the_badge(signed_in: Callable[[str], Client]) -> None:
    user = User.objects.get(username="secretary")
    notice = Notice.objects.filter(recipient=user, read_at__isnull=True).first()
    unread = Notice.objects.filter(recipient=user, read_at__isnull=True).count()

    response = signed_in("secretary").post(f"/inbox/{notice.pk}/read/", HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<li class="notice notice--read" id="notice-{notice.pk}">')
    assert 'id="unread-badge" class="badge" hx-swap-oob="true"' in page and f"{unread - 1} 条未读" in page
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_marking_a_notice_read_without_javascript_returns_to_the_inbox(signed_in: Callable[[str], Client]) -> None:
    notice = Notice.objects.filter(recipient__username="hr", read_at__isnull=True).first()

    response = signed_in("hr").post(f"/inbox/{notice.pk}/read/")

    assert response.status_code == 303 and response["Location"] == "/inbox/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_another_persons_notice_is_not_found_and_stays_unread(signed_in: Callable[[str], Client]) -> None:
    theirs = Notice.objects.filter(recipient__username="hr", read_at__isnull=True).first()

    response = signed_in("secretary").post(f"/inbox/{theirs.pk}/read/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_only_ones_own(signed_in: Callable[[str], Client]) -> None:
    others_unread = Notice.objects.filter(read_at__isnull=True).exclude(recipient__username="secretary").count()

    response = signed_in("secretary").post("/inbox/read-all/", follow=True)

    assert "条通知标为已读" in response.content.decode()
    assert not Notice.objects.filter(recipient__username="secretary", read_at__isnull=True).exists()
    assert Notice.objects.filter(read_at__isnull=True).count() == others_unread


def test_the_pages_query_count_does_not_grow_with_their_rows(
    signed_in: Callable[[str], Client], count_queries: Callable[..., int]
) -> None:
    client = signed_in("secretary")
    client.get("/")  # sessions and caches warm

    few, many = client.get("/", {"state": "due"}), client.get("/", {"within": "all"})
    assert 0 < len(few.context["rows"]) < len(many.context["rows"])
    assert count_queries(lambda: client.get("/", {"state": "due"})) == count_queries(
        lambda: client.get("/", {"within": "all"})
    )
    assert count_queries(lambda: client.get("/inbox/", {"show": "unread"})) == count_queries(
        lambda: client.get("/inbox/")
    )


def test_all_items_cost_the_same_queries_for_a_few_rows_or_every_row(
    signed_in: Callable[[str], Client], count_queries: Callable[..., int]
) -> None:
    # given the county officer's 全部待办: their scope and what they own outside it, read as two parts per kind
    client = signed_in("county_staff")
    url = reverse("web:due-items")
    client.get(url)  # sessions and caches warm

    # when a state narrows the list, or nothing does
    few, many = client.get(url, {"state": "due"}), client.get(url, {"within": "all"})

    # then the rows differ and the queries do not
    assert len(few.context["rows"]) < len(many.context["rows"])
    assert count_queries(lambda: client.get(url, {"state": "due"})) == count_queries(
        lambda: client.get(url, {"within": "all"})
    )


def test_each_page_reads_its_rows_and_the_counts_in_one_pass_over_the_union(signed_in: Callable[[str], Client]) -> None:
    # given the secretary's every open item, as the API lists them
    api = _api("secretary").get("/api/v1/due-items/", {"mine": 1, "page_size": 1000}).json()
    expected = [item["id"] for item in api["results"]]
    client = signed_in("secretary")
    size = home.PAGE_SIZE
    pages = -(-len(expected) // size)
    assert pages >= 2, "the demo gives the secretary more than a page of items"

    # when they walk every page, and a page past the end
    seen, unions = [], []
    for number in [*range(1, pages + 2)]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/", {"within": "all", "page": number})
        unions.append(sum('"di_kind"' in query["sql"] for query in queries.captured_queries))
        rows = [row["id"] for row in response.context["rows"]]
        assert response.context["page"].paginator.count == len(expected)
        if number <= pages:
            seen += rows
        else:  # past the end: the last page
            assert rows == expected[(pages - 1) * size :]

    # then the pages hold the API's items in its order, and a page in range read the union once
    assert seen == expected
    assert unions[:pages] == [1] * pages


@pytest.mark.parametrize("page", ["0", "-3", "x", "99999999999999999999999"])
def test_a_page_number_out_of_any_range_shows_a_page_of_the_list(page: str, signed_in: Callable[[str], Client]) -> None:
    response = signed_in("secretary").get("/", {"within": "all", "page": page})

    assert response.status_code == 200
    assert response.context["rows"]
