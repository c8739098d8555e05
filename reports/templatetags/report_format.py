"""How the printed reports write numbers: money with the euro sign and thousands grouped."""

from decimal import Decimal

from django import template
from django.utils import numberformat
from django.utils.formats import get_format

register = template.Library()


@register.filter
def money(value: Decimal | int | None) -> str:
    """An amount as the active language writes it: 12 500,00 € in Estonian, 12,500.00 € in
    English (Django's Estonian formats do not group thousands, so grouping is forced here)."""
    if value is None:
        return "—"
    number = numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        decimal_pos=2,
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )
    return f"{number}\N{NO-BREAK SPACE}€"
