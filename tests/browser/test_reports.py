"""The report status page in real Chromium: it follows the rendering without a reload."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports import rendering
from reports.models import Report
from tests.browser.conftest import sign_in
from tests.counselling.conftest import make_participation

pytestmark = pytest.mark.browser


def test_the_status_page_shows_the_download_when_the_report_is_ready(new_page, kov_a, provider):
    participation = make_participation(kov_a, provider.service_provider)
    # Recorded as the queue would hold it; the worker's part is played below.
    report = Report.objects.create(
        kind=Report.Kind.MUNICIPALITY,
        language="et",
        participation=participation,
        period_start=date(timezone.localdate().year, 1, 1),
        period_end=timezone.localdate(),
        requested_by=kov_a,
    )
    page = new_page()
    sign_in(page, kov_a.email)
    page.goto(f"/reports/{report.pk}/")
    status = page.locator("[data-status-label]")
    expect(status).to_contain_text("Järjekorras")
    download = page.get_by_role("link", name="Laadi alla PDF-fail")
    expect(download).to_be_hidden()

    rendering.render(rendering.start_rendering(report.pk))

    expect(download).to_be_visible(timeout=15_000)
    expect(status).to_contain_text("Valmis")
    with page.expect_download() as pdf:
        download.click()
    assert pdf.value.suggested_filename.endswith(".pdf")
