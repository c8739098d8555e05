from django.db import migrations

from turvaportaal.lib.migrations import AddPostgresIndex
from turvaportaal.lib.search import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0002_ledger_is_append_only"),
        ("programme", "0007_search_indexes"),  # pg_trgm
    ]

    operations = [
        AddPostgresIndex(
            model_name="ledgerentry", index=trigram_index("supplier", "ledger_supplier_trgm")
        ),
    ]
