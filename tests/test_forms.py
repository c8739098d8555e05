"""How fields render (turvaportaal/lib/forms.py and templates/forms/field.html), and the dates
a form takes (turvaportaal/lib/dates.py)."""

from datetime import date, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.utils.translation import override

from turvaportaal.lib.dates import DateField, DateTimeField

TALLINN = ZoneInfo("Europe/Tallinn")


class Example(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the register.")
    county = forms.ChoiceField(label="County", choices=[("", "—"), ("1", "Harju")])
    size = forms.ChoiceField(
        label="Size", choices=[("s", "S")], widget=forms.Select(attrs={"class": "form-select-sm"})
    )
    agree = forms.BooleanField(label="I agree", required=False)
    partners = forms.MultipleChoiceField(
        label="Partners",
        choices=[("ppa", "Police"), ("pa", "Rescue")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


class Tags(HTMLParser):
    """Every start tag of a piece of HTML, with its attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def of(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.found if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]


def test_each_widget_gets_bootstraps_class_and_keeps_its_own():
    form = Example()
    tags = Tags("".join(str(form[name]) for name in form.fields))
    assert tags.of("input", name="name")[0]["class"] == "form-control"
    assert tags.of("select", name="county")[0]["class"] == "form-select"
    assert tags.of("select", name="size")[0]["class"] == "form-select-sm form-select"
    assert tags.of("input", name="agree")[0]["class"] == "form-check-input"
    assert [box["class"] for box in tags.of("input", name="partners")] == ["form-check-input"] * 2
    assert "class" not in tags.of("input", name="token")[0]


def test_a_field_with_an_error_is_marked_invalid_and_described_by_its_message(in_english):
    form = Example({"county": "1", "size": "s"})
    group = str(form["name"].as_field_group())
    tags = Tags(group)
    [field] = tags.of("input", name="name")
    assert field["class"] == "form-control is-invalid"
    assert field["aria-invalid"] == "true"
    assert field["aria-describedby"] == "id_name_helptext id_name_error"
    assert tags.of("div", id="id_name_helptext") and tags.of("div", id="id_name_error")
    assert tags.of("label", **{"for": "id_name"})
    assert "This field is required." in group
    assert "is-invalid" not in str(form["county"])


def test_a_list_of_check_boxes_is_a_fieldset_with_a_label_for_each_box():
    form = Example({"partners": ["pa"]})
    group = str(form["partners"].as_field_group())
    tags = Tags(group)
    assert tags.of("fieldset") and tags.of("legend")
    assert [box["id"] for box in tags.of("input", name="partners")] == [
        "id_partners_0",
        "id_partners_1",
    ]
    assert [label["for"] for label in tags.of("label", **{"class": "form-check-label"})] == [
        "id_partners_0",
        "id_partners_1",
    ]
    assert "checked" in tags.of("input", id="id_partners_1")[0]
    assert ">Rescue</label>" in group


# ---------------------------------------------------------------------------------------------
# Dates: typed as the page's language writes them, and only in the programme's years
# ---------------------------------------------------------------------------------------------


class Dated(forms.Form):
    on = DateField(label="Date")
    at = DateTimeField(label="Time", required=False)


def shown(form: forms.Form, name: str) -> tuple[str | None, str | None]:
    """The type and value of the field's input."""
    [field] = Tags(str(form[name])).of("input", name=name)
    return field["type"], field["value"]


def test_an_estonian_page_takes_and_shows_day_first_dates():
    with override("et"):
        form = Dated({"on": "01.06.2025", "at": "01.06.2025 10:30"})
        assert form.is_valid(), form.errors
        saved = Dated(initial=form.cleaned_data)
        # A text box: the browser's own picker would write the browser's language.
        assert shown(saved, "on") == ("text", "01.06.2025")
        assert shown(saved, "at") == ("text", "01.06.2025 10:30")
    assert form.cleaned_data["on"] == date(2025, 6, 1)
    assert form.cleaned_data["at"] == datetime(2025, 6, 1, 10, 30, tzinfo=TALLINN)


@pytest.mark.parametrize("typed", ["2025-06-01", "1.6.2025"])
def test_an_estonian_page_takes_iso_dates_and_days_without_a_zero(typed):
    with override("et"):
        form = Dated({"on": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == date(2025, 6, 1)


@pytest.mark.parametrize("typed", ["06/01/2025", "2025.06.01", "01.06.25", "32.01.2025"])
def test_an_estonian_page_refuses_month_first_and_other_dates(typed):
    with override("et"):
        assert not Dated({"on": typed}).is_valid()


def test_an_english_page_takes_djangos_english_dates():
    with override("en"):
        for typed in ["2025-06-01", "06/01/2025", "06/01/25", "Jun 1 2025"]:
            form = Dated({"on": typed})
            assert form.is_valid(), (typed, form.errors)
            assert form.cleaned_data["on"] == date(2025, 6, 1)
        saved = Dated(initial={"on": date(2025, 6, 1)})
        assert shown(saved, "on") == ("text", "2025-06-01")
        assert Tags(str(saved["on"])).of("input")[0]["placeholder"] == "yyyy-mm-dd"


@pytest.mark.parametrize(
    ("field", "in_estonian", "in_english"),
    [
        ("on", "01.01.0001", "0001-01-01"),
        ("on", "31.12.1999", "1999-12-31"),
        ("on", "01.01.2101", "01/01/2101"),
        ("on", "31.12.9999", "9999-12-31"),
        ("at", "01.01.0001 00:00", "0001-01-01 00:00"),
        ("at", "01.01.0001 10:00", "0001-01-01T10:00"),
    ],
)
def test_a_date_outside_the_programmes_years_is_refused_with_a_clear_message(
    field, in_estonian, in_english
):
    """Year 1, typed by mistake, would be saved and break every page that shows it."""
    with override("et"):
        assert Dated({"on": "01.06.2025", field: in_estonian}).has_error(field, code="year")
    with override("en"):
        errors = Dated({"on": "2025-06-01", field: in_english}).errors
        assert errors[field] == ["Give a date between the years 2000 and 2100."]


def test_the_first_and_last_days_of_the_years_are_taken():
    with override("et"):
        assert Dated({"on": "01.01.2000", "at": "31.12.2100 23:59"}).is_valid()
