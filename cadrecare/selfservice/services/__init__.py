"""Writes of cadre self-service: a cadre reports a family event or a
difficulty of their own, proposes changes to their family information and
writes 心里话; HR (and, for family events, the party secretary) confirms or
rejects; the addressee answers.

Each function is keyword-only, owns its transaction, checks who may act
(the signed-in person's own cadre record, or the access table for the
cadre concerned) and writes its audit row with the change. A confirmed report
or change is applied through the care services, so the obligations they raise
are the ones any family event or hardship case raises; the report's row lock
and its one-to-one link to what it became make a second or concurrent
confirmation raise nothing.

One module per concern: reports (我要报告), family information, 心里话; what they
share (who is told, who may decide) in ``common``. Import from here.
"""

from cadrecare.selfservice.services.common import CONFIRM_DAYS, DATE_FIELDS, MEMBER_FIELDS
from cadrecare.selfservice.services.family import (
    family_member_change_confirm,
    family_member_change_propose,
    family_member_change_reject,
)
from cadrecare.selfservice.services.messages import heart_message_answer, heart_message_send
from cadrecare.selfservice.services.reports import self_report_confirm, self_report_reject, self_report_submit

__all__ = [
    "CONFIRM_DAYS",
    "DATE_FIELDS",
    "MEMBER_FIELDS",
    "family_member_change_confirm",
    "family_member_change_propose",
    "family_member_change_reject",
    "heart_message_answer",
    "heart_message_send",
    "self_report_confirm",
    "self_report_reject",
    "self_report_submit",
]
