"""The notice board: the month printed (A4 landscape) and as .xlsx."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from cadrecare.rotation.exports import roster_grid_xlsx
from cadrecare.web.pages import PageView
from cadrecare.web.views.roster.dates import month_url
from cadrecare.web.views.roster.forms import PrintForm
from cadrecare.web.views.roster.month import TownshipMonthMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RosterPrintView(TownshipMonthMixin, PageView):
    """The roster for the notice board: A4 landscape, readable type, the
    holidays named, each day's duty leader, a contact phone and the sign-off
    lines (制表 / 审核 / 日期)."""

    resource = "rosters"
    template_name = "web/roster/print.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        roster = self.roster_or_404()
        if self.grid is None:
            raise Http404(_("该月的排班没有可行方案，无从打印。"))
        maker = self.request.user.get_full_name() or self.request.user.get_username()
        form = PrintForm(request.GET or None, initial={"maker": maker})
        valid = form.is_valid() if form.is_bound else True
        options = form.cleaned_data if form.is_bound and valid else {"phone": "", "maker": maker}
        context = self.get_context_data(
            form=form,
            unit=self.unit,
            month=self.month,
            roster=roster,
            options=options,
            table=self.grid_table(board=True),
            month_url=month_url(self.unit, self.month),
        )
        return self.render_to_response(context, status=200 if valid else 400)


class RosterXlsxView(TownshipMonthMixin, PageView):
    """The month grid as .xlsx, the API's export (one A4 landscape page)."""

    resource = "rosters"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        roster = self.roster_or_404()
        if self.grid is None:
            raise Http404(_("该月的排班没有可行方案，无从导出。"))
        body = roster_grid_xlsx(self.grid, unit_name=self.unit.name, status_label=roster.get_status_display())
        response = HttpResponse(body, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="roster-{self.unit.code}-{self.month:%Y-%m}.xlsx"'
        return response


# ---------------------------------------------------------------------------
# Finding the month: the township chooser, a roster by id, who is on duty today
# ---------------------------------------------------------------------------
