"""The ministry asks a municipality for more information about its application, and the
municipality answers with a file, in real Chromium at a phone's width in Estonian: the refused
forms open on their error summary, and axe finds nothing on the new pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications import evaluation
from inquiries.models import InformationRequest
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import Checker
from tests.factories import CallFactory, pdf_bytes, under_evaluation

pytestmark = pytest.mark.browser


def test_ask_and_answer_with_a_file(new_page, live_server, ministry, kov_a):
    call = CallFactory(
        opens_at=timezone.now() - timedelta(days=60),
        deadline_at=timezone.now() - timedelta(days=1),
    )
    evaluation.ensure_default_criteria(call)
    application = under_evaluation(call, kov_a.municipality)
    checker = Checker("et")

    # The ministry opens the application and asks, the budget opened for changes.
    page = checker.new_page(new_page)
    sign_in(page, ministry.email)
    page.goto(reverse("application_detail", args=[application.pk]))
    ask_url = reverse("inquiry_ask", args=["application", application.pk])
    page.locator(f"main a[href='{ask_url}']").click()
    page.wait_for_url(f"**{ask_url}")
    checker.check(page, "ministry", "the question")
    page.locator("main form button[type=submit]").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#id_question']")).to_be_visible()
    checker.check(page, "ministry", "the question, refused")
    page.locator("#id_question").fill("Miks on koordinaatori tasu nii suur?")
    page.locator("input[name=sections][value=budget]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('application_detail', args=[application.pk])}")
    request = InformationRequest.objects.get()
    expect(page.locator("main")).to_contain_text("Rapla vald")
    expect(
        page.locator(f"main a[href='{reverse('inquiry_detail', args=[request.pk])}']")
    ).to_be_visible()
    checker.check(page, "ministry", "the application, waiting")

    # The municipality finds the question on its start page and answers it, with a file.
    page = checker.new_page(new_page)
    sign_in(page, kov_a.email)
    page.goto(reverse("dashboard"))
    page.locator(f"main a[href='{reverse('inquiry_list')}?state=open']").click()
    page.wait_for_url(f"**{reverse('inquiry_list')}?state=open")
    checker.check(page, "municipality", "the requests")
    page.locator(f"main a[href='{reverse('inquiry_detail', args=[request.pk])}']").click()
    page.wait_for_url(f"**{reverse('inquiry_detail', args=[request.pk])}")
    checker.check(page, "municipality", "the request")
    answer_url = reverse("inquiry_answer", args=[request.pk])
    page.locator(f"main a[href='{answer_url}']").click()
    page.wait_for_url(f"**{answer_url}")
    expect(page.locator("main")).to_contain_text("Miks on koordinaatori tasu nii suur?")
    checker.check(page, "municipality", "the answer")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    checker.check(page, "municipality", "the answer, refused")
    page.locator("#id_answer").fill("Tasu on vähendatud.")
    page.locator("#id_attachment").set_input_files(
        files=[{"name": "selgitus.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('inquiry_answered', args=[request.pk])}")
    expect(page.get_by_role("status").first).to_be_visible()
    checker.check(page, "municipality", "the confirmation")
    page.goto(reverse("application_detail", args=[application.pk]))
    expect(page.locator("main")).to_contain_text("Tasu on vähendatud.")
    checker.check(page, "municipality", "the application, answered")

    request.refresh_from_db()
    assert request.answered_by == kov_a and request.attachment_name == "selgitus.pdf"
    checker.assert_clean()
