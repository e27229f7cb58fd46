"""manage.py load_holiday_year 2027 notice.csv --source-ref "国办发明电〔2026〕N号"

Loads (or corrects) one year's public holidays and makeup workdays from the
State Council's notice; the same file twice is a no-op (reliability.md A2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadrecare.core.errors import DomainError
from cadrecare.rotation.holiday_calendar import holiday_csv_parse, holiday_year_load


class Command(BaseCommand):
    help = "导入某年的节假日与调休安排（国务院办公厅通知），CSV 每行：日期,类型,名称"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--source-ref", required=True, help="通知文号或网址")

    def handle(self, *args: Any, year: int, file: Path, source_ref: str, **options: Any) -> None:
        try:
            rows = holiday_csv_parse(file.read_text(encoding="utf-8-sig"))
            holiday_year, changed = holiday_year_load(actor=None, year=year, rows=rows, source_ref=source_ref)
        except OSError as exc:
            raise CommandError(f"无法读取 {file}：{exc.strerror}") from None
        except DomainError as exc:
            lines = [f"  {e.get('field') or ''}: {e['message']}" for e in exc.errors] or [exc.message]
            raise CommandError("导入失败：\n" + "\n".join(lines)) from None
        days = holiday_year.days.count()
        verb = "已导入" if changed else "内容相同，未作改动"
        self.stdout.write(f"{year} 年节假日安排{verb}：{days} 天，状态 {holiday_year.get_status_display()}。")
