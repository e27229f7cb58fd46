"""The browsable API (what a browser gets from /api/v1/): every page renders
for every role of the cast, with records in and out of the reader's scope,
never answers a server error, and no form on it (a record's, the filters')
offers a person, unit or family member outside the reader's scope."""

from __future__ import annotations

import re
from typing import Any

import pytest

from config.api_router import router
from tests.conftest import ROLE_USERS
from tests.factories import FamilyMemberFactory
from tests.resources import CASES

CASE_OF = {case.resource: case for case in CASES}

# Names only readers of county B (and the city) may see, and only readers of township A2.
COUNTY_B = ["李永胜", "期纳镇", "永胜县", "李家妻", "secretary_b1"]
TOWN_A2 = ["杨建华", "鲁甸乡", "杨家女"]
COUNTY_A = ["木晓梅", "杨建华", "杨家女", "石头乡", "鲁甸乡", "玉龙县", "secretary_a1", "hr_a1", "county_a_"]
OUT_OF_SCOPE = {
    "city_admin": [],
    "county_a_admin": COUNTY_B,
    "county_a_staff": COUNTY_B,
    "secretary_a1": COUNTY_B + TOWN_A2,
    "hr_a1": COUNTY_B + TOWN_A2,
    "cadre_a1_user": COUNTY_B + TOWN_A2,
    "secretary_b1": COUNTY_A,
    # only what is routed to them (nothing here) and themself as a talker
    "county_a_leader": COUNTY_B + [name for name in COUNTY_A if name != "county_a_"],
}
FORM = re.compile(r"<form\b.*?</form>", re.S)
BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.mark.parametrize(
    ("prefix", "viewset"),
    [(prefix, viewset) for prefix, viewset, _ in router.registry],
    ids=[prefix for prefix, _, _ in router.registry],
)
def test_every_page_renders_in_the_browser_for_every_role_naming_no_one_out_of_scope(
    cast: Any, client_for: Any, prefix: str, viewset: type
) -> None:
    case = CASE_OF[prefix]
    failures = []
    with case.context():
        # given a record in township A1 (about cadre A1) and one in township B1, and family in A2 and B1
        FamilyMemberFactory(cadre=cast.cadre_b1, name="李家妻")
        FamilyMemberFactory(cadre=cast.cadre_a2, name="杨家女")
        if not case.inbox:
            inside, _ = case.make_in(cast), case.make_out(cast)
        for name in ROLE_USERS:
            if case.inbox:  # (a personal inbox: one notice to the reader, one to someone else)
                inside, _ = case.make_in(cast, cast.user(name)), case.make_out(cast, cast.user(name))
            client = client_for(name)
            client.raise_request_exception = False
            pages = [(f"/api/v1/{prefix}/{inside.pk}/", {}), (f"/api/v1/{prefix}/{inside.pk}/", {"format": "api"})]
            if hasattr(viewset, "list"):
                pages += [(f"/api/v1/{prefix}/", {}), (f"/api/v1/{prefix}/", {"format": "api"})]
            # when a browser asks for each page, list and record
            for url, query in pages:
                response = client.get(url, query, **BROWSER)
                # then it gets a page or a refusal, never a server error
                if response.status_code >= 500:
                    failures.append(f"{name} {url} {query}: {response.status_code}")
                    continue
                assert response["Content-Type"].startswith("text/html"), url
                # and its forms (a record's, the filters') offer no one outside the reader's scope
                forms = "".join(FORM.findall(response.content.decode()))
                failures += [f"{name} {url} {query}: offers {other}" for other in OUT_OF_SCOPE[name] if other in forms]
    assert not failures


def test_a_cadres_rest_request_form_offers_only_themself(cast: Any, client_for: Any) -> None:
    # when a cadre (who sees only their own records) opens the rest-request page in a browser
    page = "".join(FORM.findall(client_for("cadre_a1_user").get("/api/v1/rest-requests/", **BROWSER).content.decode()))

    # then the form's cadre choice and the filter's list name them alone
    assert "木晓梅" in page
    assert not [other for other in ["和书记", "杨建华", "李永胜"] if other in page]


def test_a_secretarys_talk_form_offers_only_people_of_their_township(cast: Any, client_for: Any) -> None:
    page = "".join(FORM.findall(client_for("secretary_a1").get("/api/v1/talks/", **BROWSER).content.decode()))

    assert "和书记" in page  # a cadre of the township with a login, as talker
    assert not [other for other in ["secretary_b1", "county_a_admin", "李永胜", "杨建华"] if other in page]
