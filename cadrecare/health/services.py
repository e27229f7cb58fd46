"""Writes on health records: check-ups, unit policies and campaigns.

Every function is keyword-only, owns its transaction and takes the acting
user; it checks that the record's unit is in the actor's scope and writes the
write's one audit row (``request``, when given, names the request in it), so
the API, the workbench and the imports share one write path; dates are judged
against ``today`` (default: Asia/Shanghai today) so tests control the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cadrecare.audit.services import audit_change, changed_fields, written
from cadrecare.core import clock
from cadrecare.core.errors import ConflictError, DomainError, ForbiddenError
from cadrecare.health.choices import AttendanceStatus, CampaignStatus, CheckupKind, Payer
from cadrecare.health.models import CampaignAttendee, Checkup, CheckupCampaign, CheckupPolicy
from cadrecare.health.rules import CheckupPolicyInForce, attachment_problem, checkup_problems, reminder_days_problem
from cadrecare.health.selectors import checkup_due_items, effective_policy
from cadrecare.org.access import ADD, CHANGE
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.org.scoping import may_for_cadre, require_placement

MAX_CAMPAIGN_DAYS = 366


def _refuse(problems: Sequence[tuple[str, str]]) -> None:
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field, errors=[{"field": f, "message": m} for f, m in problems])


def _check_attachment(upload: File) -> None:
    head = upload.read(16)
    upload.seek(0)
    problem = attachment_problem(upload.name or "", upload.size or 0, head)
    if problem:
        raise DomainError(problem, field="attachment")


def paying_unit_id(cadre: Cadre, policy: CheckupPolicyInForce) -> int:
    """Seed 三(二): the check-up is paid by the cadre's unit (or, by policy, the unit holding their post)."""
    return cadre.establishment_unit_id if policy.payer == Payer.ESTABLISHMENT_UNIT else cadre.unit_id


# ---------------------------------------------------------------------------
# Check-ups
# ---------------------------------------------------------------------------


@transaction.atomic
def checkup_record(
    *,
    actor: User | None,
    cadre: Cadre,
    date: dt.date,
    institution: str,
    conclusion: str,
    kind: str = CheckupKind.ANNUAL,
    cost: Decimal = Decimal(0),
    paying_unit: OrgUnit | None = None,
    findings: str = "",
    follow_up_needed: bool = False,
    follow_up_by: dt.date | None = None,
    attachment: File | None = None,
    campaign: CheckupCampaign | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Checkup:
    """Record a cadre's check-up: not in the future, cost not negative, a
    recheck deadline after the check-up; paid by the unit the policy names
    unless another is given. The same cadre, day and kind twice is a conflict.
    Audited with the fields given a value."""
    given = {
        "cadre": cadre,
        "date": date,
        "institution": institution,
        "conclusion": conclusion,
        "kind": kind,
        "cost": cost,
        "paying_unit": paying_unit,
        "findings": findings,
        "follow_up_needed": follow_up_needed,
        "follow_up_by": follow_up_by,
        "attachment": attachment,
        "campaign": campaign,
    }
    # Placed first, so a refused upload never reaches the disk.
    require_placement(actor, "health-checkups", ADD, cadre.unit, field="cadre")
    today = today or clock.today()
    _refuse(
        checkup_problems(
            date=date, cost=cost, follow_up_needed=follow_up_needed, follow_up_by=follow_up_by, today=today
        )
    )
    if attachment is not None:
        _check_attachment(attachment)
    if Checkup.objects.filter(cadre=cadre, date=date, kind=kind).exists():
        raise ConflictError(_("该干部在该日期已有同类体检记录。"), field="date")
    checkup = Checkup(
        cadre=cadre,
        date=date,
        institution=institution,
        kind=kind,
        cost=cost,
        paying_unit_id=paying_unit.pk if paying_unit else paying_unit_id(cadre, effective_policy(cadre.unit)),
        conclusion=conclusion,
        findings=findings,
        follow_up_needed=follow_up_needed,
        follow_up_by=follow_up_by,
        campaign=campaign,
        recorded_by=actor,
    )
    if attachment is not None:
        checkup.attachment = attachment
        checkup.attachment_name = (attachment.name or "")[-200:]
    checkup.save()
    fields = [name for name, value in given.items() if value is not None]
    audit_change(
        actor=actor, action="create", resource="health-checkups", record=checkup, fields=fields, request=request
    )
    return checkup


UPDATABLE = (
    "date",
    "institution",
    "kind",
    "cost",
    "paying_unit",
    "conclusion",
    "findings",
    "follow_up_needed",
    "follow_up_by",
)


@transaction.atomic
def checkup_update(
    *,
    actor: User | None,
    checkup: Checkup,
    changes: dict[str, Any],
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Checkup:
    """Correct a check-up under the same rules as recording it; an attachment
    of None removes the report file (deleted once the change is committed).
    Its cadre stays; audited with the fields it changed."""
    today = today or clock.today()
    checkup = Checkup.objects.select_for_update().select_related("cadre__unit").get(pk=checkup.pk)
    before = {name: getattr(checkup, name) for name in (*UPDATABLE, "attachment") if name in changes}
    for name in UPDATABLE:
        if name in changes:
            setattr(checkup, name, changes[name])
    _refuse(
        checkup_problems(
            date=checkup.date,
            cost=checkup.cost,
            follow_up_needed=checkup.follow_up_needed,
            follow_up_by=checkup.follow_up_by,
            today=today,
        )
    )
    duplicate = Checkup.objects.filter(cadre=checkup.cadre_id, date=checkup.date, kind=checkup.kind)
    if duplicate.exclude(pk=checkup.pk).exists():
        raise ConflictError(_("该干部在该日期已有同类体检记录。"), field="date")
    old_file = checkup.attachment.name if checkup.attachment else ""
    if "attachment" in changes:
        upload = changes["attachment"]
        if upload is not None:
            _check_attachment(upload)
            checkup.attachment = upload
            checkup.attachment_name = (upload.name or "")[-200:]
        else:
            checkup.attachment = None
            checkup.attachment_name = ""
    checkup.save()
    written(actor, request, "update", "health-checkups", checkup, changed_fields(checkup, before))
    if old_file and checkup.attachment.name != old_file:
        storage = checkup.attachment.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return checkup


# ---------------------------------------------------------------------------
# Policies
# ---------------------------------------------------------------------------


@transaction.atomic
def checkup_policy_save(
    *,
    actor: User | None,
    unit: OrgUnit,
    policy: CheckupPolicy | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> CheckupPolicy:
    """Set a unit's own check-up policy (``policy`` None: a new one; it then
    applies to its whole subtree down to the next unit with a policy of its own)."""
    if "reminder_days" in fields:
        problem = reminder_days_problem(fields["reminder_days"])
        if problem:
            raise DomainError(problem, field="reminder_days")
        fields["reminder_days"] = sorted(fields["reminder_days"], reverse=True)
    if policy is None:
        if CheckupPolicy.objects.filter(unit=unit).exists():
            raise ConflictError(_("该单位已有体检政策，请直接修改。"), field="unit")
        policy = CheckupPolicy(unit=unit)
    elif unit.pk != policy.unit_id:
        raise DomainError(_("体检政策所属单位不能修改。"), field="unit")
    created = policy.pk is None
    before = {name: getattr(policy, name, None) for name in fields}
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.updated_by = actor
    policy.save()
    changed = sorted(["unit", *fields]) if created else changed_fields(policy, before)
    written(actor, request, "create" if created else "update", "checkup-policies", policy, changed)
    return policy


@transaction.atomic
def checkup_policy_delete(*, actor: User | None, policy: CheckupPolicy, request: HttpRequest | None = None) -> None:
    """Remove a unit's own policy: the unit follows its parent's again."""
    written(actor, request, "delete", "checkup-policies", policy)  # first: the row names it while it exists
    policy.delete()


# ---------------------------------------------------------------------------
# Campaigns
# ---------------------------------------------------------------------------


@transaction.atomic
def campaign_plan(
    *,
    actor: User | None,
    unit: OrgUnit,
    name: str,
    date_from: dt.date,
    date_to: dt.date,
    institution: str,
    note: str = "",
    cadres: Iterable[Cadre] | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> CheckupCampaign:
    """Plan a check-up campaign for ``unit`` and its subtree. Its list is the
    cadres given, or, when none are, every cadre in post there whose check-up
    falls due by the campaign's last day (checkup_due_items)."""
    # Placed first: who is due in a unit outside the actor's scope is not theirs to learn.
    require_placement(actor, "checkup-campaigns", ADD, unit, field="unit")
    today = today or clock.today()
    if date_to < date_from:
        raise DomainError(_("结束日期不能早于开始日期。"), field="date_to")
    if (date_to - date_from).days >= MAX_CAMPAIGN_DAYS:
        raise DomainError(_("体检活动时间跨度不能超过一年。"), field="date_to")
    due = checkup_due_items(units_q=Q(path__startswith=unit.path), today=today)
    if cadres is None:
        chosen = list(due.filter(due_date__lte=date_to))
        if not chosen:
            raise DomainError(_("截至结束日期没有应检干部，请直接指定名单。"), field="cadres")
    else:
        listed = list({cadre.pk: cadre for cadre in cadres}.values())
        if not listed:
            raise DomainError(_("请至少指定一名干部。"), field="cadres")
        chosen = list(due.filter(pk__in=[cadre.pk for cadre in listed]))
        found = {cadre.pk for cadre in chosen}
        outside = [cadre.name for cadre in listed if cadre.pk not in found]
        if outside:
            raise DomainError(
                _("以下干部不在该单位或已不在岗：%(items)s。") % {"items": _("、").join(outside)}, field="cadres"
            )
    campaign = CheckupCampaign.objects.create(
        unit=unit, name=name, date_from=date_from, date_to=date_to, institution=institution, note=note, created_by=actor
    )
    CampaignAttendee.objects.bulk_create(
        CampaignAttendee(campaign=campaign, cadre=cadre, due_date=cadre.due_date) for cadre in chosen
    )
    fields = ["unit", "name", "date_from", "date_to", "institution", "note"] + (
        ["cadres"] if cadres is not None else []
    )
    audit_change(
        actor=actor, action="create", resource="checkup-campaigns", record=campaign, fields=fields, request=request
    )
    return campaign


@transaction.atomic
def campaign_update(
    *, actor: User | None, campaign: CheckupCampaign, changes: dict[str, Any], request: HttpRequest | None = None
) -> CheckupCampaign:
    """Change a campaign's name, dates, institution or note while it runs."""
    campaign = CheckupCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == CampaignStatus.CLOSED:
        raise ConflictError(_("体检活动已结束，不能修改。"), field=None)
    names = [name for name in ("name", "date_from", "date_to", "institution", "note") if name in changes]
    before = {name: getattr(campaign, name) for name in names}
    for name in names:
        setattr(campaign, name, changes[name])
    if campaign.date_to < campaign.date_from:
        raise DomainError(_("结束日期不能早于开始日期。"), field="date_to")
    if (campaign.date_to - campaign.date_from).days >= MAX_CAMPAIGN_DAYS:
        raise DomainError(_("体检活动时间跨度不能超过一年。"), field="date_to")
    attended = campaign.checkups.filter(Q(date__lt=campaign.date_from) | Q(date__gt=campaign.date_to))
    if attended.exists():
        raise DomainError(_("已登记的体检日期不在新的活动期间内。"), field="date_from")
    campaign.save()
    written(actor, request, "update", "checkup-campaigns", campaign, changed_fields(campaign, before))
    return campaign


@transaction.atomic
def campaign_attendance_record(
    *,
    actor: User | None,
    campaign: CheckupCampaign,
    cadre: Cadre,
    status: str,
    reason: str = "",
    checkup: dict[str, Any] | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> CampaignAttendee:
    """Record whether a listed cadre came. Attending creates their check-up
    through checkup_record (dated within the campaign, audited there), which
    moves the cadre's next due date on and so closes their due item; excused
    needs a reason. Audited as a change of the campaign's attendees. Marking
    someone attended writes a check-up about them: refused (403) to an actor
    whose role may not record one for that cadre, before anything else."""
    if (
        actor is not None
        and status == AttendanceStatus.ATTENDED
        and not may_for_cadre(actor, "health-checkups", ADD, cadre)
    ):
        raise ForbiddenError(_("您的角色无权为该干部登记体检记录。"), field="cadre")
    today = today or clock.today()
    campaign = CheckupCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == CampaignStatus.CLOSED:
        raise ConflictError(_("体检活动已结束，不能再登记。"), field=None)
    attendee = (
        CampaignAttendee.objects.select_for_update()
        .select_related("cadre__unit", "cadre__establishment_unit")
        .filter(campaign=campaign, cadre=cadre)
        .first()
    )
    if attendee is None:
        raise DomainError(_("该干部不在本次体检名单中。"), field="cadre")
    if attendee.checkup_id is not None:
        raise ConflictError(_("该干部已登记本次体检，如需更正请修改体检记录。"), field="cadre")
    if status == AttendanceStatus.EXCUSED and not reason.strip():
        raise DomainError(_("请说明请假原因。"), field="reason")
    if status == AttendanceStatus.ATTENDED:
        data = dict(checkup or {})
        if not data.get("date") or not data.get("conclusion"):
            raise DomainError(_("已体检时请填写体检日期和总体结论。"), field="checkup")
        if not campaign.date_from <= data["date"] <= campaign.date_to:
            raise DomainError(_("体检日期应在体检活动期间内。"), field="checkup.date")
        data.setdefault("institution", "")
        data["institution"] = data["institution"] or campaign.institution
        attendee.checkup = checkup_record(
            actor=actor, cadre=attendee.cadre, campaign=campaign, today=today, request=request, **data
        )
        reason = ""
    elif status not in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED):
        raise DomainError(_("登记状态只能是已体检、缺检或请假。"), field="status")
    attendee.status = status
    attendee.reason = reason if status == AttendanceStatus.EXCUSED else ""
    attendee.recorded_by = actor
    attendee.recorded_at = timezone.now()
    attendee.save()
    written(actor, request, "update", "checkup-campaigns", campaign, ["attendees"])
    return attendee


@dataclass(frozen=True)
class CampaignReport:
    campaign: CheckupCampaign
    counts: dict[str, int]
    not_attended: list[CampaignAttendee]


@transaction.atomic
def campaign_close(
    *, actor: User | None, campaign: CheckupCampaign, request: HttpRequest | None = None
) -> CampaignReport:
    """Close a campaign: whoever is still pending is marked absent, and the
    report names everyone who did not attend. Closing a closed campaign
    reports the same and writes nothing, so it is not audited (only placed:
    the report is no one's outside the campaign's scope)."""
    campaign = CheckupCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == CampaignStatus.CLOSED:
        require_placement(actor, "checkup-campaigns", CHANGE, campaign, field="unit")
    else:
        campaign.attendees.filter(status=AttendanceStatus.PENDING).update(
            status=AttendanceStatus.ABSENT, recorded_by=actor, recorded_at=timezone.now()
        )
        campaign.status = CampaignStatus.CLOSED
        campaign.closed_by = actor
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["status", "closed_by", "closed_at"])
        written(actor, request, "update", "checkup-campaigns", campaign, ["status"])
    attendees = list(campaign.attendees.select_related("cadre__unit", "campaign__unit").order_by("cadre__name"))
    counts = {status: sum(1 for a in attendees if a.status == status) for status in AttendanceStatus.values}
    return CampaignReport(campaign, counts, [a for a in attendees if a.status != AttendanceStatus.ATTENDED])
