"""Care's due items for the reminders module (its source contract,
cadrecare.reminders.sources).

- ``visit_obligation``: every open obligation falls due on its deadline and
  is chased with its owner: the holder of its post on the day
  (cadrecare.org.posts), or the person named by hand; a vacant owner sends it to the organisation
  department of the unit above the cadre's (the county for a township). A
  death's condolence visit is urgent. The title names the cadre and the
  visit, never the event.
- ``hardship_review``: every open or in-progress hardship case is reviewed
  (回访) by ``next_review``, owned by the HR officer of the cadre's unit (who
  keeps the cases), else the organisation department above. Recording a
  review moves the date on; a resolved case has none, nor has the case of a
  cadre who died or left (a retiree's is still reviewed). The title does not
  name the hardship.
- ``hardship_first_contact``: a new hardship case is first contacted (及时关心问候)
  by ``first_contact_due``, the care policy's days after opening (default 7),
  owned like its reviews; done when the contact is recorded on the case or a
  visit to the cadre on or after the opening is.
- ``treatment_follow_up`` / ``sick_leave_follow_up``: a cadre's latest
  check-up concluding 需治疗 (due a week after it), or a sick leave longer
  than the care policy's days (default 14; due the day it passes them), asks
  the unit's HR officer to decide (``care_decision_record``): a hardship case,
  a visit, or closed with a reason. The title says neither the conclusion nor
  the leave.
- ``post_allowance_chase``: a township's post allowance (岗位补贴) month past its
  due date and not paid in full, or paid short, is the county organization
  department's (the township's parent unit) until paid in full.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_noop

from cadrecare.care.choices import ACTIVE_HARDSHIP, ObligationSource, ObligationStatus
from cadrecare.care.models import HardshipCase, PostAllowance, Visit, VisitObligation
from cadrecare.care.selectors import sick_leave_crossed_on
from cadrecare.health.choices import Conclusion
from cadrecare.health.models import Checkup
from cadrecare.org import posts
from cadrecare.org.choices import CadreStatus, Role
from cadrecare.org.models import User
from cadrecare.reminders.sources import (
    api_url,
    due_columns,
    kept_by_cadre_unit_role,
    org_department_unit_ids,
    post_items_owned_within,
    register,
    role_holder_owned_within,
)
from cadrecare.rotation.choices import AbsenceKind
from cadrecare.rotation.models import Absence

# Whose care is still followed: a retiree is still helped; after a death or a departure nobody is chased.
CARED_FOR = (CadreStatus.SERVING, CadreStatus.SECONDED, CadreStatus.RETIRED)
# A check-up concluding 需治疗 is decided on within a week of the check-up.
TREATMENT_DECISION_DAYS = 7


@register(
    "visit_obligation",
    label=gettext_noop("走访慰问"),
    resource="visit-obligations",
    owned_within=post_items_owned_within("owner_id", "cadre__unit__parent_id"),
)
def visit_obligations_due(*, today: dt.date) -> QuerySet:
    return VisitObligation.objects.filter(status=ObligationStatus.OPEN).annotate(
        **due_columns(
            kind="visit_obligation",
            cadre_id="cadre_id",
            unit_id="cadre__unit_id",
            unit_path="cadre__unit__path",
            due_date="deadline",
            title=Concat("cadre__name", Value("：走访慰问")),
            url=api_url("visit-obligations"),
            owner_id=posts.owner_id("owner", today),
            owner_unit_id="cadre__unit__parent_id",
            urgent=ExpressionWrapper(Q(source=ObligationSource.DEATH), output_field=BooleanField()),
        )
    )


@register(
    "hardship_review",
    label=gettext_noop("困难帮扶回访"),
    resource="hardship-cases",
    owned_within=role_holder_owned_within(Role.HR, "cadre__unit"),
)
def hardship_reviews_due(*, today: dt.date) -> QuerySet:
    return HardshipCase.objects.filter(
        status__in=ACTIVE_HARDSHIP, next_review__isnull=False, cadre__status__in=CARED_FOR
    ).annotate(
        **kept_by_cadre_unit_role(
            Role.HR,
            kind="hardship_review",
            due_date="next_review",
            title="：困难帮扶回访",
            url=api_url("hardship-cases"),
            today=today,
        )
    )


@register("hardship_first_contact", label=gettext_noop("困难帮扶首次联系"), resource="hardship-cases")
def hardship_first_contacts_due(*, today: dt.date) -> QuerySet:
    visited = Visit.objects.filter(cadre=OuterRef("cadre"), date__gte=OuterRef("opened_on"))
    return (
        HardshipCase.objects.filter(
            status__in=ACTIVE_HARDSHIP,
            first_contact_due__isnull=False,
            first_contact_on__isnull=True,
            cadre__status__in=CARED_FOR,
        )
        .filter(~Exists(visited))
        .annotate(
            **kept_by_cadre_unit_role(
                Role.HR,
                kind="hardship_first_contact",
                due_date="first_contact_due",
                title="：困难帮扶首次联系",
                url=api_url("hardship-cases"),
                today=today,
            )
        )
    )


@register("treatment_follow_up", label=gettext_noop("体检需治疗关怀决定"), resource="care-decisions")
def treatment_follow_ups_due(*, today: dt.date) -> QuerySet:
    # Only the cadre's latest check-up asks: a later one says how they are now.
    later = Checkup.objects.filter(cadre=OuterRef("cadre"), date__gt=OuterRef("date"))
    decide_by = ExpressionWrapper(F("date") + dt.timedelta(days=TREATMENT_DECISION_DAYS), output_field=DateField())
    return (
        Checkup.objects.filter(conclusion=Conclusion.TREATMENT, care_decision__isnull=True, cadre__status__in=CARED_FOR)
        .filter(~Exists(later))
        .annotate(
            **kept_by_cadre_unit_role(
                Role.HR,
                kind="treatment_follow_up",
                due_date=decide_by,
                title="：关爱跟进决定",
                url=api_url("health-checkups"),
                today=today,
            )
        )
    )


@register("sick_leave_follow_up", label=gettext_noop("长期病假关怀决定"), resource="care-decisions")
def sick_leave_follow_ups_due(*, today: dt.date) -> QuerySet:
    return (
        Absence.objects.filter(kind=AbsenceKind.SICK_LEAVE, care_decision__isnull=True, cadre__status__in=CARED_FOR)
        .annotate(crossed_on=sick_leave_crossed_on("cadre__unit__path", "start"))
        .filter(end__gte=F("crossed_on"))
        .annotate(
            **kept_by_cadre_unit_role(
                Role.HR,
                kind="sick_leave_follow_up",
                due_date="crossed_on",
                title="：关爱跟进决定",
                url=api_url("absences"),
                today=today,
            )
        )
    )


def _county_allowances(user: User) -> Q | None:
    """The allowances a user owns: those of townships under a county whose organization department they act for."""
    units = org_department_unit_ids(user)
    return Q(township__parent_id__in=units) if units else None


@register(
    "post_allowance_chase",
    label=gettext_noop("岗位补贴未按时足额发放"),
    resource="post-allowances",
    owned_within=_county_allowances,
)
def post_allowances_due(*, today: dt.date) -> QuerySet:
    # Late (past its date, not paid in full) or short (paid, less than due): the county chases it until paid.
    return PostAllowance.objects.filter(
        Q(paid_amount__lt=F("due_amount")) & (Q(due_by__lt=today) | Q(paid_on__isnull=False))
    ).annotate(
        **due_columns(
            kind="post_allowance_chase",
            cadre_id=None,
            unit_id="township_id",
            unit_path="township__path",
            due_date="due_by",
            title=Concat("township__name", Value("：岗位补贴未按时足额发放")),
            url=api_url("post-allowances"),
            owner_id=None,
            owner_unit_id="township__parent_id",
        )
    )
