"""困难帮扶 for HR officers: open a case for a cadre, add measures, record the
review (the due item's page), change the status; each through its care service
with the API's audit row, shown masked and audited as the API shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.care import services
from cadrecare.care.models import HardshipCase, HardshipMeasure
from cadrecare.core import clock
from cadrecare.org.models import Cadre, User
from cadrecare.web.actions import action_for
from tests.cadrecare.web.conftest import demo_township_cadre

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")


def _township() -> object:
    return Cadre.objects.get(user__username="secretary").unit


def _case(cadre: Cadre | None = None) -> HardshipCase:
    """A case of the demo township recorded by its HR officer, or one of ``cadre`` recorded by the system."""
    return services.hardship_case_create(
        actor=User.objects.get(username="hr") if cadre is None else None,
        cadre=cadre or demo_township_cadre(),
        category="illness",
        description="配偶患尿毒症，长期透析",
        opened_on=clock.today() - dt.timedelta(days=30),
    )


@pytest.mark.parametrize(
    ("username", "status", "sees_description"),
    [
        ("hr", 200, True),
        ("city_admin", 200, True),
        ("county_staff", 200, True),
        ("secretary", 200, False),
        ("cadre", 404, False),
    ],
)
def test_the_case_page_shows_what_the_api_shows(
    username: str, status: int, sees_description: bool, signed_in: Callable[[str], Client]
) -> None:
    case = _case()

    response = signed_in(username).get(reverse("web:hardship-case", kwargs={"pk": case.pk}))

    assert response.status_code == status
    if status == 200:
        assert ("配偶患尿毒症" in response.content.decode()) == sees_description
        reads = AuditEntry.objects.filter(action="read", resource="hardship-cases", object_id=case.pk)
        assert reads.exists() == sees_description


def test_another_townships_case_is_404_for_hr(signed_in: Callable[[str], Client]) -> None:
    township = _township()
    case = _case(Cadre.objects.filter(unit__parent=township.parent).exclude(unit=township).first())

    assert signed_in("hr").get(reverse("web:hardship-case", kwargs={"pk": case.pk})).status_code == 404
    assert case.pk not in [row["id"] for row in signed_in("hr").get(reverse("web:hardship")).context["rows"]]


def test_hr_opens_a_case_adds_a_measure_and_records_a_review(signed_in: Callable[[str], Client]) -> None:
    cadre = demo_township_cadre()
    client = signed_in("hr")

    opened = client.post(
        reverse("web:hardship-open", kwargs={"pk": cadre.pk}),
        {"category": "financial", "description": "房屋受灾", "opened_on": ""},
    )
    case = HardshipCase.objects.get(cadre=cadre, description="房屋受灾")
    assert opened.status_code == 303 and opened["Location"] == reverse("web:hardship-case", kwargs={"pk": case.pk})
    assert case.next_review is not None  # the care policy's interval
    added = client.post(
        reverse("web:hardship-measure-add", kwargs={"pk": case.pk}),
        {"date": clock.today().isoformat(), "kind": "money", "amount": "2000", "provided_by": "县委组织部"},
    )
    reviewed = client.post(
        reverse("web:hardship-review", kwargs={"pk": case.pk}), {"date": clock.today().isoformat(), "next_review": ""}
    )

    assert added.status_code == reviewed.status_code == 303
    case.refresh_from_db()
    assert case.status == "helping" and case.last_reviewed_on == clock.today()
    measure = HardshipMeasure.objects.get(case=case)
    assert AuditEntry.objects.filter(action="create", resource="hardship-cases", object_id=case.pk).exists()
    assert AuditEntry.objects.filter(action="create", resource="hardship-measures", object_id=measure.pk).exists()
    assert AuditEntry.objects.filter(action="update", resource="hardship-cases", object_id=case.pk).exists()


def test_hr_resolves_a_case(signed_in: Callable[[str], Client]) -> None:
    case = _case()
    url = reverse("web:hardship-edit", kwargs={"pk": case.pk})
    client = signed_in("hr")
    form = client.get(url).context["form"]

    response = client.post(url, {**{k: v for k, v in form.initial.items() if v is not None}, "status": "resolved"})

    assert response.status_code == 303
    case.refresh_from_db()
    assert case.status == "resolved" and case.resolved_on == clock.today()
    entry = AuditEntry.objects.get(action="update", resource="hardship-cases", object_id=case.pk)
    assert entry.fields == ["resolved_on", "status"]  # the service dated the resolution


@pytest.mark.parametrize(
    ("url_name", "data", "field", "message"),
    [
        ("web:hardship-review", {"date": "2000-01-01"}, "date", "回访日期不能早于该困难的登记日期"),
        ("web:hardship-review", {"date": ""}, "date", "回访日期：该字段是必填项。"),
        (
            "web:hardship-measure-add",
            {"date": "2999-01-01", "kind": "money", "amount": "1", "provided_by": "乡党委"},
            "date",
            "日期不能晚于今天。",
        ),
        (
            "web:hardship-measure-add",
            {"date": "today", "kind": "money", "amount": "-5", "provided_by": "乡党委"},
            "amount",
            "金额不能为负数。",
        ),
    ],
)
def test_a_bad_form_is_refused_beside_its_field_and_nothing_is_saved(
    url_name: str, data: dict[str, str], field: str, message: str, signed_in: Callable[[str], Client]
) -> None:
    case = _case()
    data = {name: clock.today().isoformat() if value == "today" else value for name, value in data.items()}

    response = signed_in("hr").post(reverse(url_name, kwargs={"pk": case.pk}), data)

    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert message in response.content.decode()
    case.refresh_from_db()
    assert case.last_reviewed_on is None and not case.measures.exists()


def test_the_review_due_item_links_to_the_review_page_for_hr_only() -> None:
    case = _case()

    assert action_for(User.objects.get(username="hr"), "hardship_review", case.pk)["url"] == reverse(
        "web:hardship-review", kwargs={"pk": case.pk}
    )
    assert action_for(User.objects.get(username="secretary"), "hardship_review", case.pk) is None
