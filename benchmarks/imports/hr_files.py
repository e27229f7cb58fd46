"""Benchmark: HR's bulk imports on a county's and a city's files.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadrecare_importbench \\
        .venv/bin/python -m benchmarks.imports.hr_files [--townships 70] [--per-township 50]

Builds, once, in the named database a county of ``townships`` townships of
``per-township`` cadres (3,500 by default) with a county HR officer and a
city organization-department administrator. Then, through the API in
process (Django's test client, multipart upload as a browser sends it):

- the county's family members, about 12,000 relatives (a spouse for every
  cadre, both parents for five in seven, a child for every cadre but one in
  seven and a second child for one in four), half the rows naming the cadre
  by citizen id number and half by name within the township, as HR's
  xlsx; preview, apply, then the same file again (every row unchanged);
- the city's check-up results, one row per cadre (3,500), the hospital's
  xlsx with name and id number mixed the same way, imported by the city
  administrator; preview, apply, the same file again.

Each run starts from no relatives and no check-ups (truncated first), and
prints seconds and queries per request, with the machine's load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import time
from typing import Any

import django


def build(townships: int, per_township: int) -> None:
    from cadrecare.org.choices import Gender, Rank, Role, UnitKind
    from cadrecare.org.models import Cadre, OrgUnit, RoleGrant, User
    from cadrecare.org.rules import citizen_id_compose
    from cadrecare.org.services import org_unit_create

    if OrgUnit.objects.filter(code="IMPB").exists():
        return
    city = org_unit_create(code="IMPB", name="基准市", kind=UnitKind.CITY)
    county = org_unit_create(code="IMPB01", name="基准县", kind=UnitKind.COUNTY, parent=city)
    towns = [
        org_unit_create(code=f"IMPB01{n:03d}", name=f"基准{n}镇", kind=UnitKind.TOWNSHIP, parent=county)
        for n in range(townships)
    ]
    cadres = []
    for t, town in enumerate(towns):
        for n in range(per_township):
            sequence = t * per_township + n
            gender = Gender.MALE if n % 2 else Gender.FEMALE
            birth = dt.date(1965 + sequence % 30, 1 + sequence % 12, 1 + sequence % 28)
            cadres.append(
                Cadre(
                    name=f"干部{t}-{n}",
                    gender=gender,
                    birth_date=birth,
                    id_number=citizen_id_compose("530721", birth, sequence % 999 + 1, gender),
                    phone=f"139{sequence:08d}",
                    rank=Rank.STAFF_MEMBER,
                    unit=town,
                    establishment_unit=town,
                    unit_joined=dt.date(2015, 3, 1),
                )
            )
    Cadre.objects.bulk_create(cadres, batch_size=1000)
    hr = User.objects.create_user("bench_import_hr", password="x")
    admin = User.objects.create_user("bench_import_admin", password="x")
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=hr, role=Role.HR, unit=county), RoleGrant(user=admin, role=Role.ORG_ADMIN, unit=city)]
    )


def family_rows(cadres: list[Any]) -> list[list[str]]:
    rows = []
    for n, cadre in enumerate(cadres):
        key = [cadre.id_number, "", ""] if n % 2 else ["", cadre.name, cadre.unit.name]
        born = cadre.birth_date
        relatives = [("配偶", f"{cadre.name}之配偶", born.replace(year=born.year + 1))]
        if n % 7 < 5:
            relatives += [
                ("父亲", f"{cadre.name}之父", born.replace(year=born.year - 28)),
                ("母亲", f"{cadre.name}之母", born.replace(year=born.year - 26)),
            ]
        if n % 7:
            relatives.append(("子女", f"{cadre.name}之子", born.replace(year=born.year + 27)))
        if n % 4 == 1:
            relatives.append(("子女", f"{cadre.name}之女", born.replace(year=born.year + 30)))
        for relation, name, birth in relatives:
            rows.append([*key, relation, name, "", birth.isoformat(), "县第一中学", "13900000000", "否", "", "", ""])
    return rows


def checkup_rows(cadres: list[Any], day: dt.date) -> list[list[str]]:
    rows = []
    for n, cadre in enumerate(cadres):
        key = [cadre.id_number, cadre.name, ""] if n % 2 else ["", cadre.name, cadre.unit.code]
        conclusion = "需复查" if n % 5 == 0 else "基本健康"
        follow_up = ["是", (day + dt.timedelta(days=90)).isoformat()] if n % 5 == 0 else ["否", ""]
        rows.append([*key, day.isoformat(), "市第一人民医院", "年度体检", conclusion, "血脂偏高", *follow_up, "600"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=70)
    parser.add_argument("--per-township", type=int, default=50)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.test import APIClient

    from cadrecare.care.imports import FamilyMemberImporter
    from cadrecare.care.models import FamilyMember
    from cadrecare.core import clock
    from cadrecare.health.imports import CheckupImporter
    from cadrecare.health.models import Checkup
    from cadrecare.org.models import Cadre, User
    from cadrecare.org.spreadsheets import write_rows

    call_command("migrate", verbosity=0)
    build(args.townships, args.per_township)
    cadres = list(Cadre.objects.filter(unit__code__startswith="IMPB01").select_related("unit").order_by("id"))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {FamilyMember._meta.db_table}, {Checkup._meta.db_table} CASCADE")

    def upload(importer: Any, rows: list[list[str]]) -> bytes:
        headers = [column.header for column in importer.columns]
        return write_rows(rows, as_csv=False, title=importer.title, headers=headers)

    def send(username: str, url: str, body: bytes) -> tuple[float, int, dict[str, Any]]:
        client = APIClient()
        client.force_authenticate(User.objects.get(username=username))
        queries = 0

        def count(execute: Any, *params: Any) -> Any:
            nonlocal queries
            queries += 1
            return execute(*params)

        file = io.BytesIO(body)
        file.name = "bench.xlsx"
        started = time.monotonic()
        with connection.execute_wrapper(count):
            response = client.post(url, {"file": file}, format="multipart")
        seconds = time.monotonic() - started
        assert response.status_code in (200, 201), response.json()
        return seconds, queries, response.json()

    cases = [
        (
            "family members, county HR",
            "bench_import_hr",
            "family-members",
            upload(FamilyMemberImporter, family_rows(cadres)),
        ),
        (
            "check-ups, city admin",
            "bench_import_admin",
            "health-checkups",
            upload(CheckupImporter, checkup_rows(cadres, clock.today() - dt.timedelta(days=7))),
        ),
    ]
    print(f"{len(cadres)} cadres; load average before {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print(f"{'file':<27} {'rows':>6} {'step':<13} {'seconds':>8} {'queries':>8}  created/updated/unchanged")
    for label, username, resource, body in cases:
        url = f"/api/v1/{resource}/import/"
        for step, query in (("preview", "?dry_run=1"), ("apply", ""), ("apply again", "")):
            seconds, queries, answer = send(username, url + query, body)
            counts = f"{answer['created']}/{answer['updated']}/{answer['unchanged']}"
            print(f"{label:<27} {len(answer['rows']):>6} {step:<13} {seconds:>8.1f} {queries:>8}  {counts}", flush=True)
    print(f"\nload average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
