"""家属与走访 for HR officers: a cadre's family on one page (masked and audited
as the API's family-members endpoint), add and edit a member, record a family
event and then, from the must-visit it opens, the visit, all through the care
services (placement, the service's rules, the API's audit rows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.care.models import FamilyEvent, FamilyMember, Visit, VisitObligation
from cadrecare.core import clock
from cadrecare.org.models import Cadre
from tests.cadrecare.web.conftest import DEMO_ROLES, demo_township_cadre
from tests.factories import FamilyMemberFactory

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")


def _township() -> object:
    return Cadre.objects.get(user__username="secretary").unit


def _cadre_elsewhere() -> Cadre:
    township = _township()
    return Cadre.objects.filter(unit__parent=township.parent).exclude(unit=township).order_by("pk").first()


def _child_of(cadre: Cadre) -> FamilyMember:
    nine = clock.today().replace(year=clock.today().year - 9) - dt.timedelta(days=1)
    return FamilyMemberFactory(
        cadre=cadre, relation="child", name="木小禾", birth_date=nine, work_unit="石头乡中心小学"
    )


def _event_post(**overrides: object) -> dict[str, object]:
    data = {
        "kind": "grave_illness",
        "date": (clock.today() - dt.timedelta(days=1)).isoformat(),
        "family_member": "",
        "description": "父亲突发脑梗住院",
        "request_key": "k-1",
    }
    data.update(overrides)
    return data


# -- the family page -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("username", "status"),
    [("hr", 200), ("city_admin", 200), ("county_staff", 200), ("secretary", 200), ("cadre", 404)],
)
def test_the_family_page_opens_as_the_api_reads_family_members(
    username: str, status: int, signed_in: Callable[[str], Client]
) -> None:
    # the demo cadre is self-only: another cadre's family is not theirs (404), as in the API
    response = signed_in(username).get(reverse("web:family-cadre", kwargs={"pk": demo_township_cadre().pk}))

    assert response.status_code == status


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_the_cadre_list_shows_only_cadres_in_scope(username: str, signed_in: Callable[[str], Client]) -> None:
    response = signed_in(username).get(reverse("web:family"))

    assert response.status_code == 200
    shown = {cadre.pk for cadre in response.context["page"].object_list}
    if username in ("hr", "secretary"):
        assert shown and {c.unit_id for c in Cadre.objects.filter(pk__in=shown)} == {_township().pk}
    if username == "cadre":
        assert shown == {Cadre.objects.get(user__username="cadre").pk}


def test_another_townships_family_is_404_for_hr(signed_in: Callable[[str], Client]) -> None:
    other = _cadre_elsewhere()
    client = signed_in("hr")

    assert client.get(reverse("web:family-cadre", kwargs={"pk": other.pk})).status_code == 404
    response = client.post(reverse("web:family-event-record", kwargs={"pk": other.pk}), _event_post())
    assert response.status_code == 404
    assert not FamilyEvent.objects.filter(cadre=other, description="父亲突发脑梗住院").exists()


def test_a_child_under_14_is_masked_for_the_secretary_and_not_audited_as_read(
    signed_in: Callable[[str], Client],
) -> None:
    # given a child of 9 in the secretary's township
    child = _child_of(demo_township_cadre())

    # when the secretary (personal level) and HR (sensitive) open the family page
    for_secretary = signed_in("secretary").get(reverse("web:family-cadre", kwargs={"pk": child.cadre_id}))
    for_hr = signed_in("hr").get(reverse("web:family-cadre", kwargs={"pk": child.cadre_id}))

    # then the secretary sees the relation only, HR everything, each as the API shows it
    row = next(m for m in for_secretary.context["members"] if m["id"] == child.pk)
    assert row["relation_label"] == "子女" and row["name"] == "***" and row["work_unit"] == "***"
    assert "木小禾" not in for_secretary.content.decode()
    assert "木小禾" in for_hr.content.decode()
    reads = AuditEntry.objects.filter(action="read", resource="family-members", object_id=child.pk)
    assert [entry.actor.username for entry in reads] == ["hr"]
    assert {"name", "work_unit", "birth_date"} <= set(reads.get().fields)


def test_the_secretary_reads_the_family_without_add_or_edit_buttons(signed_in: Callable[[str], Client]) -> None:
    cadre = demo_township_cadre()

    page = signed_in("secretary").get(reverse("web:family-cadre", kwargs={"pk": cadre.pk})).content.decode()

    assert reverse("web:family-member-add", kwargs={"pk": cadre.pk}) not in page
    assert "/edit/" not in page
    assert signed_in("secretary").get(reverse("web:family-member-add", kwargs={"pk": cadre.pk})).status_code == 403


# -- adding and editing a member -------------------------------------------------------------------
def test_hr_adds_a_family_member_with_the_api_audit_row(signed_in: Callable[[str], Client]) -> None:
    cadre = demo_township_cadre()

    response = signed_in("hr").post(
        reverse("web:family-member-add", kwargs={"pk": cadre.pk}),
        {
            "relation": "sibling",
            "name": "李秀兰",
            "gender": "female",
            "birth_date": "1980-05-06",
            "phone": "13800001234",
            "health_condition": "良好",
        },
    )

    assert response.status_code == 303
    assert response["Location"] == reverse("web:family-cadre", kwargs={"pk": cadre.pk})
    member = FamilyMember.objects.get(cadre=cadre, name="李秀兰")
    entry = AuditEntry.objects.get(action="create", resource="family-members", object_id=member.pk)
    assert entry.actor.username == "hr" and entry.cadre_id == cadre.pk


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "姓名：该字段是必填项。"),
        ({"birth_date": "2999-01-01"}, "birth_date", "出生日期不能晚于今天。"),
        ({"phone": "12345"}, "phone", "联系电话应为11位手机号或带区号的固定电话。"),
    ],
)
def test_a_bad_member_is_refused_beside_its_field_and_nothing_is_saved(
    changes: dict[str, str], field: str, message: str, signed_in: Callable[[str], Client]
) -> None:
    cadre = demo_township_cadre()
    before = FamilyMember.objects.count()
    data = {"relation": "sibling", "name": "李秀兰", "birth_date": "1980-05-06", **changes}

    response = signed_in("hr").post(reverse("web:family-member-add", kwargs={"pk": cadre.pk}), data)

    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert message in response.content.decode()
    assert FamilyMember.objects.count() == before
    assert not AuditEntry.objects.filter(action="create", resource="family-members").exists()


def test_hr_edits_a_member_from_the_values_the_api_shows(signed_in: Callable[[str], Client]) -> None:
    member = FamilyMemberFactory(cadre=demo_township_cadre(), relation="sibling", name="王芳", phone="13900001111")
    url = reverse("web:family-member-edit", kwargs={"pk": member.pk})
    client = signed_in("hr")

    form = client.get(url).context["form"]
    assert form.initial["name"] == "王芳" and form.initial["phone"] == "13900001111"
    assert AuditEntry.objects.filter(action="read", resource="family-members", object_id=member.pk).exists()
    response = client.post(
        url, {**{k: v for k, v in form.initial.items() if v not in (None, False)}, "work_unit": "县医院"}
    )

    assert response.status_code == 303
    member.refresh_from_db()
    assert member.work_unit == "县医院" and member.name == "王芳"
    entry = AuditEntry.objects.get(action="update", resource="family-members", object_id=member.pk)
    assert entry.fields == ["work_unit"]


# -- a family event, then its visit ----------------------------------------------------------------
def test_hr_records_a_family_event_and_goes_on_to_its_visit(signed_in: Callable[[str], Client]) -> None:
    cadre = demo_township_cadre()
    client = signed_in("hr")
    url = reverse("web:family-event-record", kwargs={"pk": cadre.pk})
    key = client.get(url).context["form"].initial["request_key"]

    # when HR records the event (twice, as a double click would)
    first = client.post(url, _event_post(request_key=key))
    again = client.post(url, _event_post(request_key=key))

    # then one event, its must-visit opened, and the page goes to record that visit
    event = FamilyEvent.objects.get(cadre=cadre, description="父亲突发脑梗住院")
    obligation = VisitObligation.objects.get(family_event=event)
    assert first.status_code == again.status_code == 303
    assert first["Location"] == reverse("web:visit-record", kwargs={"pk": obligation.pk})
    assert AuditEntry.objects.filter(action="create", resource="family-events", object_id=event.pk).count() == 1

    # when HR records the visit
    visit_url = first["Location"]
    form = client.get(visit_url).context["form"]
    assert form.initial["kind"] == "must_visit"
    response = client.post(
        visit_url,
        {
            "date": clock.today().isoformat(),
            "kind": "must_visit",
            "visitors": form.initial["visitors"],
            "family_member": "",
            "money_amount": "500",
            "goods": "牛奶一箱",
            "notes": "看望并了解治疗情况",
        },
    )

    # then the visit fulfils the must-visit and is audited as the API audits it
    assert response.status_code == 303
    visit = Visit.objects.get(cadre=cadre, goods="牛奶一箱")
    obligation.refresh_from_db()
    assert obligation.status == "done" and list(visit.obligations.all()) == [obligation]
    assert AuditEntry.objects.filter(action="create", resource="visits", object_id=visit.pk).exists()
    # and the family page shows the event as visited
    page = client.get(reverse("web:family-cadre", kwargs={"pk": cadre.pk})).content.decode()
    assert "重病重伤" in page and "已走访" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": ""}, "kind", "变故类型：该字段是必填项。"),
        ({"date": "2999-01-01"}, "date", "发生日期不能晚于今天。"),
    ],
)
def test_a_bad_family_event_is_refused_beside_its_field_and_nothing_is_saved(
    changes: dict[str, str], field: str, message: str, signed_in: Callable[[str], Client]
) -> None:
    cadre = demo_township_cadre()

    response = signed_in("hr").post(reverse("web:family-event-record", kwargs={"pk": cadre.pk}), _event_post(**changes))

    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert message in response.content.decode()
    assert not FamilyEvent.objects.filter(cadre=cadre, description="父亲突发脑梗住院").exists()
    assert not VisitObligation.objects.filter(cadre=cadre, family_event__description="父亲突发脑梗住院").exists()


def test_a_visit_dated_before_its_event_is_refused_and_the_must_visit_stays_open(
    signed_in: Callable[[str], Client],
) -> None:
    cadre = demo_township_cadre()
    client = signed_in("hr")
    client.post(reverse("web:family-event-record", kwargs={"pk": cadre.pk}), _event_post())
    obligation = VisitObligation.objects.get(family_event__cadre=cadre, family_event__description="父亲突发脑梗住院")

    response = client.post(
        reverse("web:visit-record", kwargs={"pk": obligation.pk}),
        {
            "date": (clock.today() - dt.timedelta(days=30)).isoformat(),
            "kind": "must_visit",
            "visitors": [client.session["_auth_user_id"]],
            "money_amount": "0",
        },
    )

    assert response.status_code == 400
    assert 'id="id_date_error"' in response.content.decode()
    assert "走访日期不能早于" in response.content.decode()
    obligation.refresh_from_db()
    assert obligation.status == "open" and not Visit.objects.filter(cadre=cadre).exists()


@pytest.mark.parametrize(
    ("username", "status"), [("hr", 200), ("secretary", 200), ("county_staff", 403), ("cadre", 403)]
)
def test_the_visit_page_opens_to_those_who_may_record_visits(
    username: str, status: int, signed_in: Callable[[str], Client]
) -> None:
    obligation = VisitObligation.objects.filter(
        cadre__unit=_township(), status="open"
    ).first() or VisitObligation.objects.create(
        cadre=demo_township_cadre(), source="manual", reason="测试", event_date=clock.today(), deadline=clock.today()
    )

    response = signed_in(username).get(reverse("web:visit-record", kwargs={"pk": obligation.pk}))

    assert response.status_code == status


def test_the_family_page_speaks_english_through_the_language_switch(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("hr")
    client.cookies["django_language"] = "en"

    page = client.get(reverse("web:family-cadre", kwargs={"pk": demo_township_cadre().pk})).content.decode()

    assert "Family members" in page and "Record a family event" in page and "家庭成员" not in page
