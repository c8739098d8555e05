from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm

from programme.models import Call


@transaction.atomic
def save_call(*, form: ModelForm, formsets: list[BaseInlineFormSet]) -> Call:
    """Save a call with its start years and information sessions, all or nothing."""
    call = form.save()
    for formset in formsets:
        formset.instance = call
        formset.save()
    return call
