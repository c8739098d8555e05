"""The charts in real Chromium: no label's box touches another's or leaves its chart, with long
periods, many months and large values, at a desktop's width and a phone's, in Estonian and
English; and axe finds nothing on the pages that hold them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from actionplans import services
from actionplans.models import Indicator, Measurement, PlanIndicator
from counselling.models import CounsellingSession
from learning.models import TrainingType
from tests.browser.conftest import sign_in
from tests.counselling.conftest import make_participation
from tests.learning.conftest import add_participant, make_training

pytestmark = pytest.mark.browser

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

# Each chart's text boxes as the browser lays them out, and the chart's own box.
TEXT_BOXES = """
(svg) => {
    const box = (r) => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    return {
        chart: box(svg.getBoundingClientRect()),
        texts: [...svg.querySelectorAll('text')].map(text => ({
            text: text.textContent, ...box(text.getBoundingClientRect()),
        })),
    };
}
"""


def overlapping(texts):
    return [
        (a["text"], b["text"])
        for index, a in enumerate(texts)
        for b in texts[index + 1 :]
        if a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    ]


def outside(chart, texts):
    return [
        t["text"]
        for t in texts
        if t["left"] < chart["left"] - 0.5
        or t["right"] > chart["right"] + 0.5
        or t["top"] < chart["top"] - 0.5
        or t["bottom"] > chart["bottom"] + 0.5
    ]


@pytest.fixture
def charted(kov_a, provider):
    """Rapla vald: an indicator over 15 years with large values measured every quarter, 30
    months of counselling with gaps, and trainings attended of every type."""
    participation = make_participation(kov_a, provider.service_provider)
    plan = services.start_plan(participation=participation)
    monitored = PlanIndicator.objects.create(
        plan=plan,
        indicator=Indicator.objects.get(code="CRIME_TOTAL"),
        baseline_value=Decimal("123456.7"),
        baseline_on=date(2015, 12, 31),
        target_value=Decimal("98765.4"),
        target_on=date(2030, 12, 31),
    )
    Measurement.objects.bulk_create(
        Measurement(
            plan_indicator=monitored,
            measured_on=date(2016 + quarter // 4, 3 * (quarter % 4) + 1, 1),
            value=Decimal(120000 - 300 * quarter),
        )
        for quarter in range(40)
    )
    today = timezone.localdate()
    CounsellingSession.objects.bulk_create(
        CounsellingSession(
            participation=participation,
            service_provider=provider.service_provider,
            held_on=today - timedelta(days=30 * month),
            duration_hours=Decimal("1.25") * (month % 5),
            format=CounsellingSession.Format.ONLINE,
            summary="Kokkuvõte",
        )
        for month in range(30)
        if month % 5
    )
    for kind in TrainingType:
        training = make_training(
            title=str(kind.label), training_type=kind, starts_on=today - timedelta(days=3)
        )
        for n in range(3):
            add_participant(training, kov_a.municipality, f"Inimene {n}", attended=True)
    return plan


@pytest.mark.parametrize("language", ["et", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_chart_labels_never_overlap_and_the_pages_pass_axe(
    new_page, live_server, kov_a, charted, language, width
):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, kov_a.email)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    urls = {
        reverse("plan_indicators", args=[charted.pk]): "svg.indicator-chart",
        reverse("counselling_totals"): "#hours-per-month-chart",
        reverse("dashboard"): "#trained-chart",
    }
    axe = Axe()
    for url, selector in urls.items():
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        charts = page.locator(selector)
        assert charts.count() >= 1, url
        for index in range(charts.count()):
            found = charts.nth(index).evaluate(TEXT_BOXES)
            texts = found["texts"]
            assert len(texts) >= 3, (url, texts)
            assert not overlapping(texts), (url, overlapping(texts))
            assert not outside(found["chart"], texts), (url, outside(found["chart"], texts))
        violations = axe.run(page, options=WCAG_21_AA).response["violations"]
        assert not violations, (url, [(v["id"], v["nodes"][0]["target"]) for v in violations])
    # The indicator's unit is written on its chart in the page's language.
    page.goto(next(iter(urls)))
    with translation.override(language):
        unit = charted.indicators.get().indicator.get_unit_display()
    assert page.locator("svg.indicator-chart .chart-unit").text_content() == unit
