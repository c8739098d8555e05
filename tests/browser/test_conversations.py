"""A municipality writes in its participation's thread with a file attached, in real Chromium: a
bad file is refused with the text kept, a good one goes, the provider reads the message and
downloads the file, and axe finds nothing wrong with the page."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from conversations.models import Message
from notifications.models import Kind, Notification
from tests.browser.conftest import sign_in
from tests.browser.test_error_summary import assert_axe_finds_nothing
from tests.counselling.conftest import make_participation
from tests.factories import pdf_bytes

pytestmark = pytest.mark.browser

TEXT = "Saadame koolituse päevakava.\nPalun kinnitage kuupäev."


def test_a_message_with_an_attachment_is_posted_and_read(new_page, kov_a, provider, ministry):
    participation = make_participation(kov_a, provider.service_provider)
    thread = reverse("conversation", args=[participation.pk])

    page = new_page()
    sign_in(page, kov_a.email)
    page.locator(f'main a[href="{thread}"]').click()
    page.wait_for_url(f"**{thread}")
    assert_axe_finds_nothing(page)

    # A file that is no PDF: refused by name and reason, the text kept.
    page.locator("#id_body").fill(TEXT)
    page.locator("#id_attachments").set_input_files(
        files=[{"name": "paevakava.pdf", "mimeType": "application/pdf", "buffer": b"plain text"}]
    )
    page.locator("main form button[type=submit]").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("paevakava.pdf")
    expect(page.locator("#id_body")).to_have_value(TEXT)
    assert not Message.objects.exists()
    assert_axe_finds_nothing(page)
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_attachments")).to_be_focused()

    page.locator("#id_attachments").set_input_files(
        files=[{"name": "paevakava.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.locator("main form button[type=submit]").click()
    message = Message.objects.get()
    page.wait_for_url(f"**{thread}#message-{message.pk}")
    posted = page.locator(f"#message-{message.pk}")
    expect(posted).to_contain_text("Saadame koolituse päevakava.")
    expect(posted.get_by_role("link", name="paevakava.pdf")).to_be_visible()
    expect(page.locator("#id_body")).to_have_value("")
    with override("et"):
        expect(page.get_by_role("status").first).to_contain_text(gettext("Your message was sent."))
    assert_axe_finds_nothing(page)
    assert Notification.objects.filter(kind=Kind.MESSAGE_POSTED, recipient=provider).exists()

    counsellor = new_page()
    sign_in(counsellor, provider.email)
    counsellor.locator(f'main a[href="{thread}"]').click()
    read = counsellor.locator(f"#message-{message.pk}")
    expect(read).to_contain_text("Palun kinnitage kuupäev.")
    expect(read).to_contain_text(kov_a.full_name)
    with counsellor.expect_download() as download:
        read.get_by_role("link", name="paevakava.pdf").click()
    assert download.value.suggested_filename == "paevakava.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == pdf_bytes()
