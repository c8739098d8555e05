"""Form fields as crispy-bootstrap5 writes them, written in Python: crispy renders a field
through several templates and a choice list through one more an option, which made a page of
activity rows (a dozen fields and two check box lists a row) slower than its data. The markup
is crispy's, so that the pages look and read the same; file inputs and fields of two inputs are
left to crispy."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

REQUIRED = mark_safe('<span class="asteriskField">*</span>')


def _help_and_errors(field: BoundField) -> SafeString:
    errors = format_html_join(
        "",
        '<p id="error_{}_{}" class="invalid-feedback"><strong>{}</strong></p>',
        ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
    )
    help_text = (
        format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
        )
        if field.help_text
        else ""
    )
    return format_html("{}{}", errors, help_text)


def _label_text(field: BoundField) -> SafeString:
    return format_html("{}{}", field.label, REQUIRED if field.field.required else "")


def _choice_list(field: BoundField) -> SafeString:
    invalid = " is-invalid" if field.errors else ""
    options = format_html_join(
        "",
        '<div class="form-check"><input type="{}" class="form-check-input{}" name="{}" '
        'value="{}" id="{}"{}><label for="{}" class="form-check-label">{}</label></div>',
        (
            (
                option.data["type"],
                invalid,
                field.html_name,
                option.data["value"],
                option.id_for_label,
                mark_safe(" checked") if option.data["selected"] else "",
                option.id_for_label,
                option.choice_label,
            )
            for option in field.subwidgets
        ),
    )
    return format_html(
        '<div id="div_{}" class="mb-3"><fieldset{}><legend class="form-label{} fs-6">{}</legend>'
        "<div>{}</div>{}</fieldset></div>",
        field.auto_id,
        format_html(' aria-describedby="{}_helptext"', field.auto_id) if field.help_text else "",
        " requiredField" if field.field.required else "",
        _label_text(field),
        options,
        _help_and_errors(field),
    )


@register.simple_tag
def bootstrap_field(field: BoundField) -> SafeString:
    """The field with its label, help text and errors, in Bootstrap's classes."""
    widget = field.field.widget
    if field.is_hidden:
        return field.as_widget()
    if isinstance(widget, (forms.FileInput, forms.MultiWidget)):
        return as_crispy_field(field)
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        return _choice_list(field)
    invalid = " is-invalid" if field.errors else ""
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}'
            '<label for="{}" class="form-check-label">{}</label>{}</div></div>',
            field.auto_id,
            field.as_widget(attrs={"class": f"form-check-input{invalid}"}),
            field.id_for_label,
            _label_text(field),
            _help_and_errors(field),
        )
    base = "form-select" if isinstance(widget, forms.Select) else "form-control"
    css = widget.attrs.get("class", base)
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}</label>{}{}</div>',
        field.auto_id,
        field.id_for_label,
        " requiredField" if field.field.required else "",
        _label_text(field),
        field.as_widget(attrs={"class": f"{css}{invalid}"}),
        _help_and_errors(field),
    )
