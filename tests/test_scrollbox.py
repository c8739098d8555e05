"""Tables scroll inside their own named box ({% scrollbox %}), so that no page scrolls sideways on
a phone; tests/browser/test_accessibility.py measures every page at 390 px."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Printed pages have a width of their own.
NOT_SCREENS = {"pdf"}
TOKEN = re.compile(r"{%\s*(end)?scrollbox\b|<table\b")


def render(source: str, **context: object) -> str:
    return Template("{% load scrollbox %}" + source).render(Context(context))


def test_the_box_is_named_by_its_tables_caption_and_takes_the_focus():
    html = render(
        "{% scrollbox %}<table><caption class='x'>\n {{ n }} <b>people</b> &amp; more\n"
        "</caption></table>{% endscrollbox %}",
        n=8,
    )
    assert html == (
        '<div class="table-responsive scrollbox" tabindex="0" role="region" '
        "aria-label=\"8 people &amp; more\"><table><caption class='x'>\n 8 <b>people</b> "
        "&amp; more\n</caption></table></div>"
    )


def test_a_table_without_a_caption_is_named_by_the_label():
    html = render(
        "{% scrollbox label=name %}<table></table>{% endscrollbox %}", name="Maakonnad <ja> kohad"
    )
    assert html.startswith('<div class="table-responsive scrollbox" tabindex="0" role="region" ')
    assert 'aria-label="Maakonnad &lt;ja&gt; kohad"><table></table></div>' in html


def test_the_label_wins_over_the_caption():
    html = render(
        '{% scrollbox label="Kaart" %}<table><caption>Tabel</caption></table>{% endscrollbox %}'
    )
    assert 'aria-label="Kaart"' in html


def test_a_box_without_a_name_is_refused():
    with pytest.raises(TemplateSyntaxError, match="caption, or a label"):
        render("{% scrollbox %}<table><tr><td>1</td></tr></table>{% endscrollbox %}")


def test_every_table_of_a_page_is_in_a_scrollbox():
    templates = [
        path
        for path in TEMPLATES.rglob("*.html")
        if path.relative_to(TEMPLATES).parts[0] not in NOT_SCREENS
    ]
    outside = []
    tables = 0
    for path in templates:
        source = path.read_text(encoding="utf-8")
        depth = 0
        for token in TOKEN.finditer(source):
            if token.group().startswith("<table"):
                tables += 1
                if depth == 0:
                    line = source.count("\n", 0, token.start()) + 1
                    outside.append(f"{path.relative_to(TEMPLATES)}:{line}")
            else:
                depth += -1 if token.group(1) else 1
    assert tables > 40
    assert outside == []
