from django.db import migrations

from turvaportaal.lib.migrations import AddPostgresIndex
from turvaportaal.lib.search import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0002_load_guide_examples"),
        ("programme", "0007_search_indexes"),  # pg_trgm
    ]

    operations = [
        AddPostgresIndex(
            model_name="practice", index=trigram_index(field, f"practice_{field}_trgm")
        )
        for field in ["title", "description", "results", "place"]
    ]
