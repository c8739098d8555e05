from django.db import migrations

from practices.reference import load_guide_examples


def load(apps, schema_editor):
    load_guide_examples(
        apps.get_model("practices", "Practice"),
        apps.get_model("programme", "County"),
        apps.get_model("programme", "Municipality"),
        apps.get_model("programme", "PartnerAgency"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0001_initial"),
        ("programme", "0002_load_estonia"),
        ("programme", "0004_load_partner_agencies"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
