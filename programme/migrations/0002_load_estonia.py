from django.db import migrations

from programme.reference import load_estonia


def load(apps, schema_editor):
    load_estonia(apps.get_model("programme", "County"), apps.get_model("programme", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
