"""manage.py audit_verify [--seal] [--head POSITION:DIGEST]: check the audit
log's hash chain (audit.services.audit_verify); exits 1 when a row was altered
or deleted. Print the head it reports into a record outside the database (the
backup log), and pass the last one with --head next time: a cut tail shows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadrecare.audit.services import audit_seal, audit_verify


class Command(BaseCommand):
    help = "核对审计日志的哈希链：被改动或删除的记录会被发现"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seal", action="store_true", help="先把尚未入链的记录入链")
        parser.add_argument("--head", default="", help="此前记录在库外的链头（序号:摘要）")

    def handle(self, *args: Any, seal: bool, head: str, **options: Any) -> None:
        if seal:
            audit_seal()
        report = audit_verify(head=head)
        self.stdout.write(f"已入链 {report.sealed} 条，待入链 {report.unsealed} 条，链头 {report.head}")
        if report.problems:
            raise CommandError("\n".join(report.problems))
        self.stdout.write("审计日志完整。")
