"""How the portal's fields render, through Django's own hooks (FORM_RENDERER):

- every widget gets Bootstrap's class, and ``is-invalid`` with an error (the bound field);
- ``{{ field.as_field_group }}`` writes the label, the widget, the help text and the errors in
  Bootstrap's markup (templates/forms/field.html).

Whole forms render through crispy (``{{ form|crispy }}``). Pages of many fields (the rows of a
formset, a list's filter) use the field template: crispy draws a field through several templates,
which made a plan's activity rows slower than their data and a list slower than admin's."""

from typing import Any

from django.forms import BoundField, Widget, widgets
from django.forms.renderers import TemplatesSetting


def bootstrap_class(widget: Widget) -> str:
    if isinstance(widget, (widgets.CheckboxInput, widgets.RadioSelect)):
        return "form-check-input"  # a check box, and each box of a list (RadioSelect's kind)
    if isinstance(widget, widgets.Select):
        return "form-select"
    return "form-control"


class BootstrapBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: Widget | None = None) -> Any:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        classes = [
            *str(widget.attrs.get("class", "")).split(),
            *str(attrs.get("class", "")).split(),
            bootstrap_class(widget),
        ]
        if self.form.is_bound and self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(dict.fromkeys(classes))
        return attrs


class FormRenderer(TemplatesSetting):
    """Django's renderer over the project's templates (TEMPLATES), with the field template and
    the bound field above."""

    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField
