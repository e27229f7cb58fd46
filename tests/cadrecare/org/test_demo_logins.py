"""The demo data gives every township cadre a login, and the demo logins are
the cadres who hold their posts (one person, one identity)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from cadrecare.org.choices import CadreStatus, UnitKind
from cadrecare.org.demo import DEMO_PASSWORD
from cadrecare.org.models import Cadre


@pytest.mark.django_db(transaction=True)
def test_every_demo_township_cadre_signs_in_and_the_demo_logins_are_cadres() -> None:
    call_command("seed_demo", townships=3, stdout=StringIO())

    # (serving ones: the cadres who died in office, awarded posthumously in the demo register, sign in no more)
    township_cadres = Cadre.objects.filter(unit__kind=UnitKind.TOWNSHIP, status=CadreStatus.SERVING)
    assert township_cadres.count() > 100 and not township_cadres.filter(user__isnull=True).exists()
    linked = dict(
        Cadre.objects.filter(user__username__in=["secretary", "hr", "cadre", "county_staff"]).values_list(
            "user__username", "unit__name"
        )
    )
    assert set(linked) == {"secretary", "hr", "cadre", "county_staff"}
    assert linked["county_staff"].endswith("县委组织部")
    some = township_cadres.exclude(user__username__in=["secretary", "hr", "cadre"]).select_related("user").first()
    for username in ("secretary", some.user.username, some.phone):
        token = APIClient().post("/api/v1/auth/token/", {"username": username, "password": DEMO_PASSWORD})
        assert token.status_code == 200, username
