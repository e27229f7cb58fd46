"""Two rosters' quality metrics compared, in the order roster-problem.md ranks them."""

from __future__ import annotations

from collections.abc import Sequence

from ..problem import Metrics
from .facts import HIGHER_IS_BETTER, METRIC_NAMES, MetricChange, Note, Verdict
from .words import _num


def metric_changes(before: Metrics, after: Metrics) -> tuple[MetricChange, ...]:
    """Each metric before and after, in order of importance."""
    changes = []
    for name in METRIC_NAMES:
        old, new = getattr(before, name), getattr(after, name)
        gain = (new - old) if name in HIGHER_IS_BETTER else (old - new)
        verdict: Verdict = "better" if gain > 0 else "worse" if gain < 0 else "same"
        changes.append(MetricChange(name, old, new, verdict))
    return tuple(changes)


def overall(changes: Sequence[MetricChange]) -> Verdict:
    """Better or worse as roster-problem.md compares rosters: on the first metric that differs."""
    return next((c.verdict for c in changes if c.verdict != "same"), "same")


def change_note(changes: Sequence[MetricChange]) -> Note:
    """What an edit did to the quality metrics, in one sentence."""
    moved = [c for c in changes if c.verdict != "same"]
    if not moved:
        return Note("metrics", "调整前后各项质量指标都没有变化。", "Every quality metric is as it was.")
    zh_parts = [
        f"{METRIC_NAMES[c.name][0]}由 {_num(c.before)} 变为 {_num(c.after)}"
        f"（{'变好' if c.verdict == 'better' else '变差'}）"
        for c in moved
    ]
    en_parts = [f"{METRIC_NAMES[c.name][1]} from {_num(c.before)} to {_num(c.after)} ({c.verdict})" for c in moved]
    head_zh, head_en = ("变好", "better") if overall(changes) == "better" else ("变差", "worse")
    return Note(
        "metrics",
        f"按质量指标的先后，调整后的排班{head_zh}：" + "；".join(zh_parts) + "。",
        f"By the quality metrics in their order, the roster is {head_en} after the change: "
        + "; ".join(en_parts)
        + ".",
    )
