"""Demo establishment: approved slots for every township, near what its
cadres fill (some vacant, a few over), and a few borrowings by county bodies
in every state, most in the demo logins' county so 我的待办 shows them."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Count, Q

from cadrecare.core import clock
from cadrecare.establishment import services
from cadrecare.establishment.choices import FILLING_STATUSES
from cadrecare.establishment.models import EstablishmentSlot
from cadrecare.org.choices import CadreStatus, LeaderPost, UnitKind
from cadrecare.org.models import Cadre, OrgUnit

REASONS = ("借调参与脱贫攻坚专项工作", "抽调参加县委巡察组", "借用协助编制县志", "借用负责项目申报材料")


@transaction.atomic
def populate(*, rng: random.Random) -> None:
    today = clock.today()
    townships = list(
        OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP)
        .annotate(filled=Count("established_cadres", filter=Q(established_cadres__status__in=FILLING_STATUSES)))
        .order_by("id")
    )
    EstablishmentSlot.objects.bulk_create(
        EstablishmentSlot(
            township=town,
            approved=max(town.filled + rng.choice([-2, -1, 0, 1, 2, 3, 4, 5]), 0),
            approved_on=dt.date(today.year - 1, 12, 1),
            note="按县编办核定",
        )
        for town in townships
    )
    # The county whose township has the demo secretary's login: its organization department sees the items.
    home = Cadre.objects.filter(
        leader_post=LeaderPost.PARTY_SECRETARY, user__isnull=False, unit__kind=UnitKind.TOWNSHIP
    )
    home_county = home.values_list("unit__parent_id", flat=True).order_by("id").first()
    cadres = list(
        Cadre.objects.filter(
            status=CadreStatus.SERVING,
            unit__kind=UnitKind.TOWNSHIP,
            establishment_unit__kind=UnitKind.TOWNSHIP,
            leader_post=LeaderPost.NONE,
        )
        .select_related("unit__parent")
        .order_by("id")
    )
    near = [cadre for cadre in cadres if cadre.unit.parent_id == home_county]
    chosen = rng.sample(near, min(5, len(near))) + rng.sample(cadres, min(4, len(cadres)))
    agencies: dict[int | None, list[OrgUnit]] = {}
    for agency in OrgUnit.objects.filter(kind=UnitKind.COUNTY_AGENCY).order_by("id"):
        agencies.setdefault(agency.parent_id, []).append(agency)
    seen: set[int] = set()
    for index, cadre in enumerate(chosen):
        county_agencies = agencies.get(cadre.unit.parent_id)
        if cadre.pk in seen or not county_agencies:
            continue
        seen.add(cadre.pk)
        start = today - dt.timedelta(days=rng.randint(20, 300))
        borrowing = services.borrowing_record(
            actor=None,
            cadre=cadre,
            borrower=rng.choice(county_agencies),
            start=start,
            until=start + dt.timedelta(days=rng.choice([90, 180, 365])),
            reason=rng.choice(REASONS),
            today=start,
        )
        if index % 3 != 0:  # two in three reviewed; the rest wait for the county's review
            services.borrowing_review(
                actor=None, borrowing=borrowing, note="同意短期借用，到期返回乡镇", today=start + dt.timedelta(days=3)
            )
        if index % 4 == 3 and borrowing.until < today:
            services.borrowing_return(actor=None, borrowing=borrowing, returned_on=borrowing.until, today=today)
