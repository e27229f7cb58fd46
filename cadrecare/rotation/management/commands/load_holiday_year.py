"""manage.py load_holiday_year 2027 notice.csv --source-ref "国办发明电〔2026〕N号" [--dry-run]

Loads (or corrects) one year's public holidays and makeup workdays from the
State Council's notice; the same file twice is a no-op (docs/rotation.md, holiday calendar).
It first prints what the notice changes and the rosters planned on the changed
dates; ``--dry-run`` stops there and writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cadrecare.core.errors import DomainError
from cadrecare.rotation.choices import CalendarStatus, RosterStatus
from cadrecare.rotation.holiday_calendar import DayRow, holiday_csv_parse
from cadrecare.rotation.holiday_corrections import NoticePreview, holiday_year_load, holiday_year_preview


class Command(BaseCommand):
    help = "导入某年的节假日与调休安排（国务院办公厅通知），CSV 每行：日期,类型,名称；--dry-run 只预览不写入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--source-ref", required=True, help="通知文号或网址")
        parser.add_argument("--dry-run", action="store_true", help="只显示变动和受影响的排班，不写入")

    def handle(self, *args: Any, year: int, file: Path, source_ref: str, dry_run: bool, **options: Any) -> None:
        try:
            rows = holiday_csv_parse(file.read_text(encoding="utf-8-sig"))
            preview = holiday_year_preview(actor=None, year=year, rows=rows, source_ref=source_ref)
            self.stdout.write("\n".join(preview_lines(preview)))
            if dry_run:
                self.stdout.write("试运行：未写入任何数据。")
                return
            holiday_year, changed = holiday_year_load(actor=None, year=year, rows=rows, source_ref=source_ref)
        except OSError as exc:
            raise CommandError(
                _("无法读取 %(file)s：%(strerror)s") % {"file": file, "strerror": exc.strerror}
            ) from None
        except DomainError as exc:
            lines = [f"  {e.get('field') or ''}: {e['message']}" for e in exc.errors] or [exc.message]
            raise CommandError(_("导入失败：\n%(lines)s") % {"lines": "\n".join(lines)}) from None
        days = holiday_year.days.count()
        verb = "已导入" if changed else "内容相同，未作改动"
        self.stdout.write(f"{year} 年节假日安排{verb}：{days} 天，状态 {holiday_year.get_status_display()}。")


def _rows(rows: tuple[DayRow, ...]) -> str:
    return "、".join(f"{row.date:%m-%d}{row.name and ' ' + row.name}" for row in rows)


def preview_lines(preview: NoticePreview) -> list[str]:
    """The preview as the command prints it, in Chinese."""
    before = CalendarStatus(preview.status_before).label if preview.status_before else "尚未载入"
    lines = [f"{preview.year} 年节假日安排（现为{before}，导入后为{CalendarStatus.OFFICIAL.label}）："]
    if preview.unchanged:
        return [*lines, "  与已导入的通知完全相同，导入不会改动任何数据。"]
    diff = preview.diff
    for title, rows in diff.titled():
        lines.append(f"  {title}（{len(rows)} 天）：{_rows(rows)}")
    if diff.renamed:
        lines.append("  名称更改：" + "、".join(f"{r.date:%m-%d} {r.name_before}→{r.name_after}" for r in diff.renamed))
    if not diff.changes:
        lines.append("  没有日期改变性质。")
    for change in diff.changes:
        lines.append(f"  {change.describe()}")
    lines.append(f"受影响的排班：{len(preview.rosters)} 个")
    for impact in preview.rosters:
        fairness = ""
        if impact.metrics_change:
            fairness = f"，宜休日均衡指标 {impact.fairness_spread_before:g} → {impact.fairness_spread_after:g}"
        lines.append(
            f"  {impact.unit_name} {impact.month:%Y-%m} {RosterStatus(impact.status).label}："
            f"变动日期上安排休息 {impact.rest_days_on_changed_dates} 人次，"
            f"其中休在不再是宜休日的日子 {impact.rest_days_losing_desirable} 人次{fairness}"
        )
    if preview.provisional_rosters:
        lines.append(f"将不再标为“节假日暂定”的排班：{preview.provisional_rosters} 个")
    return lines
