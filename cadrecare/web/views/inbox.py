"""The notifications inbox: one's own notices (the reminders' in-app channel),
newest first, unread ones marked; mark one or all read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _

from cadrecare.core.i18n import choice_label
from cadrecare.reminders import selectors, services
from cadrecare.reminders.models import Notice
from cadrecare.web.actions import action_for
from cadrecare.web.pages import PageView, redirect_after_post, render_fragment

PAGE_SIZE = 20


def _notice_row(user: Any, notice: Notice) -> dict[str, Any]:
    return {
        "notice": notice,
        "stage_label": choice_label(notice.get_stage_display()),
        "action": action_for(user, notice.kind, notice.object_id),
    }


class InboxView(PageView):
    resource = "notifications"
    template_name = "web/inbox.html"
    partial = "notices"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unread_only = self.request.GET.get("show") == "unread"
        notices = selectors.notice_list(user=self.request.user)
        if unread_only:
            notices = notices.filter(read_at__isnull=True)
        page = Paginator(notices, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            page=page,
            unread_only=unread_only,
            rows=[_notice_row(self.request.user, notice) for notice in page.object_list],
        )
        return context


class NoticeReadView(PageView):
    """Mark one of one's notices read (another's is not found). htmx swaps the
    row and the badge; without JavaScript the inbox is shown again."""

    resource = "notifications"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notice = services.notice_mark_read(
            user=self.request.user, notice=get_object_or_404(selectors.notice_list(user=self.request.user), pk=pk)
        )
        if self.request.htmx:
            context = {
                "row": _notice_row(request.user, notice),
                "unread_count": selectors.notice_unread_count(user=self.request.user),
            }
            return render_fragment(request, "web/inbox.html", "notice-read", context)
        return redirect_after_post(request, reverse("web:inbox"))


class NoticeReadAllView(PageView):
    resource = "notifications"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        marked = services.notice_mark_all_read(user=self.request.user)
        messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": marked})
        return redirect_after_post(request, reverse("web:inbox"))


urlpatterns = [
    path("inbox/", InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/read/", NoticeReadView.as_view(), name="notice-read"),
    path("inbox/read-all/", NoticeReadAllView.as_view(), name="notice-read-all"),
]
