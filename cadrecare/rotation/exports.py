"""Exports: the month grid as an .xlsx for the notice board (cadres
by days, rest marked 休, away marked 外, weekends and holidays shaded, Chinese
headers, fitted to one A4 landscape page for up to 60 cadres), and a cadre's
rest days as an iCalendar feed."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from cadrecare.rotation.choices import DayKind

MARK = {DayKind.REST: "休", DayKind.DUTY: "", DayKind.AWAY: "外"}
WEEKDAY = "一二三四五六日"
SHADE = PatternFill("solid", fgColor="E7E6E6")  # weekends and holidays
REST = PatternFill("solid", fgColor="C6E0B4")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FIXED_COLUMNS = ("姓名", "科室", "休息天数")


def roster_grid_xlsx(grid: dict[str, Any], *, unit_name: str, status_label: str) -> bytes:
    """``grid`` is ``selectors.roster_grid``'s answer."""
    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook's one sheet (`active` may be a chartsheet or none)
    sheet.title = grid["month"]
    year, month = grid["month"].split("-")
    title = f"{unit_name}{int(year)}年{int(month)}月干部轮休安排表（{status_label}）"
    if grid["provisional_calendar"]:
        title += "（节假日安排暂定）"
    last_column = len(FIXED_COLUMNS) + len(grid["dates"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_column)
    sheet.cell(1, 1, title).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    for column, header in enumerate(FIXED_COLUMNS, start=1):
        sheet.cell(2, column, header)
        sheet.cell(3, column, "")
    for offset, day in enumerate(grid["dates"]):
        column = len(FIXED_COLUMNS) + 1 + offset
        sheet.cell(2, column, int(day["date"][-2:]))
        sheet.cell(3, column, WEEKDAY[day["weekday"] - 1])
        if day["desirable"]:
            sheet.cell(2, column).fill = SHADE
            sheet.cell(3, column).fill = SHADE
    for row_index, cadre in enumerate(grid["cadres"], start=4):
        sheet.cell(row_index, 1, cadre["name"] + ("（班子）" if cadre["leader"] else ""))
        sheet.cell(row_index, 2, cadre["office"])
        sheet.cell(row_index, 3, cadre["rest_days"])
        for offset, kind in enumerate(cadre["days"]):
            cell = sheet.cell(row_index, len(FIXED_COLUMNS) + 1 + offset, MARK[kind])
            if kind == DayKind.REST:
                cell.fill = REST
            elif grid["dates"][offset]["desirable"]:
                cell.fill = SHADE
    total_row = len(grid["cadres"]) + 4
    sheet.cell(total_row, 1, "在岗人数")
    for offset, day in enumerate(grid["dates"]):
        sheet.cell(total_row, len(FIXED_COLUMNS) + 1 + offset, day["on_duty"])
    for row in sheet.iter_rows(min_row=2, max_row=total_row, max_col=last_column):
        for boxed in row:
            boxed.border = BOX
            boxed.alignment = Alignment(horizontal="center", vertical="center")
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 6
    for column in range(len(FIXED_COLUMNS) + 1, last_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 3.2
    sheet.freeze_panes = "D4"
    # One A4 landscape page: scale to fit width and height (60 cadres stay legible).
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=0.3, right=0.3, top=0.4, bottom=0.4)
    sheet.print_title_rows = "2:3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rest_days_ics(*, cadre_name: str, days: list[tuple[dt.date, str]]) -> bytes:
    """A cadre's rest as an iCalendar feed: one all-day event per rest block
    of a published roster (``days`` = (date, unit name), sorted)."""
    calendar = Calendar()
    calendar.add("prodid", "-//cadrecare//rest roster//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{cadre_name}的轮休")
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    blocks: list[list[tuple[dt.date, str]]] = []
    for day, unit in days:
        if blocks and blocks[-1][-1][0] + dt.timedelta(days=1) == day:
            blocks[-1].append((day, unit))
        else:
            blocks.append([(day, unit)])
    for block in blocks:
        first, last = block[0][0], block[-1][0]
        event = Event()
        event.add("uid", f"rest-{cadre_name}-{first.isoformat()}@cadrecare")
        event.add("summary", f"轮休（{len(block)}天）")
        event.add("description", f"{block[0][1]}已发布的轮休排班")
        event.add("dtstart", first)
        event.add("dtend", last + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
