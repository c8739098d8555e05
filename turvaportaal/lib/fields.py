"""Forms and their fields as crispy-bootstrap5 writes them, written in Python: crispy renders a
field through several templates and a choice list through one more an option, which made a page
of activity rows (a dozen fields and two check box lists a row) slower than its data, and a list
page with a form in it slower than Django admin's. The markup is crispy's, so that the pages look
and read the same (tests/test_fields.py compares the two); file inputs and fields of two inputs
are left to crispy."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from turvaportaal.lib.renderers import html_attrs

register = template.Library()

REQUIRED = mark_safe('<span class="asteriskField">*</span>')


def _errors(field: BoundField) -> SafeString:
    if not field.errors:
        return mark_safe("")
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        field.auto_id,
        format_html_join(
            "",
            '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
        ),
    )


def _help(field: BoundField) -> SafeString:
    if not field.help_text:
        return mark_safe("")
    # Escaped, unlike crispy's: a help text may one day quote what a user typed.
    return format_html(
        '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
    )


def _label_text(field: BoundField) -> SafeString:
    return format_html("{}{}", field.label, REQUIRED if field.field.required else "")


def _required_class(field: BoundField) -> str:
    return " requiredField" if field.field.required else ""


def _widget(field: BoundField, css: str) -> SafeString:
    """The input with crispy's classes: the widget's own (or its class name), then ``css``."""
    widget = field.field.widget
    name = type(widget).__name__.lower()
    classes = widget.attrs.get("class", "")
    classes = (classes if name in classes else f"{classes} {name}") if classes else name
    for extra in css.split():
        if extra not in classes.split():
            classes += f" {extra}"
    return field.as_widget(attrs={"class": classes})


def _choice_list(field: BoundField) -> SafeString:
    """Radio buttons or check boxes in a fieldset, the errors after the last one."""
    widget = field.field.widget
    invalid = " is-invalid" if field.errors else ""
    attrs = field.build_widget_attrs({"id": widget.attrs.get("id") or field.auto_id})
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()), attrs)
    parts = []
    for group_number, (group, options, _index) in enumerate(groups, 1):
        if group:
            parts.append(format_html("<strong>{}</strong>", group))
        for number, option in enumerate(options, 1):
            last = number == len(options) and group_number == len(groups)
            parts.append(
                format_html(
                    '<div class="form-check"><input type="{}" class="form-check-input{}" name="{}"'
                    ' value="{}"{}><label for="{}" class="form-check-label">{}</label>{}</div>',
                    option["type"],
                    invalid,
                    field.html_name,
                    str(option["value"]),
                    html_attrs(option["attrs"]),
                    option["attrs"].get("id", ""),
                    str(option["label"]),
                    _errors(field) if last else "",
                )
            )
    return format_html(
        '<div id="div_{}" class="mb-3"><fieldset{}><legend class="form-label{} fs-6">{}</legend>'
        "<div>{}</div>{}</fieldset></div>",
        field.auto_id,
        format_html(' aria-describedby="{}"', field.aria_describedby)
        if field.aria_describedby
        else "",
        _required_class(field),
        _label_text(field),
        mark_safe("".join(parts)),
        _help(field),
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
            '<label for="{}" class="form-check-label{}">{}</label>{}{}</div></div>',
            field.auto_id,
            _widget(field, f"form-check-input{invalid}"),
            field.id_for_label,
            _required_class(field),
            _label_text(field),
            _errors(field),
            _help(field),
        )
    label = (
        format_html(
            '<label for="{}" class="form-label{}">{}</label>',
            field.id_for_label,
            _required_class(field),
            _label_text(field),
        )
        if field.label
        else ""
    )
    base = "form-select" if isinstance(widget, forms.Select) else "form-control"
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>',
        field.auto_id,
        label,
        _widget(field, f"{base}{invalid}"),
        _errors(field),
        _help(field),
    )


@register.simple_tag
def bootstrap_form(form: forms.BaseForm) -> SafeString:
    """What `{{ form|crispy }}` writes: the form's own errors, then each field."""
    errors = form.non_field_errors()
    alert = (
        format_html(
            '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
            format_html_join("", "<li>{}</li>", ((error,) for error in errors)),
        )
        if errors
        else ""
    )
    return format_html("{}{}", alert, mark_safe("".join(bootstrap_field(field) for field in form)))
