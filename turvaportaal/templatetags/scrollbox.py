"""``{% scrollbox %}<table>…</table>{% endscrollbox %}``: a table scrolls sideways inside its own
box on a narrow screen, so that the page does not.

The box takes the keyboard focus, for scrolling it with the arrow keys, and so needs a name
(WCAG 2.1.1; axe's scrollable-region-focusable): its table's caption, or for a table without one,
``{% scrollbox label=_("…") %}``."""

import re
from html import unescape

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString

register = template.Library()

CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL)


def caption_of(html: str) -> str:
    """The text of the first caption in html, its white space collapsed; empty if none."""
    found = CAPTION.search(html)
    return " ".join(unescape(strip_tags(found.group(1))).split()) if found else ""


@register.simple_block_tag
def scrollbox(content: SafeString, *, label: str = "") -> SafeString:
    name = label or caption_of(content)
    if not name:
        raise template.TemplateSyntaxError(
            "{% scrollbox %} needs a table with a caption, or a label."
        )
    return format_html(
        '<div class="table-responsive scrollbox" tabindex="0" role="region" aria-label="{}">{}'
        "</div>",
        name,
        content,
    )
