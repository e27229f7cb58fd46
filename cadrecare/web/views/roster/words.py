"""The solver's quality and reasons in words a secretary reads, with what she
can change when there is no roster."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadrecare.rotation import services
from cadrecare.rotation.choices import SolverStatus
from cadrecare.web.views.roster.dates import day_label

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

#: What the secretary can change when the solver finds no roster, by the rule
#: of docs/roster-format.md it names (0: the policy as a whole). The policy itself
#: is the county's (rotation-policies: the secretary reads it).
RULE_HINTS = {
    0: gettext_lazy("请县（区）委组织部调整本乡镇的轮休政策（轮休模式、在岗要求或禁休日期）。"),
    1: gettext_lazy("核对该干部的请假、外出登记和往月召回结转的天数；必要时请县（区）委组织部调整每月休息天数。"),
    2: gettext_lazy("取消或调整固定的休息日后不保留固定重新生成；或请县（区）委组织部改用其他轮休模式。"),
    3: gettext_lazy("取消落在禁休日的固定休息日；或请县（区）委组织部缩短、取消禁休日期。"),
    4: gettext_lazy("请县（区）委组织部降低最低在岗比例（一般 0.6 左右）；或减少固定的休息日。"),
    5: gettext_lazy("错开班子成员的固定休息日和请假；或请县（区）委组织部减少最少在岗班子成员人数。"),
    6: gettext_lazy("错开同一科室干部的固定休息日，或调整科室人员；或请县（区）委组织部降低每个科室最少在岗人数。"),
    7: gettext_lazy("错开这两人的固定休息日；或请县（区）委组织部取消这一“不得同时休息”的配对。"),
    8: gettext_lazy("取消或调整这些固定的休息日，再不保留固定重新生成。"),
}


def metrics_sentences(metrics: dict[str, Any] | None, version: int | None) -> list[str]:
    """The solver's quality metrics as sentences a secretary reads (metrics v2,
    docs/roster-format.md); a version solved before v2 says it is the old measure."""
    if not metrics:
        return []
    penalty = metrics.get("preference_penalty", 0)
    wishes = (
        _("个人休息意愿全部满足")
        if not penalty
        else _("个人休息意愿未满足 %(n)d 处（身体欠佳或家庭困难的干部一处按三处计）") % {"n": penalty}
    )
    spread = f"{round(float(metrics.get('fairness_spread', 0)), 2):g}"
    fairness = _("各人（连同前几个月）月均周末和节假日休息天数，最多与最少相差 %(n)s 天") % {"n": spread}
    if version == 1:
        smoothness = metrics.get("smoothness", 0)
        smooth = _("每天休息人数最多与最少相差 %(n)d 人（旧口径，含周末和节假日）") % {"n": smoothness}
        return [_("以下为旧版质量指标（重新生成后按新版计算，并计入周末和节假日休息人次）："), wishes, fairness, smooth]
    return [
        _("周末和节假日共安排休息 %(n)d 人次") % {"n": metrics.get("desirable_rest", 0)},
        wishes,
        fairness,
        _("工作日每天休息人数最多与最少相差 %(n)d 人") % {"n": metrics.get("smoothness", 0)},
    ]


#: By a version's ``solver_status`` (a stored string, so looked up by ``str``).
SOLVER_WORDS: dict[str, StrPromise] = {
    SolverStatus.OPTIMAL: gettext_lazy("最优：在现有规则下已证明没有更好的排法。"),
    SolverStatus.FEASIBLE: gettext_lazy("可行：符合全部规则，是限定时间内找到的较好排法（未证明最优）。"),
    SolverStatus.EDITED: gettext_lazy("手工调整：在生成的排班上作过调整。"),
    SolverStatus.INFEASIBLE: gettext_lazy("无可行方案：按现行政策排不出符合全部规则的排班。"),
}


def reason_rows(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The solver's (or a failed run's) reasons with the rule named and what can be changed."""
    rows = []
    for reason in reasons:
        rule = reason.get("rule")
        rows.append(
            {
                "message": reason.get("message", ""),
                "rule": rule,
                "rule_name": services.RULE_ZH.get(rule, "") if rule else "",
                "dates": [day_label(dt.date.fromisoformat(d)) for d in reason.get("dates", [])[:10]],
                "more_dates": max(0, len(reason.get("dates", [])) - 10),
                "hint": RULE_HINTS.get(rule) if rule is not None else None,
            }
        )
    return rows
