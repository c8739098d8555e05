"""Money as the portal writes it everywhere, on pages, in messages, e-mails and PDFs: the active
language's number format with thousands grouped, and the euro sign (35 000,00 € in Estonian,
35,000.00 € in English). Django's Estonian formats do not group thousands, so grouping is forced."""

from decimal import Decimal

from django.utils import numberformat
from django.utils.formats import get_format


def format_money(value: Decimal | int | None) -> str:
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
