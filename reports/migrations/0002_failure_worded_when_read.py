"""Why a report failed is kept as a code and worded when read, in the reader's language; the
error the worker raised stays beside it. Failures stored as English text become codes."""

from typing import Any

from django.db import migrations, models

TIMED_OUT = "The report took longer than 4 minutes to render."


def to_codes(apps: Any, schema_editor: Any) -> None:
    Report = apps.get_model("reports", "Report")
    failed = Report.objects.filter(status="failed", failure="")
    failed.filter(failure_reason=TIMED_OUT).update(failure="timed_out", failure_reason="")
    failed.exclude(failure_reason=TIMED_OUT).update(failure="error")


def to_text(apps: Any, schema_editor: Any) -> None:
    Report = apps.get_model("reports", "Report")
    Report.objects.filter(failure="timed_out").update(failure_reason=TIMED_OUT)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="report",
            name="failure",
            field=models.CharField(
                blank=True,
                choices=[
                    ("timed_out", "The report took longer than 4 minutes to render."),
                    ("error", "The report could not be rendered."),
                ],
                max_length=20,
                verbose_name="why it failed",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="failure_reason",
            field=models.TextField(blank=True, verbose_name="error"),
        ),
        migrations.RunPython(to_codes, to_text),
    ]
