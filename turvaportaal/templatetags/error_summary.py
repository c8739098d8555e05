"""``{% error_summary form formset ... %}``: the box a refused form opens with (the GOV.UK error
summary), drawn by templates/includes/error_summary.html.

It lists the form-wide errors as plain items and each field's errors as a link to the field's
input, by the id Django renders: ``id_<name>``, a formset row's ``id_<prefix>-<n>-<name>``, the
first box of a list of boxes. A formset row's own errors link to the row's first field. Where a
page draws a field under an id of its own, name it: ``{% error_summary form narrative=id %}``.
Forms that are not bound, and names the page does not have (``None``, a missing variable), add
nothing."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.forms import BaseForm, BoundField, MultiWidget
from django.forms.formsets import DELETION_FIELD_NAME, BaseFormSet

register = template.Library()


@dataclass(frozen=True)
class FieldError:
    target: str  # the id of the input the link moves to
    label: str  # the field's; none for a formset row's own error
    row: int | None  # the row's number in a formset, counted from 1
    message: str


def target_id(field: BoundField) -> str:
    if field.id_for_label:
        return field.id_for_label
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    if isinstance(widget, MultiWidget):
        return f"{id_}_0"  # a range: its first input
    subwidgets = field.subwidgets  # a list of radio buttons or check boxes: the first
    return (subwidgets[0].id_for_label or id_) if subwidgets else id_


class Summary:
    def __init__(self, targets: dict[str, str]) -> None:
        self.targets = targets
        self.form_errors: list[str] = []
        self.field_errors: list[FieldError] = []

    def add(self, thing: Any, row: int | None = None) -> None:
        if isinstance(thing, BaseFormSet):
            self.add_formset(thing)
        elif isinstance(thing, BaseForm):
            self.add_form(thing, row)

    def add_formset(self, formset: BaseFormSet) -> None:
        if not formset.is_bound:
            return
        self.form_errors.extend(map(str, formset.non_form_errors()))
        for number, form in enumerate(formset.forms, start=1):
            removed = formset.can_delete and getattr(form, "cleaned_data", {}).get(
                DELETION_FIELD_NAME
            )
            if not removed:  # a row ticked for removal is not saved: its errors stop nothing
                self.add_form(form, number)

    def add_form(self, form: BaseForm, row: int | None) -> None:
        if not form.is_bound or not form.errors:
            return
        if row is None:
            self.form_errors.extend(map(str, form.non_field_errors()))
        else:  # a row's own errors link to the row's first field
            first = next(
                (field for field in form.visible_fields() if field.name != DELETION_FIELD_NAME),
                None,
            )
            for message in form.non_field_errors():
                if first is None:
                    self.form_errors.append(str(message))
                else:
                    self.field_errors.append(FieldError(target_id(first), "", row, str(message)))
        for field in form:
            if not field.errors:
                continue
            if field.is_hidden:  # no input to move to: said as the form's own
                self.form_errors.extend(map(str, field.errors))
                continue
            target = self.targets.get(field.name) or target_id(field)
            for message in field.errors:
                self.field_errors.append(FieldError(target, str(field.label), row, str(message)))


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms: Any, **targets: str) -> dict[str, Any]:
    summary = Summary(targets)
    for thing in forms:
        summary.add(thing)
    return {"form_errors": summary.form_errors, "field_errors": summary.field_errors}
