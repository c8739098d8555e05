import grants.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0003_search_indexes"),
    ]

    # Where new documents are stored is no column: the state alone changes. (As a database
    # operation, SQLite would rebuild the table, with the PostgreSQL-only trigram index.)
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ledgerentry",
                    name="document",
                    field=models.FileField(
                        blank=True,
                        upload_to=grants.models.document_path,
                        verbose_name="supporting document",
                    ),
                ),
            ]
        ),
    ]
