from typing import Any

from django.core.management.base import BaseCommand

from cadrecare.org.access import access_table_markdown


class Command(BaseCommand):
    help = "Print the role × resource access table (Markdown) for docs/access.md."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(access_table_markdown())
