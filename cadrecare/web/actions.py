"""Where each kind of due item (and its notices) is acted on in the workbench:
the one mapping from a due-item kind (``cadrecare.reminders.sources``) to the
URL name of the page that acts on it, called with ``pk=<the item's object id>``
(or, for the notices that tell a cadre of an outcome, their own page, which
takes no id: it lists all of theirs).

Page builders fill in their page under the URL name given here (or change the
entry to their own). Until a page exists, or when the user's roles do not let
them open it, the item is shown without a link, never with one to a 404 or 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import NoReverseMatch, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ItemAction:
    url_name: str  # called with pk=<object id of the due item>, unless not per_object
    label: Promise | str  # the verb on the button
    per_object: bool = True  # False: the user's own page (我的…), which lists every such record of theirs


ACTIONS: dict[str, ItemAction] = {
    # object: the draft Roster
    "roster_publish": ItemAction("web:roster-detail", _("查看并发布排班")),
    # object: the first valid draft of the month (notice to whoever may publish it)
    "roster_draft_ready": ItemAction("web:roster-detail", _("审核排班草稿")),
    # object: the Roster whose month the State Council's notice changed (notice to the secretary)
    "roster_calendar_changed": ItemAction("web:roster-detail", _("查看排班")),
    # object: the SwapRequest both cadres agreed to (notice to whoever may approve)
    "swap_request_approval": ItemAction("web:swap-request", _("审批换休申请")),
    # object: the MissedRest an absence made of published rest days (notice to the secretary and the cadre)
    "rest_missed": ItemAction("web:missed-rest", _("核实是否已休")),
    # object: the RestConfirmation a cadre corrected (their item for the secretary, and its notice)
    "rest_correction": ItemAction("web:rest-correction", _("答复休息更正")),
    "rest_corrected": ItemAction("web:rest-correction", _("答复休息更正")),
    # object: the TalkTrigger; the form is prefilled from it
    "talk_trigger": ItemAction("web:talk-trigger-record", _("记录谈话")),
    "confidential_talk_trigger": ItemAction("web:talk-trigger-record", _("记录谈话")),
    # object: the Cadre whose regular talk is due
    "regular_talk": ItemAction("web:regular-talk-record", _("记录谈话")),
    # object: the TalkFollowUp
    "talk_follow_up": ItemAction("web:talk-follow-up", _("办理跟进事项")),
    # object: the InterviewItem
    "interview": ItemAction("web:interview-item", _("记录约谈")),
    # object: the Cadre due a check-up
    "checkup": ItemAction("web:checkup-record", _("登记体检")),
    # object: the Checkup that asked for a recheck
    "checkup_recheck": ItemAction("web:checkup-recheck", _("登记复查")),
    # object: the VisitObligation
    "visit_obligation": ItemAction("web:visit-record", _("记录走访")),
    # object: the TransferDecision of a yearly exchange review
    "transfer_decision": ItemAction("web:transfer-decision", _("研判交流人选")),
    # object: the township behind on its county's interview plan
    "interview_plan": ItemAction("web:interview-township", _("查看约谈进度")),
    # object: the township not visited this period
    "field_visit": ItemAction("web:field-visit-township", _("登记下基层")),
    # object: the HardshipCase
    "hardship_review": ItemAction("web:hardship-review", _("记录回访")),
    # object: the Borrowing (the county organization department reviews it, or records the return)
    "establishment_borrowing": ItemAction("web:borrowing", _("办理借用")),
    "hardship_first_contact": ItemAction("web:hardship-first-contact", _("记录首次联系")),
    # object: the Checkup concluding 需治疗 / the sick-leave Absence; the form names it
    "treatment_follow_up": ItemAction("web:care-decision-checkup", _("作出关怀决定")),
    "sick_leave_follow_up": ItemAction("web:care-decision-leave", _("作出关怀决定")),
    # object: the PostAllowance month late or short
    "post_allowance_chase": ItemAction("web:post-allowance-pay", _("登记补贴发放")),
    # object: the SelfReport / FamilyMemberChange a cadre submitted (and its notice to HR and the secretary)
    "self_report": ItemAction("web:self-report", _("确认报告")),
    "family_member_change": ItemAction("web:family-change", _("确认家属信息变更")),
    # object: the HeartMessage (the addressee's item and notice)
    "heart_message": ItemAction("web:message", _("回复心里话")),
    # Told to the cadre, whose own page shows it among all of theirs: a colleague's swap request to
    # answer (申请换休 holds the accept and decline buttons), and outcomes.
    "swap_request": ItemAction("web:my-swap", _("答复换休请求"), per_object=False),
    "swap_request_outcome": ItemAction("web:my-swap", _("查看换休申请"), per_object=False),
    "roster_published": ItemAction("web:my-rest", _("查看我的休息日"), per_object=False),
    "roster_amended": ItemAction("web:my-rest", _("查看我的休息日"), per_object=False),
    "self_report_decided": ItemAction("web:my-report", _("查看我的报告"), per_object=False),
    "family_member_change_decided": ItemAction("web:my-family", _("查看家庭信息"), per_object=False),
    "heart_message_answered": ItemAction("web:my-messages", _("查看回复"), per_object=False),
    # object: the Secondment whose term ends (the home unit's organization department decides)
    "secondment_decision": ItemAction("web:secondment", _("作出期满决定")),
}


def _kwargs(action: ItemAction, object_id: int) -> dict[str, int]:
    return {"pk": object_id} if action.per_object else {}


@cache
def _page(action: ItemAction) -> Any:
    """The view class behind the action's page (None when no such page exists yet)."""
    try:
        path = reverse(action.url_name, kwargs=_kwargs(action, 1))
    except NoReverseMatch:
        return None
    return getattr(resolve(path).func, "view_class", None)


def action_for(user: Any, kind: str, object_id: int) -> dict[str, Any] | None:
    """The link and verb acting on one item for ``user``, or None: no page yet,
    or a page the user's roles do not open."""
    action = ACTIONS.get(kind)
    if action is None:
        return None
    view_class = _page(action)
    if view_class is None or not view_class.allowed(user):
        return None
    return {"url": reverse(action.url_name, kwargs=_kwargs(action, object_id)), "label": action.label}
