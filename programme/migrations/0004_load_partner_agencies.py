from django.db import migrations

from programme.reference import load_partner_agencies


def load(apps, schema_editor):
    load_partner_agencies(apps.get_model("programme", "PartnerAgency"))


class Migration(migrations.Migration):
    dependencies = [("programme", "0003_calls_and_partner_agencies")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
