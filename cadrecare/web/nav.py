"""The workbench's navigation: sections of pages, each shown only to the users
its page lets in.

An entry names a URL and nothing about permissions: whether it is shown is
asked of the page's own view (``PageView.allowed``: its ``resource`` and
``action`` in the one access table, ``cadrecare.org.access``), so the nav
and the page can never disagree. Add a page's entry here when the page lands.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    url_name: str  # "web:inbox"
    label: Promise | str
    icon: str  # a symbol of static/web/vendor/lucide-*-sprite.svg


@dataclass(frozen=True)
class NavSection:
    label: Promise | str
    entries: tuple[NavEntry, ...]


NAV: tuple[NavSection, ...] = (
    NavSection(
        _("工作台"),
        (
            NavEntry("web:home", _("我的待办"), "list-checks"),
            NavEntry("web:due-items", _("全部待办"), "clipboard-list"),
            NavEntry("web:inbox", _("通知"), "bell"),
        ),
    ),
    NavSection(
        _("组织部门"),
        (
            NavEntry("web:dashboard", _("总览"), "layout-dashboard"),
            NavEntry("web:escalations", _("督办事项"), "flag"),
            NavEntry("web:care-spending", _("关爱经费"), "chart-column"),
            NavEntry("web:commendations", _("评优表彰"), "flag"),
            NavEntry("web:establishment", _("乡镇编制"), "building-2"),
            NavEntry("web:transfer-reviews", _("交流研判"), "arrow-left-right"),
            NavEntry("web:interview-plans", _("定期约谈"), "message-circle"),
            NavEntry("web:field-visits", _("组织部长下基层"), "map-pin"),
            NavEntry("web:checkup-policy", _("体检政策"), "settings"),
            NavEntry("web:care-policy", _("关爱政策"), "settings"),
            NavEntry("web:reminder-schedule", _("提醒规则"), "settings"),
            NavEntry("web:talk-routes", _("谈话分工"), "settings"),
            NavEntry("web:talk-due-days", _("谈话期限"), "settings"),
            NavEntry("web:secondments", _("挂职借调"), "arrow-left-right"),
            NavEntry("web:experience", _("基层经历统计"), "chart-column"),
        ),
    ),
    NavSection(
        _("人事"),
        (
            NavEntry("web:cadres", _("干部档案"), "briefcase"),
            NavEntry("web:checkups", _("体检"), "stethoscope"),
            NavEntry("web:campaigns", _("体检活动"), "clipboard-list"),
            NavEntry("web:family", _("家属与走访"), "users"),
            NavEntry("web:hardship", _("困难帮扶"), "hand-heart"),
            NavEntry("web:training", _("培训与考察"), "building-2"),
        ),
    ),
    NavSection(
        _("轮休"),
        (
            NavEntry("web:roster", _("轮休排班"), "calendar-days"),
            NavEntry("web:roster-today", _("今日在岗"), "calendar-check"),
            NavEntry("web:swap-requests", _("换休审批"), "arrow-left-right"),
            NavEntry("web:recalls", _("召回登记"), "undo-2"),
            NavEntry("web:rotation-policy", _("轮休政策"), "settings"),
        ),
    ),
    NavSection(
        _("关心关爱"),
        (
            NavEntry("web:talks", _("谈话"), "message-circle"),
            NavEntry("web:visits", _("走访"), "hand-heart"),
            NavEntry("web:self-pending", _("待确认"), "inbox"),
            NavEntry("web:messages", _("心里话信箱"), "mail"),
        ),
    ),
    NavSection(
        _("我的"),
        (
            NavEntry("web:my-rest", _("我的轮休"), "calendar"),
            NavEntry("web:my-rest-confirm", _("月末休息确认"), "calendar-check"),
            NavEntry("web:my-swap", _("申请换休"), "arrow-left-right"),
            NavEntry("web:my-checkups", _("我的体检"), "heart-pulse"),
            NavEntry("web:my-channels", _("我的通知方式"), "bell"),
            NavEntry("web:my-report", _("我要报告"), "file-text"),
            NavEntry("web:my-family", _("我的家庭信息"), "users"),
            NavEntry("web:my-messages", _("心里话"), "message-circle"),
        ),
    ),
)


@cache
def _page(url_name: str) -> tuple[str, Any]:
    """The path of a nav entry and its view class (a ``PageView``)."""
    path = reverse(url_name)
    return path, resolve(path).func.view_class  # type: ignore[attr-defined]


def nav_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The sections and entries ``request.user`` may open, the current one
    marked (a page without an entry of its own names its parent's in ``nav_entry``)."""
    match = request.resolver_match
    view_class = getattr(match.func, "view_class", None) if match else None
    current = getattr(view_class, "nav_entry", None) or (match.view_name if match else "")
    sections = []
    for section in NAV:
        entries = []
        for entry in section.entries:
            path, view_class = _page(entry.url_name)
            if view_class.allowed(request.user):
                entries.append(
                    {"url": path, "label": entry.label, "icon": entry.icon, "current": entry.url_name == current}
                )
        if entries:
            sections.append({"label": section.label, "entries": entries})
    return sections
