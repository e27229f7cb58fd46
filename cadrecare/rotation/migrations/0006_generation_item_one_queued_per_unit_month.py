"""A unit's month is queued at most once: the run's month copied onto each
item, then a partial unique constraint. Items queued twice before it (the race
it closes) keep the oldest; the others are marked skipped, saying why."""

from django.db import migrations, models


def copy_month_and_settle_duplicates(apps, schema_editor):
    GenerationItem = apps.get_model("rotation", "GenerationItem")
    GenerationItem.objects.update(month=models.Subquery(
        apps.get_model("rotation", "GenerationRun").objects.filter(pk=models.OuterRef("run_id")).values("month")[:1]))
    seen = set()
    duplicates = []
    for pk, unit_id, month in GenerationItem.objects.filter(status="queued").order_by("pk").values_list(
            "pk", "unit_id", "month"):
        if (unit_id, month) in seen:
            duplicates.append(pk)
        seen.add((unit_id, month))
    GenerationItem.objects.filter(pk__in=duplicates).update(
        status="skipped", reasons=[{"message": "同一单位同一月份已有排队中的生成任务，本项未执行。"}])
    if schema_editor.connection.vendor == "postgresql":
        # Fire the deferred foreign-key checks of these updates now: PostgreSQL will
        # not alter the table below while they are pending in this transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ("rotation", "0005_swap_requests_and_entitlements"),
    ]

    operations = [
        migrations.AddField(
            model_name="generationitem",
            name="month",
            field=models.DateField(null=True, verbose_name="月份"),
        ),
        migrations.RunPython(copy_month_and_settle_duplicates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="generationitem",
            name="month",
            field=models.DateField(verbose_name="月份"),
        ),
        migrations.AddConstraint(
            model_name="generationitem",
            constraint=models.UniqueConstraint(condition=models.Q(("status", "queued")), fields=("unit", "month"),
                                               name="generationitem_one_queued_per_unit_month"),
        ),
    ]
