"""Personal codes as TARA names a person in its "sub": the country's two letters and the
code, e.g. EE38001085718."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ESTONIAN = re.compile(r"^(?:EE)?([1-6]\d{10})$")
_OTHER = re.compile(r"^[A-Z]{2}[A-Za-z0-9/+=:._-]{1,62}$")


def normalised_personal_code(value: str) -> str:
    """A personal code as TARA names the person: EE and the 11 digits for an Estonian code
    (typed with or without EE, checked by its control digit), or another country's two letters
    and identifier as they are."""
    code = "".join(value.split()).upper()
    estonian = _ESTONIAN.match(code)
    if estonian:
        digits = estonian.group(1)
        if _control_digit(digits[:10]) != int(digits[10]):
            raise ValidationError(
                _("This personal code is not valid: check its digits."), code="control_digit"
            )
        return f"EE{digits}"
    if code.startswith("EE") or not _OTHER.match(code):
        raise ValidationError(
            _(
                "Enter an Estonian personal code of 11 digits, for example 38001085718, or "
                "another country's code after its two letters, for example LV010180-12345."
            ),
            code="format",
        )
    return code


def _control_digit(digits: str) -> int:
    for weights in ((1, 2, 3, 4, 5, 6, 7, 8, 9, 1), (3, 4, 5, 6, 7, 8, 9, 1, 2, 3)):
        remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return 0


def validate_personal_code(value: str) -> None:
    """For the model field: the code written as TARA writes it."""
    if normalised_personal_code(value) != value:
        raise ValidationError(
            _("Write the personal code as %(code)s.") % {"code": normalised_personal_code(value)},
            code="form",
        )
