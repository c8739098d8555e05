"""A form field for several files at once (Django's documented recipe); what each file is, is
checked by the workflow that stores it (turvaportaal.lib.uploads)."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

DOCUMENT_TYPES = ".pdf,.png,.jpg,.jpeg"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": DOCUMENT_TYPES}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data if item]
        return [clean_one(data, initial)] if data else []
