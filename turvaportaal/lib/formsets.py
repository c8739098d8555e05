"""Formsets: how many rows they take, and rows that ask the database once, not once each."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.models import BaseInlineFormSet, inlineformset_factory

from turvaportaal.lib.ids import posted_id

# The most rows a formset takes in one request. The row count is the client's to state (the
# management form), so a request claiming more is refused instead of building and showing
# every form Django's own limit (2,000) would allow.
MAX_ROWS = 100


class ExistingRowField(forms.ModelChoiceField):
    """The hidden id of a formset row, found among the rows the formset has loaded already.

    Django's own id field looks each row up with a query of its own, and in the whole table:
    this one only takes a row of this formset.
    """

    def __init__(self, formset: BaseInlineFormSet, field: forms.ModelChoiceField) -> None:  # type: ignore[type-arg]
        super().__init__(
            queryset=field.queryset, required=False, widget=field.widget, initial=field.initial
        )
        self.formset = formset

    def to_python(self, value: Any) -> Model | None:
        if value in self.empty_values:
            return None
        row = self.formset._existing_object(posted_id(str(value)))  # type: ignore[attr-defined]
        if row is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return row


class BatchedInlineFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """An inline formset whose queries do not grow with its rows.

    - Each form's selects would read their choices again: the first form reads them and the
      others take them, so every form must offer the same choices (validation still checks
      what is sent against each field's queryset).
    - The rows' ids are checked against the rows loaded once (ExistingRowField).
    - The rows' many-to-many choices are saved together, three queries a field, instead of a
      read and a write for every row.
    """

    def add_fields(self, form: "forms.ModelForm[Any]", index: int | None) -> None:
        super().add_fields(form, index)
        pk_name = self._pk_field.name  # type: ignore[attr-defined]
        id_field = form.fields.get(pk_name)
        if isinstance(id_field, forms.ModelChoiceField):
            form.fields[pk_name] = ExistingRowField(self, id_field)
        shared: dict[str, list[Any]] = self.__dict__.setdefault("_shared_choices", {})
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField) and name != pk_name:
                if name not in shared:
                    shared[name] = list(field.iterator(field))
                field.choices = shared[name]

    def save(self, commit: bool = True) -> list[Any]:
        self._saved_forms: list[forms.ModelForm[Any]] = []
        saved = super().save(commit)
        if commit:
            self._save_many_to_many(self._saved_forms)
        return saved

    def save_new(self, form: "forms.ModelForm[Any]", commit: bool = True) -> Any:
        row = super().save_new(form, commit=False)
        return self._save_row(form, row, commit)

    def save_existing(self, form: "forms.ModelForm[Any]", obj: Any, commit: bool = True) -> Any:
        return self._save_row(form, form.save(commit=False), commit)

    def _save_row(self, form: "forms.ModelForm[Any]", row: Any, commit: bool) -> Any:
        if commit:
            row.save()
            self._saved_forms.append(form)
        return row

    def _save_many_to_many(self, saved_forms: list["forms.ModelForm[Any]"]) -> None:
        assert self.model is not None
        for field in self.model._meta.many_to_many:
            rows = [form for form in saved_forms if field.name in form.cleaned_data]
            if not rows:
                continue
            through = field.remote_field.through  # type: ignore[attr-defined]
            source = f"{field.m2m_field_name()}_id"  # type: ignore[attr-defined]
            target = f"{field.m2m_reverse_field_name()}_id"  # type: ignore[attr-defined]
            wanted = {
                (form.instance.pk, chosen.pk)
                for form in rows
                for chosen in form.cleaned_data[field.name]
            }
            links = through.objects.filter(**{f"{source}__in": [f.instance.pk for f in rows]})
            present = {(s, t): pk for pk, s, t in links.values_list("pk", source, target)}
            through.objects.filter(
                pk__in=[pk for pair, pk in present.items() if pair not in wanted]
            ).delete()
            through.objects.bulk_create(
                [through(**{source: s, target: t}) for s, t in wanted - present.keys()]
            )


def row_formset(parent_model: type[Model], model: type[Model], **options: Any) -> Any:
    """The portal's inline formset: at most MAX_ROWS rows, batched (BatchedInlineFormSet)."""
    return inlineformset_factory(
        parent_model,
        model,
        **{
            "formset": BatchedInlineFormSet,
            "max_num": MAX_ROWS,
            "absolute_max": MAX_ROWS,
            **options,
        },
    )
