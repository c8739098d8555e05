"""An indicator's unit is one of a list, named in the reader's language when read. Units stored
as text, in English or Estonian, become the list's; a unit the list lacks is kept as written."""

import re
from typing import Any

from django.db import migrations, models

# Units as they were written, spaces in numbers removed and in lower case, by the list's code.
WRITTEN = {
    "count": ["count", "number", "cases", "arv", "tk", "tükki", "tükk", "juhtumit", "juhtumid"],
    "persons": ["persons", "people", "inimest", "inimesed", "isikut", "isikud"],
    "hours": ["hours", "h", "tundi", "tunnid", "t"],
    "euros": ["euros", "euro", "eur", "€", "eurot"],
    "percent": ["%", "percent", "protsent", "protsenti"],
    "percent_of_residents": ["% of residents", "% elanikest"],
    "percent_of_pupils": ["% of pupils", "% õpilastest"],
    "per_1000_residents": ["per 1000 residents", "1000 elaniku kohta"],
    "per_10000_residents": ["per 10000 residents", "10000 elaniku kohta"],
    "per_100000_residents": ["per 100000 residents", "100000 elaniku kohta"],
    "per_1000_aged_10_17": ["per 1000 aged 10-17", "1000 10-17-aastase kohta"],
    "per_1000_aged_15_24": ["per 1000 aged 15-24", "1000 15-24-aastase kohta"],
}
CODES = {written: code for code, spellings in WRITTEN.items() for written in spellings}


def normalised(unit: str) -> str:
    unit = re.sub(r"\s+", " ", unit.replace("\N{NO-BREAK SPACE}", " ")).strip().lower()
    unit = re.sub(r"(?<=\d) (?=\d{3}\b)", "", unit)  # 10 000 → 10000
    return unit.replace("–", "-")


def to_list(apps: Any, schema_editor: Any) -> None:
    Indicator = apps.get_model("actionplans", "Indicator")
    for indicator in Indicator.objects.all():
        code = CODES.get(normalised(indicator.unit)) or (
            indicator.unit if indicator.unit in WRITTEN else None
        )
        if code is None:
            indicator.unit, indicator.other_unit = "other", indicator.unit[:60]
        else:
            indicator.unit = code
        indicator.save(update_fields=["unit", "other_unit"])


def to_text(apps: Any, schema_editor: Any) -> None:
    """Back to text, in English, as the catalogue wrote its units."""
    Indicator = apps.get_model("actionplans", "Indicator")
    for indicator in Indicator.objects.all():
        if indicator.unit == "other":
            indicator.unit = indicator.other_unit
        elif indicator.unit in WRITTEN:
            indicator.unit = re.sub(r"(\d)(\d{3})\b", r"\1 \2", WRITTEN[indicator.unit][0])
        indicator.save(update_fields=["unit"])


class Migration(migrations.Migration):
    dependencies = [("actionplans", "0003_indicator_label")]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="other_unit",
            field=models.CharField(blank=True, max_length=60, verbose_name="other unit"),
        ),
        migrations.RunPython(to_list, to_text),
        migrations.AlterField(
            model_name="indicator",
            name="unit",
            field=models.CharField(
                choices=[
                    ("count", "count"),
                    ("persons", "persons"),
                    ("hours", "hours"),
                    ("euros", "euros"),
                    ("percent", "%"),
                    ("percent_of_residents", "% of residents"),
                    ("percent_of_pupils", "% of pupils"),
                    ("per_1000_residents", "per 1 000 residents"),
                    ("per_10000_residents", "per 10 000 residents"),
                    ("per_100000_residents", "per 100 000 residents"),
                    ("per_1000_aged_10_17", "per 1 000 aged 10–17"),
                    ("per_1000_aged_15_24", "per 1 000 aged 15–24"),
                    ("other", "other (name it)"),
                ],
                max_length=60,
                verbose_name="unit",
            ),
        ),
    ]
