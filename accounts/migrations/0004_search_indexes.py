from django.db import migrations, models

from turvaportaal.lib.migrations import AddPostgresIndex
from turvaportaal.lib.search import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_sessions"),
        ("programme", "0007_search_indexes"),  # pg_trgm
    ]

    operations = [
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["full_name", "email"], name="user_name_email_idx"),
        ),
        AddPostgresIndex(
            model_name="user", index=trigram_index("full_name", "user_full_name_trgm")
        ),
        AddPostgresIndex(model_name="user", index=trigram_index("email", "user_email_trgm")),
    ]
