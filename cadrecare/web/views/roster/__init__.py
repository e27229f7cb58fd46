"""轮休排班: a township's month roster in the workbench, for the party
secretary who plans it (and, read-only, the county and city who watch).

One page per township and month (``/roster/<unit>/<YYYY-MM>/``): the month
grid (cadres by days), the solver's status and quality in words, the latest
generation (polled while a worker solves it) and the reasons when there is
no roster; generate, edit a rest block (move, swap, pin: the API's roster
edit, version-checked like its If-Match), publish, lock; the notice-board
print and the xlsx. Every write is the API's service; every read its selector.
"""

from django.urls import path

from cadrecare.web.views.roster.board import XLSX, RosterPrintView, RosterXlsxView
from cadrecare.web.views.roster.choose import OnDutyTodayView, RosterDetailView, RosterIndexView, township_choice
from cadrecare.web.views.roster.dates import (
    WEEKDAYS,
    MonthConverter,
    day_label,
    month_url,
    next_month,
    previous_month,
    span_label,
)
from cadrecare.web.views.roster.edit import RosterBlockView, RosterEditView, block_panel
from cadrecare.web.views.roster.forms import (
    BlockForm,
    GenerateForm,
    LockForm,
    MonthPickForm,
    MoveForm,
    PrintForm,
    PublishForm,
    SwapForm,
)
from cadrecare.web.views.roster.grid import cells_html, grid_table, rows_html
from cadrecare.web.views.roster.month import (
    POLL_SECONDS,
    MonthPageMixin,
    RosterMonthView,
    StandsInMixin,
    TownshipMonthMixin,
)
from cadrecare.web.views.roster.publish import RosterGenerateView, RosterLockView, RosterPublishView, RosterRunView
from cadrecare.web.views.roster.words import RULE_HINTS, SOLVER_WORDS, metrics_sentences, reason_rows

__all__ = [
    "POLL_SECONDS",
    "RULE_HINTS",
    "SOLVER_WORDS",
    "WEEKDAYS",
    "XLSX",
    "BlockForm",
    "GenerateForm",
    "LockForm",
    "MonthConverter",
    "MonthPageMixin",
    "MonthPickForm",
    "MoveForm",
    "OnDutyTodayView",
    "PrintForm",
    "PublishForm",
    "RosterBlockView",
    "RosterDetailView",
    "RosterEditView",
    "RosterGenerateView",
    "RosterIndexView",
    "RosterLockView",
    "RosterMonthView",
    "RosterPrintView",
    "RosterPublishView",
    "RosterRunView",
    "RosterXlsxView",
    "StandsInMixin",
    "SwapForm",
    "TownshipMonthMixin",
    "block_panel",
    "cells_html",
    "day_label",
    "grid_table",
    "metrics_sentences",
    "month_url",
    "next_month",
    "previous_month",
    "reason_rows",
    "rows_html",
    "span_label",
    "township_choice",
    "urlpatterns",
]

urlpatterns = [
    path("roster/", RosterIndexView.as_view(), name="roster"),
    path("roster/today/", OnDutyTodayView.as_view(), name="roster-today"),
    path("roster/r/<int:pk>/", RosterDetailView.as_view(), name="roster-detail"),
    path("roster/<int:unit>/<month:month>/", RosterMonthView.as_view(), name="roster-month"),
    path("roster/<int:unit>/<month:month>/block/", RosterBlockView.as_view(), name="roster-block"),
    path("roster/<int:unit>/<month:month>/edit/", RosterEditView.as_view(), name="roster-edit"),
    path("roster/<int:unit>/<month:month>/generate/", RosterGenerateView.as_view(), name="roster-generate"),
    path("roster/<int:unit>/<month:month>/run/", RosterRunView.as_view(), name="roster-run"),
    path("roster/<int:unit>/<month:month>/publish/", RosterPublishView.as_view(), name="roster-publish"),
    path("roster/<int:unit>/<month:month>/lock/", RosterLockView.as_view(), name="roster-lock"),
    path("roster/<int:unit>/<month:month>/print/", RosterPrintView.as_view(), name="roster-print"),
    path("roster/<int:unit>/<month:month>/xlsx/", RosterXlsxView.as_view(), name="roster-xlsx"),
]
