from django.db import migrations

from actionplans.reference import load_indicators


def load(apps, schema_editor):
    load_indicators(apps.get_model("actionplans", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("actionplans", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
