"""How fields render (turvaportaal/lib/forms.py and templates/forms/field.html)."""

from html.parser import HTMLParser

from django import forms


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
