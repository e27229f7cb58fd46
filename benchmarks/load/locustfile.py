"""The users of the load test: township secretaries and HR officers of the
demo city working in the workbench and through the API, in the mix of a
working morning (mostly reads: their due items, inbox, the roster grid,
lists; some writes: an absence recorded and withdrawn, the inbox marked
read). Each Locust user signs in as the demo's own secretary or HR officer
(a cadre of the township, who owns its post-following items: the real
我的待办), with a session and a token of its own (``LOAD_*`` environment, set
by ``benchmarks.load``, which raises the server's per-login throttle for the
run).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os

from locust import HttpUser, between, task

# Per role, signed-in API tokens and workbench sessions of its demo login
# (benchmarks.load makes them: fifty password checks at once would measure the hasher).
CREDENTIALS = json.loads(os.environ.get("LOAD_CREDENTIALS", "{}"))
ROSTER = os.environ.get("LOAD_ROSTER", "")  # id of the secretaries' township's draft roster
ROSTER_PAGE = os.environ.get("LOAD_ROSTER_PAGE", "")  # its workbench page
CADRE = os.environ.get("LOAD_CADRE", "")  # a cadre of that township, for absences
THINK = tuple(float(seconds) for seconds in os.environ.get("LOAD_THINK", "0.5,2").split(","))  # between actions
_numbers = itertools.count()


class Officer(HttpUser):
    abstract = True
    role = ""
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.number = next(_numbers)
        accounts = CREDENTIALS[self.role]
        account = accounts[self.number % len(accounts)]
        self.api = {"Authorization": f"Bearer {account['token']}"}
        self.client.cookies.set("sessionid", account["session"])

    def get(self, path: str, name: str) -> None:
        self.client.get(path, headers=self.api, name=name)


class Secretary(Officer):
    role = "secretary"
    weight = 3

    @task(4)
    def my_due_items(self) -> None:
        self.get("/api/v1/due-items/?mine=1", "API due-items?mine=1")

    @task(3)
    def workbench_home(self) -> None:
        self.client.get("/", name="page 我的待办")

    @task(3)
    def roster_grid(self) -> None:
        self.get(f"/api/v1/rosters/{ROSTER}/grid/", "API roster grid")

    @task(1)
    def roster_page(self) -> None:
        self.client.get(ROSTER_PAGE, name="page roster month")

    @task(2)
    def inbox(self) -> None:
        self.get("/api/v1/notifications/?unread=1", "API notifications")

    @task(2)
    def cadres(self) -> None:
        self.get("/api/v1/cadres/?page_size=20", "API cadres")

    @task(1)
    def record_and_withdraw_an_absence(self) -> None:
        # A day of this user's own: two absences of one cadre may not overlap (400).
        start = dt.date.today() + dt.timedelta(days=40 + self.number)
        created = self.client.post(
            "/api/v1/absences/",
            headers=self.api,
            name="API absence create",
            json={"cadre": int(CADRE), "kind": "training", "start": start.isoformat(), "end": start.isoformat()},
        )
        if created.status_code == 201:
            self.client.delete(f"/api/v1/absences/{created.json()['id']}/", headers=self.api, name="API absence delete")

    @task(1)
    def read_all(self) -> None:
        self.client.post("/api/v1/notifications/read-all/", headers=self.api, name="API notifications read-all")


class HrOfficer(Officer):
    role = "hr"
    weight = 1

    @task(3)
    def my_due_items(self) -> None:
        self.get("/api/v1/due-items/?mine=1", "API due-items?mine=1")

    @task(2)
    def checkups_due(self) -> None:
        self.get("/api/v1/checkup-due/", "API checkup-due")

    @task(2)
    def workbench_home(self) -> None:
        self.client.get("/", name="page 我的待办")

    @task(1)
    def cadres(self) -> None:
        self.get("/api/v1/cadres/?page_size=20", "API cadres")
