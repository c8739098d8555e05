"""Estonian first, English second: the catalogue is complete and the compiled file is current."""

import gettext
from pathlib import Path

import polib
import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "et" / "LC_MESSAGES"


def test_every_message_has_an_estonian_translation():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_the_compiled_catalogue_matches_the_source():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    with (LOCALE / "django.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for entry in catalogue.translated_entries():
        context = entry.msgctxt
        if entry.msgid_plural:
            for count, msgstr in ((1, entry.msgstr_plural[0]), (2, entry.msgstr_plural[1])):
                if context:
                    found = compiled.npgettext(context, entry.msgid, entry.msgid_plural, count)
                else:
                    found = compiled.ngettext(entry.msgid, entry.msgid_plural, count)
                assert found == msgstr, entry.msgid
        else:
            found = (
                compiled.pgettext(context, entry.msgid)
                if context
                else compiled.gettext(entry.msgid)
            )
            assert found == entry.msgstr, entry.msgid


@pytest.mark.django_db
def test_estonian_is_the_default_and_english_can_be_chosen(client):
    assert "Logi sisse" in client.get(reverse("login")).content.decode()
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True
    )
    page = response.content.decode()
    assert '<html lang="en">' in page and "Sign in" in page
    response = client.post(
        reverse("set_language"), {"language": "et", "next": reverse("login")}, follow=True
    )
    assert '<html lang="et">' in response.content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_estonian_until_english_is_chosen(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="et">' in response.content.decode()
