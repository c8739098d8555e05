from django.db import migrations, models

from applications.reference import describe_default_criteria


def describe(apps, schema_editor):
    describe_default_criteria(apps.get_model("applications", "Criterion"))


SUBJECTS = [
    ("motivation", "Motivation"),
    ("initiative", "Initiative to run the programme"),
    ("safety_contribution", "Will to contribute to the safety field"),
    ("leadership_support", "Support of the municipality's leadership"),
    ("daily_work_readiness", "Readiness to support the programme in daily work"),
    ("strategic_use", "Will and capacity to use the results in strategic documents"),
    ("part_of_daily_work", "Making the activities part of officials' daily work"),
    ("safety_networks", "Existing safety networks, committees and councils"),
    ("team", "Team"),
    ("budget", "Budget"),
    ("activities", "Activity plan and schedule"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_selection_reason_kept_as_facts"),
    ]

    operations = [
        migrations.RenameField(model_name="criterion", old_name="name", new_name="name_et"),
        migrations.AlterField(
            model_name="criterion",
            name="name_et",
            field=models.CharField(max_length=200, verbose_name="name in Estonian"),
        ),
        migrations.RenameField(
            model_name="criterion", old_name="description", new_name="description_et"
        ),
        migrations.AlterField(
            model_name="criterion",
            name="description_et",
            field=models.TextField(blank=True, verbose_name="description in Estonian"),
        ),
        migrations.AddField(
            model_name="criterion",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text="English readers see the Estonian name while this is empty.",
                max_length=200,
                verbose_name="name in English",
            ),
        ),
        migrations.AddField(
            model_name="criterion",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="description in English"),
        ),
        migrations.AddField(
            model_name="criterion",
            name="subject",
            field=models.CharField(
                blank=True,
                choices=SUBJECTS,
                help_text="The evaluator reads the applicant's answer to it beside the criterion.",
                max_length=30,
                verbose_name="part of the application it judges",
            ),
        ),
        migrations.AddField(
            model_name="criterion",
            name="levels_et",
            field=models.JSONField(
                blank=True, default=list, verbose_name="score levels in Estonian"
            ),
        ),
        migrations.AddField(
            model_name="criterion",
            name="levels_en",
            field=models.JSONField(
                blank=True, default=list, verbose_name="score levels in English"
            ),
        ),
        migrations.RunPython(describe, migrations.RunPython.noop),
    ]
