"""The hospital's list of check-up results, through the one import machinery
(``cadrecare.core.imports``): a row per cadre and check-up, matched to a
stored check-up by cadre, date and kind. Imported for a campaign
(``campaign=<id>``), each row's cadre must be on its list and is marked as
attended with the check-up; ``close=1`` then closes the campaign, marking
whoever is still pending as absent."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cadrecare.core import clock
from cadrecare.core.errors import ConflictError, DomainError
from cadrecare.core.imports import (
    Column,
    Importer,
    ImportPlan,
    Planned,
    Row,
    RowErrors,
    against,
    choice,
    field_problems,
    labels,
    parse_bool,
    parse_date,
    parse_decimal,
    required,
    text,
)
from cadrecare.health.choices import AttendanceStatus, CampaignStatus, CheckupKind, Conclusion
from cadrecare.health.models import CampaignAttendee, Checkup, CheckupCampaign
from cadrecare.health.rules import checkup_problems
from cadrecare.health.selectors import effective_policies
from cadrecare.health.services import campaign_close, paying_unit_id
from cadrecare.org.access import CHANGE
from cadrecare.org.imports import CadreMatcher, cadre_columns
from cadrecare.org.scoping import scoped


class CheckupImporter(Importer[Checkup]):
    resource = "health-checkups"
    title = "体检结果"
    columns = (
        *cadre_columns(),
        Column("date", "体检日期", "2024-05-20", required=True, parse=required(parse_date)),
        Column("institution", "体检机构", "县人民医院", note="为体检活动导入时不填即活动的体检机构", parse=text),
        Column(
            "kind", "体检类型", "年度体检", note=labels(CheckupKind) + "；不填为年度体检", parse=choice(CheckupKind)
        ),
        Column(
            "conclusion",
            "总体结论",
            "基本健康",
            required=True,
            note=labels(Conclusion),
            parse=required(choice(Conclusion)),
        ),
        Column("findings", "体检发现", "血脂偏高", parse=text),
        Column("follow_up_needed", "需要复查", "否", note="是或否；是则填写复查期限", parse=parse_bool),
        Column("follow_up_by", "复查期限", "", parse=parse_date),
        Column("cost", "费用（元）", "600", parse=parse_decimal),
    )
    preview = ("cadre_name", "date", "institution", "conclusion")

    def plan(self, rows: list[Row], errors: RowErrors) -> list[Planned[Checkup]]:
        campaign = self._campaign()
        matcher = CadreMatcher(user=self.user, resource=self.resource, rows=rows)
        cadres = matcher.cadres
        policies = effective_policies({cadre.unit for cadre in cadres})
        self.attendees: dict[int, CampaignAttendee] = (
            {a.cadre_id: a for a in CampaignAttendee.objects.filter(campaign=campaign)} if campaign else {}
        )
        stored = {(c.cadre_id, c.date, c.kind): c for c in Checkup.objects.filter(cadre__in=cadres)}
        today = clock.today()
        planned: list[Planned[Checkup]] = []
        seen: dict[tuple[int, Any, str], int] = {}
        for row, cadre, values in matcher.matched(rows, self.parsers, errors):
            values["kind"] = values.get("kind") or CheckupKind.ANNUAL
            if campaign is not None:
                values["institution"] = values.get("institution") or campaign.institution
            values.setdefault("cost", None)
            if values["cost"] is None:
                values.pop("cost")
            key = (cadre.pk, values["date"], values["kind"])
            if key in seen:
                errors.add(row.number, "date", _("与第 %(seen)s 行是同一人同一天的同类体检。") % {"seen": seen[key]})
                continue
            seen[key] = row.number
            checkup, outcome, changed = against(
                stored.get(key),
                values,
                Checkup(
                    cadre=cadre,
                    campaign=campaign,
                    recorded_by=self.user,
                    paying_unit_id=paying_unit_id(cadre, policies[cadre.unit_id]),
                    **values,
                ),
            )
            problems = checkup_problems(
                date=checkup.date,
                cost=checkup.cost,
                follow_up_needed=checkup.follow_up_needed,
                follow_up_by=checkup.follow_up_by,
                today=today,
            )
            for name, message in [*field_problems(checkup, exclude=["attachment"]).items(), *problems]:
                errors.add(row.number, name, message)
            if campaign is not None:
                self._check_attendee(row, campaign, checkup, errors)
            planned.append(Planned(row.number, outcome, checkup, changed, self.shown(row, cadre_name=cadre.name)))
        self.campaign = campaign
        return planned

    def save(self, plan: ImportPlan[Checkup]) -> None:
        super().save(plan)
        if self.campaign is None:
            return
        now = timezone.now()
        attended = []
        for row in plan.rows:
            attendee = self.attendees[row.record.cadre_id]
            if attendee.checkup_id is None:
                attendee.checkup, attendee.status, attendee.reason = row.record, AttendanceStatus.ATTENDED, ""
                attendee.recorded_by, attendee.recorded_at = self.user, now
                attended.append(attendee)
        CampaignAttendee.objects.bulk_update(
            attended, ["checkup", "status", "reason", "recorded_by", "recorded_at"], batch_size=1000
        )
        if self.options.get("close") in ("1", "true"):
            campaign_close(actor=self.user, campaign=self.campaign, request=self.request)

    def _campaign(self) -> CheckupCampaign | None:
        raw = self.options.get("campaign")
        if not raw:
            return None
        campaigns = scoped(CheckupCampaign.objects.all(), self.user, "checkup-campaigns", CHANGE)
        campaign = campaigns.filter(pk=int(raw)).first() if str(raw).isdigit() and len(str(raw)) < 19 else None
        if campaign is None:
            raise DomainError(_("找不到该体检活动，或不在您的管理范围内。"), field="campaign")
        if campaign.status == CampaignStatus.CLOSED:
            raise ConflictError(_("体检活动已结束，不能再登记。"), field="campaign")
        return campaign

    def _check_attendee(self, row: Row, campaign: CheckupCampaign, checkup: Checkup, errors: RowErrors) -> None:
        attendee = self.attendees.get(checkup.cadre_id)
        if attendee is None:
            errors.add(row.number, "cadre_name", _("该干部不在本次体检名单中。"))
        elif attendee.checkup_id is not None and attendee.checkup_id != checkup.pk:
            errors.add(row.number, "cadre_name", _("该干部已登记本次体检，如需更正请修改体检记录。"))
        if not campaign.date_from <= checkup.date <= campaign.date_to:
            errors.add(
                row.number,
                "date",
                _("体检日期应在体检活动期间内（%(date_from)s至%(date_to)s）。")
                % {"date_from": campaign.date_from, "date_to": campaign.date_to},
            )
