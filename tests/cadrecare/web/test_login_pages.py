"""开通账号 on the workbench: HR picks a unit, ticks the cadres without a
login, and gets the printable slip with each initial password, this once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from cadrecare.org.models import Cadre, User
from tests.factories import CadreFactory


def test_hr_opens_logins_and_prints_the_slip_once(cast: Any, signed_in: Callable[[str], Client]) -> None:
    zhang = CadreFactory(name="张三", unit=cast.town_a1, phone="13900000001")
    hr = signed_in("hr_a1")

    # the unit's cadres without a login are offered, ticked
    page = hr.get("/cadres/logins/", {"unit": cast.town_a1.pk}).content.decode()
    assert "张三（13900000001）" in page and "木晓梅" not in page

    # opening them answers the slip: name, username and the initial password, not to be cached
    slip = hr.post(
        "/cadres/logins/",
        {"unit": cast.town_a1.pk, "cadres": [zhang.pk], "username_rule": "mobile", "delivery": "slip"},
    )
    assert slip.status_code == 200 and slip["Cache-Control"] == "no-store"
    body = slip.content.decode()
    user = User.objects.get(username="13900000001")
    password = body.split('<dd class="slip-secret">')[2].split("</dd>")[0]
    assert "张三" in body and user.check_password(password) and user.must_change_password
    assert Cadre.objects.get(pk=zhang.pk).user == user

    # the same form again opens nothing twice
    again = hr.post(
        "/cadres/logins/",
        {"unit": cast.town_a1.pk, "cadres": [zhang.pk], "username_rule": "mobile", "delivery": "slip"},
    )
    assert again.status_code == 400 and User.objects.filter(username__startswith="139").count() == 1


def test_a_cadre_without_a_mobile_number_is_named_when_usernames_are_mobile_numbers(
    cast: Any, signed_in: Callable[[str], Client]
) -> None:
    no_phone = CadreFactory(name="赵六", unit=cast.town_a1, phone="")

    response = signed_in("hr_a1").post(
        "/cadres/logins/",
        {"unit": cast.town_a1.pk, "cadres": [no_phone.pk], "username_rule": "mobile", "delivery": "slip"},
    )

    assert response.status_code == 400
    assert "赵六没有登记手机号，不能以手机号作用户名。" in response.content.decode()


def test_the_page_is_for_hr_and_the_organization_department(cast: Any, signed_in: Callable[[str], Client]) -> None:
    assert signed_in("secretary_a1").get("/cadres/logins/").status_code == 403
    assert signed_in("county_a_admin").get("/cadres/logins/").status_code == 200
