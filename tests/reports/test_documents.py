"""The printed reports: each document rendered to PDF and read back with pypdf."""

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from PIL import Image
from pypdf import PdfReader

from actionplans.models import Activity, Component, Indicator, Measurement, PlanIndicator
from actionplans.services import start_plan
from applications.models import StatusChange
from counselling.models import CounsellingSession, NextStep
from grants.models import BudgetLine, ExpenditureReview, LedgerEntry
from learning.models import (
    Organiser,
    SharingEvent,
    Training,
    TrainingParticipant,
    TrainingType,
)
from programme.models import Cohort, Municipality, Participation, ServiceProvider
from reports import pdf
from reports.documents import (
    Document,
    application_document,
    municipality_report,
    programme_report,
)
from tests.factories import ApplicationFactory, CallFactory, complete_application

pytestmark = pytest.mark.django_db

PERIOD = (date(2025, 1, 1), date(2025, 12, 31))
# Every letter Estonian has beyond ASCII (õ ä ö ü š ž), in a text the reports print.
WORDS = "õppepäevad, ühisüritused, šeffide ja žürii töö"
INDICATORS = ["BUILDING_FIRES", "ALCOHOL_SALES_VIOLATIONS", "FEELING_SAFE"]


def _participation(municipality: Municipality, cohort: Cohort, provider: ServiceProvider) -> Any:
    participation = Participation.objects.create(
        municipality=municipality,
        cohort=cohort,
        start_on=date(2025, 1, 1),
        end_on=date(2026, 12, 31),
        source=Participation.Source.IMPORT,
        service_provider=provider,
    )
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(participation=participation, category=category, description=text, amount=amount)
        for category, text, amount in [
            ("staff", "Koordinaatori töötasu", Decimal("20000.00")),
            ("training", f"Koolitused: {WORDS}", Decimal("10000.00")),
            ("communication", "Teavitus ja trükised", Decimal("5000.00")),
        ]
    )
    entries = LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                participation=participation,
                kind="disbursement",
                amount=Decimal("17500.00"),
                entry_on=date(2025, 2, 1),
                tranche=1,
            ),
            *(
                LedgerEntry(
                    participation=participation,
                    kind="expenditure",
                    amount=Decimal("412.35") + month,
                    entry_on=date(2025, month, 10),
                    budget_line=lines[month % 3],
                    description="Arve",
                    supplier="Tarnija OÜ",
                    invoice_number=f"A-{month}",
                )
                for month in range(1, 13)
            ),
        ]
    )
    ExpenditureReview.objects.bulk_create(
        ExpenditureReview(entry=entry, is_approved=True) for entry in entries[1:10]
    )
    plan = start_plan(participation=participation)
    plan.updates.filter(quarter_start_on__lt=date(2025, 7, 1)).update(
        narrative=f"Kvartalis toimusid {WORDS}.",
        submitted_at=timezone.now(),
    )
    for component, status in zip(
        Component, ["done", "in_progress", "in_progress", "planned", "planned"], strict=True
    ):
        Activity.objects.create(
            plan=plan,
            title=f"{component.label[:40]} – tegevus",
            component=component,
            start_month=1,
            end_month=12,
            responsible="Turvalisuse spetsialist",
            status=status,
        )
    for code, baseline, target, values in [
        (INDICATORS[0], "12", "8", ["11", "10", "11", "9"]),
        (INDICATORS[1], "9", "3", ["8", "7", "7", "5"]),
        (INDICATORS[2], "71", "80", ["72", "72", "74", "70"]),
    ]:
        monitored = PlanIndicator.objects.create(
            plan=plan,
            indicator=Indicator.objects.get(code=code, municipality=None),
            baseline_value=Decimal(baseline),
            baseline_on=date(2024, 12, 31),
            target_value=Decimal(target),
            target_on=date(2026, 12, 31),
        )
        Measurement.objects.bulk_create(
            Measurement(
                plan_indicator=monitored,
                value=Decimal(value),
                measured_on=date(2025, 3 * quarter, 28),
            )
            for quarter, value in enumerate(values, 1)
        )
    for month in range(1, 13):
        session = CounsellingSession.objects.create(
            participation=participation,
            service_provider=provider,
            held_on=date(2025, month, 15),
            duration_hours=Decimal("1.75"),
            format="on_site" if month % 2 else "online",
            topics=["action_plan", "indicators"],
            summary="Tegevuskava ülevaatus",
            confirmation="confirmed" if month < 11 else "awaiting",
        )
        NextStep.objects.create(
            session=session,
            description="Saata täiendatud tegevuskava",
            owner="Turvalisuse spetsialist",
            due_on=date(2025, month, 28),
            status="done" if month < 12 else "open",
        )
    return participation


def _programme_year(count: int) -> list[Participation]:
    """``count`` participations with a year of plans, money, counselling and learning."""
    provider = ServiceProvider.objects.create(name="Turvalise Kogukonna Nõustajad OÜ")
    cohort, _ = Cohort.objects.get_or_create(stage=1, start_year=2025)
    rapla = Municipality.objects.get(ehak_code="0668")
    others = Municipality.objects.exclude(pk=rapla.pk).order_by("pk")[: count - 1]
    participations = [_participation(m, cohort, provider) for m in [rapla, *others]]
    for index, training_type in enumerate(TrainingType):
        training = Training.objects.create(
            title=f"Koolitus {index}",
            training_type=training_type,
            organiser=Organiser.PPA,
            starts_on=date(2025, 3 + index, 5),
            place="Paide",
            capacity=200,
        )
        TrainingParticipant.objects.bulk_create(
            TrainingParticipant(
                training=training,
                municipality=p.municipality,
                name=f"Õpetaja Šmidt {person}",
                kind="official",
                role="spetsialist",
                attended=True,
            )
            for p in participations
            for person in range(2)
        )
    for month in (4, 9):
        event = SharingEvent.objects.create(
            title="Kogemuspäev Järvamaal",
            held_on=date(2025, month, 20),
            level=SharingEvent.Level.NATIONAL,
            host="Siseministeerium",
        )
        event.presenters.set([participations[0].municipality])
        event.attendees.set([p.municipality for p in participations[1:]])
    return participations


def _flat(text: str) -> str:
    """Extracted text on one line, words hyphenated at a line's end joined again."""
    return " ".join(re.sub("[\u2010-]\n", "", text).split())


def _read(content: bytes) -> tuple[PdfReader, str]:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _submitted_application() -> Any:
    # Quotes and angle brackets: the title is printed in the running header's CSS too.
    call = CallFactory(title='Taotlusvoor "2027" </style> ühine')
    application = complete_application(
        ApplicationFactory(call=call, created_at=datetime(2026, 4, 20, 9, 0, tzinfo=UTC))
    )
    application.motivation = f"Tahame, et {WORDS} muutuks igapäevaseks."
    application.status = "submitted"
    # 06:59 UTC on 10 May is 09:59 in Tallinn (summer time).
    application.submitted_at = datetime(2026, 5, 10, 6, 59, tzinfo=UTC)
    application.save()
    StatusChange.objects.create(
        application=application,
        from_status="",
        to_status="draft",
        changed_at=application.created_at,
    )
    StatusChange.objects.create(
        application=application,
        from_status="draft",
        to_status="submitted",
        changed_at=application.submitted_at,
    )
    return application


def test_municipality_report_in_estonian_and_english():
    [participation] = _programme_year(1)
    documents = {}
    for language in ["et", "en"]:
        with translation.override(language):
            documents[language] = municipality_report(
                participation=participation, period_start=PERIOD[0], period_end=PERIOD[1]
            )
    reader, text = _read(pdf.render_pdf(documents["et"], language="et"))
    assert 4 <= len(reader.pages) <= 10
    assert reader.metadata.title == documents["et"].title
    assert "Rapla vald" in documents["et"].title
    assert reader.trailer["/Root"]["/Lang"] == "et"
    assert WORDS in _flat(text)
    for heading in ["Tegevuskava", "Seireindikaatorid", "Toetus", "Nõustamine"]:
        assert heading in text
    assert "Hoonetulekahjud" in text  # an indicator, named in the report's language
    assert "35\xa0000,00\xa0€" in text  # money as Estonian writes it, with no-break spaces

    reader, text = _read(pdf.render_pdf(documents["en"], language="en"))
    assert reader.metadata.title.startswith("Progress report: Rapla vald")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    for heading in ["Action plan", "Indicators", "Grant", "Counselling", "Trainings"]:
        assert heading in text
    assert "Building fires" in text and "35,000.00\xa0€" in text
    # A municipality that has only just joined gets a report too.
    newcomer = Participation.objects.create(
        municipality=Municipality.objects.get(ehak_code="0296"),
        cohort=participation.cohort,
        start_on=date(2025, 10, 1),
        end_on=date(2027, 9, 30),
        source=Participation.Source.IMPORT,
    )
    with translation.override("en"):
        html = municipality_report(
            participation=newcomer, period_start=PERIOD[0], period_end=PERIOD[1]
        ).html
    assert "has not started its action plan yet" in html
    # Its whole grant is one budget line, not yet allocated, from the day it joined: named in
    # the report's language.
    assert "Not yet allocated" in html and "Veel jaotamata" not in html
    # The cover has no running header or footer; the pages after it say which of how many.
    assert "Page" not in reader.pages[0].extract_text()
    assert f"Page 2 of {len(reader.pages)}" in reader.pages[1].extract_text()


def test_programme_report_has_contents_with_page_numbers_and_every_municipality():
    participations = _programme_year(4)
    with translation.override("en"):
        document = programme_report(period_start=PERIOD[0], period_end=PERIOD[1])
    reader, text = _read(pdf.render_pdf(document, language="en"))
    assert reader.metadata.title == document.title == "Programme report 01.01.2025–31.12.2025"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert 8 <= len(reader.pages) <= 20
    for participation in participations:
        assert text.count(participation.municipality.name) >= 5
    contents = " ".join(reader.pages[1].extract_text().split())
    for number, heading in enumerate(
        ["Participating municipalities", "The county map", "Grant disbursed and spent"], 1
    ):
        page = int(re.search(rf"{number}\. {heading}[ .]*(\d+)", contents)[1])
        assert f"{number}. {heading}" in reader.pages[page - 1].extract_text()
    assert "7. Risks" in text and "under-spending" in text
    assert WORDS not in text  # budget lines are the municipality report's detail


def test_programme_report_queries_do_not_grow_with_participations(django_assert_num_queries):
    _programme_year(2)
    with CaptureQueriesContext(connection) as two:
        programme_report(period_start=PERIOD[0], period_end=PERIOD[1])
    provider = ServiceProvider.objects.get()
    cohort = Cohort.objects.get()
    for municipality in Municipality.objects.filter(participation__isnull=True)[:3]:
        _participation(municipality, cohort, provider)
    with django_assert_num_queries(len(two)):
        document = programme_report(period_start=PERIOD[0], period_end=PERIOD[1])
    assert document.html.count('class="bar"') == 5 * len(INDICATORS)


def test_application_document_prints_every_section_and_the_receipt_time():
    application = _submitted_application()
    with translation.override("et"):
        document = application_document(application=application)
    reader, text = _read(pdf.render_pdf(document, language="et"))
    assert reader.metadata.title == document.title
    assert reader.trailer["/Root"]["/Lang"] == "et"
    assert document.title == 'Omavalitsuse Rapla vald taotlus: Taotlusvoor "2027" </style> ühine'
    assert len(reader.pages) >= 3
    assert 'Taotlusvoor "2027" </style> ühine' in reader.pages[1].extract_text()
    flat = _flat(text)
    for part in ["Taotlusvorm", "Eelarve", "Volikogu või valitsuse otsus", "Ajalugu", "Analüüs"]:
        assert part in flat
    assert WORDS in flat and "otsus.pdf" in flat and "20\xa0000,00\xa0€" in text
    assert "10. mai 2026, 09:59" in flat  # received, in Tallinn time


def test_fetcher_serves_only_the_portals_static_files(tmp_path):
    served = pdf.portal_url_fetcher(f"{pdf.BASE_URL}static/css/print.css")
    assert served.content_type == "text/css"
    assert b"@page" in served.read()
    for url in [
        "file:///etc/passwd",
        "http://example.org/x.css",
        "https://example.org/static/css/print.css",
        "data:text/css,body{color:red}",
        f"{pdf.BASE_URL}static/../turvaportaal/settings.py",
        f"{pdf.BASE_URL}static/../../../../usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        f"{pdf.BASE_URL}static/%2e%2e/%2e%2e/%2e%2e/etc/passwd.css",
        f"{pdf.BASE_URL}static/css/..%2f..%2fturvaportaal/settings.css",
        f"{pdf.BASE_URL}static//etc/passwd.css",
        f"{pdf.BASE_URL}static/css/missing.css",
        f"{pdf.BASE_URL}turvaportaal/settings.py",
    ]:
        with pytest.raises(pdf.RefusedResource):
            pdf.portal_url_fetcher(url)


def test_a_render_leaves_out_what_the_fetcher_refuses(tmp_path):
    """Local files and other hosts a document names never reach the PDF: not a style sheet that
    would add text and change the page size, nor an image; the rest prints."""
    style = tmp_path / "secret.css"
    style.write_text('@page { size: 100mm 100mm } p::after { content: " SALAJANE" }')
    image = tmp_path / "secret.png"
    Image.new("RGB", (20, 20), "red").save(image)
    html = (
        f'<html><head><link rel="stylesheet" href="{style.as_uri()}">'
        '<link rel="stylesheet" href="http://example.org/x.css"></head>'
        f'<body><p>Šokolaad</p><img src="{image.as_uri()}"><img src="file:///etc/passwd">'
        "</body></html>"
    )
    reader, text = _read(pdf.render_pdf(Document(title="Proov", html=html), language="et"))
    assert "Šokolaad" in text and reader.metadata.title == "Proov"
    assert "SALAJANE" not in text
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595  # A4, not the style sheet's 100 mm
    assert not page.images
