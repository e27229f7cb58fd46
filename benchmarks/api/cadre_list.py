"""Benchmark: the cadre list (page of 100, with filters) on province-size data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadrecare_bench \\
        .venv/bin/python -m benchmarks.api.cadre_list [--townships 1400] [--requests 100]

Builds the demo province once in the named database (kept for later runs),
then sends requests in process through Django's test client as a city
organisation-department administrator (the widest scope) and as a township
HR officer, and prints median and 95th-percentile latency and queries per
request for each filter combination.
"""

from __future__ import annotations

import argparse

from benchmarks.province import setup_province, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=1400)
    parser.add_argument("--requests", type=int, default=100)  # 6 cases stay under the 600/min user throttle
    args = parser.parse_args()

    setup_province(args.townships)
    from rest_framework.test import APIClient

    from cadrecare.org.models import Cadre, OrgUnit, User

    print(f"{Cadre.objects.count()} cadres, {OrgUnit.objects.count()} units")

    county = OrgUnit.objects.filter(kind="county").order_by("path")[1]
    cases = {
        "city admin, no filter": ("city_admin", {}),
        "city admin, county subtree": ("city_admin", {"unit": county.pk}),
        "city admin, rank+leader+age": (
            "city_admin",
            {"rank": "section_deputy", "leader_post": "none", "age_min": 30, "age_max": 45},
        ),
        "city admin, name search": ("city_admin", {"q": "明"}),
        "city admin, page 50": ("city_admin", {"page": 50}),
        "township hr, no filter": ("hr", {}),
    }
    print(f"{'case':<32} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'rows':>6}")
    for label, (username, params) in cases.items():
        client = APIClient()
        client.force_authenticate(User.objects.get(username=username))
        query = {"page_size": 100, **params}
        median, p95, queries, response = timed(
            lambda: client.get("/api/v1/cadres/", query),  # noqa: B023
            args.requests,
        )
        assert response.status_code == 200, response.content[:300]
        rows = len(response.json()["results"])
        print(f"{label:<32} {median:>10.1f} {p95:>8.1f} {queries:>8} {rows:>6}")


if __name__ == "__main__":
    main()
