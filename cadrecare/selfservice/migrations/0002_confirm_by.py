import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    """Items to confirm carry their due date, so the due-item query reads a column
    (date arithmetic on a timestamp differs between PostgreSQL and SQLite)."""

    dependencies = [
        ("selfservice", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="familymemberchange",
            name="confirm_by",
            field=models.DateField(default=datetime.date(2026, 12, 9), verbose_name="应确认日期"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="selfreport",
            name="confirm_by",
            field=models.DateField(default=datetime.date(2026, 12, 9), verbose_name="应确认日期"),
            preserve_default=False,
        ),
    ]
