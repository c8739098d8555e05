from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from turvaportaal.lib.migrations import AddPostgresIndex
from turvaportaal.lib.search import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0006_participation_service_provider"),
    ]

    operations = [
        TrigramExtension(),  # no-op on SQLite
        migrations.AddIndex(
            model_name="municipality",
            index=models.Index(fields=["name"], name="municipality_name_idx"),
        ),
        AddPostgresIndex(
            model_name="municipality", index=trigram_index("name", "municipality_name_trgm")
        ),
    ]
