"""Reports of a family event or a difficulty (我要报告)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cadrecare.audit.services import audit_change
from cadrecare.care import services as care
from cadrecare.care.choices import FamilyEventKind
from cadrecare.care.models import FamilyMember
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.org.choices import Role
from cadrecare.org.models import User
from cadrecare.selfservice.choices import Decision, ReportKind
from cadrecare.selfservice.models import SelfReport
from cadrecare.selfservice.services.common import (
    CONFIRM_DAYS,
    _decide_check,
    _decided,
    _may_record,
    _own_cadre,
    _rejected,
    _tell,
    _tell_outcome,
    _unit_role_users,
)


@transaction.atomic
def self_report_submit(
    *,
    actor: User,
    kind: str,
    date: dt.date,
    event_kind: str = "",
    hardship_category: str = "",
    family_member: FamilyMember | None = None,
    description: str = "",
    request: HttpRequest | None = None,
    today: dt.date | None = None,
) -> SelfReport:
    """A cadre reports a family event or a difficulty of their own; HR and the
    party secretary of their unit are told at once, and HR owns the item to
    confirm (``self_report`` due item)."""
    today = today or clock.today()
    cadre = _own_cadre(actor)
    if date > today:
        raise DomainError(_("发生日期不能晚于今天。"), field="date")
    if kind == ReportKind.FAMILY_EVENT:
        if not event_kind:
            raise DomainError(_("请选择变故类型。"), field="event_kind")
        hardship_category = ""
    else:
        if not hardship_category:
            raise DomainError(_("请选择困难类别。"), field="hardship_category")
        event_kind, family_member = "", None
    if family_member is not None and family_member.cadre_id != cadre.pk:
        raise DomainError(_("所选家属不是您的家属。"), field="family_member")
    if not description.strip():
        raise DomainError(_("请简要说明情况。"), field="description")
    report = SelfReport.objects.create(
        cadre=cadre,
        kind=kind,
        event_kind=event_kind,
        hardship_category=hardship_category,
        family_member=family_member,
        date=date,
        description=description.strip(),
        confirm_by=today + dt.timedelta(days=CONFIRM_DAYS),
        created_by=actor,
    )
    audit_change(
        actor=actor,
        action="create",
        resource="self-reports",
        record=report,
        fields=["kind", "date", "description"],
        request=request,
    )
    _tell(
        kind="self_report",
        record=report,
        cadre=cadre,
        users=_unit_role_users(cadre.unit_id, (Role.HR, Role.SECRETARY)),
        title=f"{cadre.name}：本人报告待确认",
        body=f"{cadre.name}报告了{report.get_kind_display()}，请登录系统查看并确认。",
        url=f"/api/v1/self-reports/{report.pk}/",
        urgent=event_kind == FamilyEventKind.DEATH,
    )
    return report


@transaction.atomic
def self_report_confirm(
    *, actor: User, report: SelfReport, request: HttpRequest | None = None, today: dt.date | None = None
) -> tuple[SelfReport, bool]:
    """Confirm a report: it becomes the family event (its must-visit and
    must-talk raised by ``care.services.family_event_record``) or the hardship
    case (its reviews by ``care.services.hardship_case_create``). Exactly once:
    the report is locked, and one confirmed already is returned unchanged
    (``created`` False). A difficulty becomes a hardship case only by someone
    who may open one (HR, the organization department)."""
    today = today or clock.today()
    report = (
        SelfReport.objects.select_for_update(of=("self",))
        .select_related("cadre__unit", "family_member")
        .get(pk=report.pk)
    )
    _decide_check(actor, "self-reports", "confirm", report.cadre)
    _may_record(actor, report)
    if report.status == Decision.CONFIRMED:
        return report, False
    if report.status == Decision.REJECTED:
        raise DomainError(_("该报告已标为未采纳，不能再确认。"), field="status")
    if report.kind == ReportKind.FAMILY_EVENT:
        event, _created = care.family_event_record(
            actor=actor,
            cadre=report.cadre,
            kind=report.event_kind,
            date=report.date,
            family_member=report.family_member,
            description=report.description,
            today=today,
            request=request,
        )
        report.family_event = event
        report.save(update_fields=["family_event"])
    else:
        case = care.hardship_case_create(
            actor=actor,
            cadre=report.cadre,
            category=report.hardship_category,
            description=report.description,
            today=today,
            request=request,
        )
        report.hardship_case = case
        report.save(update_fields=["hardship_case"])
    _decided(report, actor, Decision.CONFIRMED)
    audit_change(
        actor=actor, action="update", resource="self-reports", record=report, fields=["status"], request=request
    )
    _tell_outcome(
        kind="self_report_decided",
        record=report,
        resource="self-reports",
        title="您的报告已确认",
        body="组织上已确认您报告的情况，将按规定走访慰问或帮扶。",
    )
    return report, True


@transaction.atomic
def self_report_reject(
    *, actor: User, report: SelfReport, reason: str, request: HttpRequest | None = None
) -> SelfReport:
    """Not take up a report, with the reason the cadre is told; nothing is raised."""
    report = SelfReport.objects.select_for_update(of=("self",)).select_related("cadre__unit").get(pk=report.pk)
    _decide_check(actor, "self-reports", "reject", report.cadre)
    _may_record(actor, report)
    if report.status != Decision.PENDING:
        raise DomainError(
            _("该报告已%(status)s，不能再处理。") % {"status": choice_label(report.get_status_display())},
            field="status",
        )
    _rejected(
        report,
        actor=actor,
        reason=reason,
        resource="self-reports",
        kind="self_report_decided",
        title="您的报告未被采纳",
        body="您报告的情况未被采纳，理由请登录系统查看。",
        request=request,
    )
    return report
