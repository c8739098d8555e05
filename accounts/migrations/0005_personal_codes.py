import django.db.models
from django.db import migrations, models

import accounts.personal_codes


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_search_indexes"),
    ]

    # Columns SQLite adds in place, and a partial unique index: nothing here rebuilds the user
    # table, whose trigram indexes only PostgreSQL builds.
    operations = [
        migrations.AddField(
            model_name="invitation",
            name="personal_code",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text=(
                    "Optional: with it the person can sign in with their Estonian ID-card, "
                    "Mobile-ID or Smart-ID (or an EU eID), for example 38001085718."
                ),
                max_length=64,
                verbose_name="personal code",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="personal_code",
            field=models.CharField(
                blank=True,
                max_length=64,
                null=True,
                validators=[accounts.personal_codes.validate_personal_code],
                verbose_name="personal code",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=django.db.models.Q(("personal_code__isnull", False)),
                fields=("personal_code",),
                name="user_personal_code_unique",
                violation_error_message="Another person has this personal code already.",
            ),
        ),
    ]
