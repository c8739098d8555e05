"""An indicator's unit is one of a list and named in the reader's language; one the list lacks is
kept as its author wrote it."""

import importlib

from django.apps import apps
from django.urls import reverse
from django.utils import translation

from actionplans.models import Indicator, Unit

MIGRATION = importlib.import_module("actionplans.migrations.0004_indicator_unit_from_a_list")


def test_the_catalogue_names_units_in_the_readers_language(client_for, ministry):
    units = set(Indicator.objects.filter(municipality=None).values_list("unit", flat=True))
    # The catalogue's data file says every unit by the list's code.
    assert units <= set(Unit.values) - {Unit.OTHER}
    for language in ("et", "en"):
        page = client_for(ministry, language).get(reverse("indicator_catalogue")).content.decode()
        with translation.override(language):
            for unit in units:
                assert f"<td>{Unit(unit).label}</td>" in page
    english = client_for(ministry, "en").get(reverse("indicator_catalogue")).content.decode()
    assert "<td>per 10 000 residents</td>" in english
    assert "per_10000_residents" not in english


def test_a_unit_the_list_lacks_is_named_or_the_form_says_so(client_for, ministry):
    indicator = Indicator.objects.get(code="DROWNINGS")
    url = reverse("indicator_edit", args=[indicator.pk])
    typed = {"name_et": "Uppunud", "name_en": "Drowned", "unit": "other", "lower_is_better": "on"}
    refused = client_for(ministry, "en").post(url, typed)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Name the unit, or choose one from the list." in page and 'value="Uppunud"' in page
    indicator.refresh_from_db()
    assert indicator.unit == Unit.COUNT
    client_for(ministry).post(url, typed | {"other_unit": "uppunut"})
    indicator.refresh_from_db()
    assert (indicator.unit, indicator.other_unit) == (Unit.OTHER, "uppunut")
    for language in ("et", "en"):
        with translation.override(language):
            assert indicator.get_unit_display() == "uppunut"
    # Back to a unit of the list: the written one is dropped.
    client_for(ministry).post(url, typed | {"unit": "persons", "other_unit": "uppunut"})
    indicator.refresh_from_db()
    assert (indicator.unit, indicator.other_unit) == (Unit.PERSONS, "")


def test_the_migration_moves_written_units_onto_the_list_and_back(db):
    written = {
        "tk": Unit.COUNT,
        "per 10 000 residents": Unit.PER_10_000_RESIDENTS,
        "per 1\N{NO-BREAK SPACE}000 aged 15–24": Unit.PER_1_000_AGED_15_24,
        "% elanikest": Unit.PERCENT_OF_RESIDENTS,
        "Inimest": Unit.PERSONS,
        "€": Unit.EUROS,
        "kilomeetrit": Unit.OTHER,
    }
    made = {
        text: Indicator.objects.create(code=f"own-{n}", name_et=text, unit=text)
        for n, text in enumerate(written)
    }
    MIGRATION.to_list(apps, None)
    for text, indicator in made.items():
        indicator.refresh_from_db()
        assert indicator.unit == written[text], text
    assert made["kilomeetrit"].other_unit == "kilomeetrit"
    with translation.override("en"):
        assert made["tk"].get_unit_display() == "count"
        assert made["kilomeetrit"].get_unit_display() == "kilomeetrit"
    MIGRATION.to_text(apps, None)
    made["kilomeetrit"].refresh_from_db()
    made["per 10 000 residents"].refresh_from_db()
    assert made["kilomeetrit"].unit == "kilomeetrit"
    assert made["per 10 000 residents"].unit == "per 10 000 residents"
