import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from grants import services
from grants.models import LedgerEntry
from programme.models import Cohort, Municipality, Participation
from tests.factories import UserFactory, pdf_bytes
from tests.grants.conftest import expenditure_kwargs

pytestmark = pytest.mark.django_db


def post_expenditure(client, participation, line, amount, **extra):
    data = {
        "budget_line": line.pk,
        "amount": amount,
        "entry_on": timezone.localdate().isoformat(),
        "description": "Koolituse arve",
        "supplier": "Koolitaja OÜ",
        "invoice_number": "K-7",
    } | extra
    return client.post(reverse("ledger_expenditure", args=[participation.pk]), data, follow=True)


class TestBadInput:
    @pytest.mark.parametrize(
        ("amount", "message"),
        [
            ("-5", "The amount must be more than zero."),
            ("0", "The amount must be more than zero."),
            ("1.005", "at most 2 decimals"),
            ("palju", "Enter the amount as a number"),
            ("10000.01", "more than the line&#x27;s remaining 10,000.00\N{NO-BREAK SPACE}€"),
        ],
    )
    def test_each_gets_a_message_and_changes_nothing(
        self, client_for, kov_a, participation, training_line, amount, message
    ):
        response = post_expenditure(client_for(kov_a, "en"), participation, training_line, amount)
        assert message in response.content.decode()
        assert not LedgerEntry.objects.exists()

    def test_a_date_outside_the_period(self, client_for, kov_a, participation, training_line):
        day = (participation.end_on + timedelta(days=1)).isoformat()
        response = post_expenditure(
            client_for(kov_a, "en"), participation, training_line, "10", entry_on=day
        )
        assert "The date must lie within the participation" in response.content.decode()

    def test_a_document_is_checked_by_content(
        self, client_for, kov_a, participation, training_line
    ):
        fake = SimpleUploadedFile("arve.pdf", b"not really a pdf", "application/pdf")
        response = post_expenditure(
            client_for(kov_a, "en"), participation, training_line, "10", document=fake
        )
        assert "neither a PDF nor a PNG or JPEG image" in response.content.decode()
        # The browser's name and type are its word: the name is kept as data only.
        real = SimpleUploadedFile("Arve 2024 <x>.pdf", pdf_bytes(), "text/html")
        post_expenditure(client_for(kov_a, "en"), participation, training_line, "10", document=real)
        entry = LedgerEntry.objects.get()
        assert re.fullmatch(rf"ledger/{participation.pk}/[0-9a-f]{{32}}\.pdf", entry.document.name)
        download = client_for(kov_a).get(
            reverse("ledger_document", args=[participation.pk, entry.pk])
        )
        assert download["Content-Disposition"].startswith("attachment")
        assert "Arve 2024" in download["Content-Disposition"]
        assert download["Content-Type"] == "application/pdf"
        assert download["X-Content-Type-Options"] == "nosniff"

    def test_a_refused_expenditure_comes_back_as_typed_and_asks_for_the_file_again(
        self, client_for, kov_a, participation, training_line
    ):
        document = SimpleUploadedFile("arve.pdf", pdf_bytes(), "application/pdf")
        response = post_expenditure(
            client_for(kov_a, "en"),
            participation,
            training_line,
            "10000.01",
            document=document,
            entry_on=timezone.localdate().strftime("%d.%m.%Y"),
        )
        form = response.context["expenditure_form"]
        assert form.data["amount"] == "10000.01"
        assert form.data["invoice_number"] == "K-7"
        assert form.data["entry_on"] == timezone.localdate().strftime("%d.%m.%Y")
        assert form.errors["document"] == [
            "Choose the file again: a form sent back does not keep it."
        ]
        html = response.content.decode()
        assert 'value="10000.01"' in html and 'value="Koolitaja OÜ"' in html
        assert not LedgerEntry.objects.exists()

    def test_a_reversal_of_a_reversal_is_refused(
        self, client_for, kov_a, participation, training_line
    ):
        entry = services.record_expenditure(
            **expenditure_kwargs(participation, training_line, "10", kov_a)
        )
        reversal = services.reverse_entry(entry=entry, reason="Viga", user=kov_a)
        response = client_for(kov_a, "en").post(
            reverse("ledger_reverse", args=[participation.pk, reversal.pk]),
            {"reason": "x"},
            follow=True,
        )
        assert "A reversal cannot be reversed." in response.content.decode()

    def test_a_forged_post_to_another_municipalitys_ledger_is_404(
        self, client_for, kov_b, participation, training_line
    ):
        response = post_expenditure(client_for(kov_b), participation, training_line, "10")
        assert response.status_code == 404
        assert not LedgerEntry.objects.exists()


class TestAccess:
    def test_the_municipality_sees_and_reports_on_its_own_ledger(
        self, client_for, kov_a, participation
    ):
        client = client_for(kov_a)
        assert client.get(reverse("ledger", args=[participation.pk])).status_code == 200
        assert client.get(reverse("ledger_overview")).status_code == 403
        assert (
            client.post(reverse("ledger_disbursement", args=[participation.pk])).status_code == 403
        )

    def test_the_assigned_provider_reads_only(
        self, client_for, provider, participation, training_line
    ):
        client = client_for(provider)
        assert client.get(reverse("ledger", args=[participation.pk])).status_code == 200
        assert post_expenditure(client, participation, training_line, "10").status_code == 403
        other = UserFactory(role=Role.PROVIDER)
        assert client_for(other).get(reverse("ledger", args=[participation.pk])).status_code == 404

    def test_ministry_sees_all_and_approves(
        self, client_for, kov_a, ministry, participation, training_line
    ):
        entry = services.record_expenditure(
            **expenditure_kwargs(participation, training_line, "10", kov_a)
        )
        client = client_for(ministry)
        client.post(reverse("ledger_review", args=[participation.pk, entry.pk]), {"approve": "1"})
        assert entry.review.is_approved
        assert post_expenditure(client, participation, training_line, "10").status_code == 403


def test_the_exports_equal_the_overview_to_the_cent(
    client_for, kov_a, ministry, participation, training_line
):
    for amount in ["1234.56", "0.01", "99.99"]:
        services.record_expenditure(
            **expenditure_kwargs(participation, training_line, amount, kov_a)
        )
    services.record_disbursement(
        participation=participation,
        amount=Decimal("17500.00"),
        entry_on=timezone.localdate(),
        tranche=1,
        user=ministry,
    )
    client = client_for(ministry, "en")
    page = client.get(reverse("ledger_overview"))
    [row] = page.context["rows"]
    assert row.spent == Decimal("1334.56") and row.disbursed == Decimal("17500.00")
    lines = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("ledger_export", args=["csv"])).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert lines[1][2:7] == ["35000.00", "17500.00", "1334.56", "1334.56", "33665.44"]
    assert lines[-1][0] == "Total" and lines[-1][4] == "1334.56"
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("ledger_export", args=["xlsx"])).content)
    )
    sheet = workbook.active
    assert Decimal(str(sheet.cell(row=2, column=5).value)) == Decimal("1334.56")


def test_the_entries_export_totals_what_counts_as_spent(
    client_for, kov_a, ministry, participation, training_line
):
    kept = services.record_expenditure(
        **expenditure_kwargs(participation, training_line, "100.10", kov_a)
    )
    rejected = services.record_expenditure(
        **expenditure_kwargs(participation, training_line, "50.00", kov_a)
    )
    services.record_expenditure(**expenditure_kwargs(participation, training_line, "0.90", kov_a))
    services.review_expenditure(entry=kept, approve=True, reason="", user=ministry)
    services.review_expenditure(entry=rejected, approve=False, reason="Ei sobi", user=ministry)
    client = client_for(ministry, "en")
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("ledger_entries_export", args=["csv"])).content.decode(
                    "utf-8-sig"
                )
            ),
            delimiter=";",
        )
    )
    assert len(rows) == 1 + 3 + 1
    assert rows[-1][7] == "101.00"
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("ledger_entries_export", args=["xlsx"])).content)
    )
    assert workbook.sheetnames == ["Overview", "Rapla vald"]
    assert Decimal(str(workbook["Rapla vald"].cell(row=5, column=7).value)) == Decimal("101.00")
    assert Decimal(str(workbook["Overview"].cell(row=2, column=5).value)) == Decimal("101.00")


@pytest.fixture
def two_pages_of_participations(participation, staff_line, kov_a, ministry):
    """Rapla's participation with money of every kind, and 27 more (half of them a cohort
    earlier), each with its own grant and disbursement: 28 rows, two pages of the overview."""
    approved = services.record_expenditure(
        **expenditure_kwargs(participation, staff_line, "1000.10", kov_a)
    )
    rejected = services.record_expenditure(
        **expenditure_kwargs(participation, staff_line, "2000.20", kov_a)
    )
    reversed_entry = services.record_expenditure(
        **expenditure_kwargs(participation, staff_line, "300.30", kov_a)
    )
    services.record_expenditure(**expenditure_kwargs(participation, staff_line, "0.99", kov_a))
    services.review_expenditure(entry=approved, approve=True, reason="", user=ministry)
    services.review_expenditure(entry=rejected, approve=False, reason="Ei sobi", user=ministry)
    services.reverse_entry(entry=reversed_entry, reason="Topelt", user=kov_a)
    services.record_disbursement(
        participation=participation,
        amount=Decimal("17500.00"),
        entry_on=timezone.localdate(),
        tranche=1,
        user=ministry,
    )
    earlier = Cohort.objects.create(stage=2, start_year=participation.cohort.start_year - 1)
    others = Municipality.objects.exclude(pk=participation.municipality_id).order_by("pk")[:27]
    for n, municipality in enumerate(others, 1):
        other = Participation.objects.create(
            municipality=municipality,
            cohort=earlier if n % 2 else participation.cohort,
            start_on=participation.start_on,
            end_on=participation.end_on,
            source=Participation.Source.SELECTION,
            grant_amount=Decimal(f"{30000 + n}.50"),
        )
        services.record_disbursement(
            participation=other,
            amount=Decimal(f"{n}.{n:02d}"),
            entry_on=timezone.localdate(),
            tranche=1,
            user=ministry,
        )


def test_the_overview_pages_the_rows_and_totals_the_whole_programme(
    client_for, ministry, two_pages_of_participations
):
    client = client_for(ministry, "en")
    first = client.get(reverse("ledger_overview"))
    second = client.get(reverse("ledger_overview"), {"page": 2})
    lines = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("ledger_export", args=["csv"])).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    *rows, total = lines[1:]
    assert len(first.context["rows"]) == 25 and len(second.context["rows"]) == 3
    # The pages follow one another in the order of the export, which lists every row.
    shown = [row for page in (first, second) for row in page.context["rows"]]
    assert [row.participation.municipality.name for row in shown] == [row[0] for row in rows]
    assert [
        [str(row.disbursed), str(row.spent), str(row.pending), str(row.remaining)] for row in shown
    ] == [[row[3], row[4], row[5], row[6]] for row in rows]
    # Each page's total row is the whole programme's, not its page's.
    others = range(1, 28)
    grant = Decimal("35000.00") + sum(Decimal(f"{30000 + n}.50") for n in others)
    disbursed = Decimal("17500.00") + sum(Decimal(f"{n}.{n:02d}") for n in others)
    expected = {
        "grant": grant,
        "disbursed": disbursed,
        "spent": Decimal("1001.09"),
        "approved": Decimal("1000.10"),
        "pending": Decimal("0.99"),
        "remaining": grant - Decimal("1001.09"),
    }
    assert first.context["total"] == expected
    assert second.context["total"] == expected
    assert total[2:7] == [
        str(expected[key]) for key in ["grant", "disbursed", "spent", "pending", "remaining"]
    ]


def test_the_spending_chart_has_dates_on_its_time_axis(client_for, kov_a, participation):
    chart = client_for(kov_a).get(reverse("ledger", args=[participation.pk])).context["chart"]
    labels = [label for _x, label, _anchor in chart["x_labels"]]
    assert labels[0] == participation.start_on.strftime("%d.%m.%Y")
    assert labels[-1] == participation.end_on.strftime("%d.%m.%Y")
    assert len(labels) == 5
    xs = [float(x) for x, _label, _anchor in chart["x_labels"]]
    assert xs == sorted(xs) and xs[0] == 56.0 and xs[-1] == chart["width"] - 8


def test_each_label_of_the_ledger_names_an_input_of_its_own(client_for, kov_a, participation):
    # The entries' filter and the expenditure form have fields of the same names.
    page = client_for(kov_a).get(reverse("ledger", args=[participation.pk])).content.decode()
    assert page.count('name="budget_line"') == 2
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert set(re.findall(r'\sfor="([^"]+)"', page)) <= set(ids)
