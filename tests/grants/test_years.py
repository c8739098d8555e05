"""The budget by calendar year: each line's yearly amounts, spending checked against the
year's, moves within the agreement's flexible share recorded at once, larger moves and moves
between years decided by the ministry, and the ledger's years and whole."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from grants import services
from grants.models import BudgetChange, BudgetYear, LedgerEntry, year_overview
from grants.services import PlannedLine
from notifications.models import Kind, Notification
from programme.models import Cohort, Participation

D = Decimal
pytestmark = pytest.mark.django_db


def make(kov_a, start_on, end_on, lines):
    participation = Participation(
        municipality=kov_a.municipality,
        cohort=Cohort.objects.create(stage=2, start_year=start_on.year),
        start_on=start_on,
        end_on=end_on,
        source=Participation.Source.SELECTION,
    )
    participation.planned_budget = lines
    participation.save()
    return participation


@pytest.fixture
def two_years(kov_a):
    """Last year and this: 10 000 for staff and 4 000 for trainings in each."""
    year = timezone.localdate().year
    return make(
        kov_a,
        date(year - 1, 1, 1),
        date(year, 12, 31),
        [
            PlannedLine("staff", "Koordinaator", D(20000), {year - 1: D(10000), year: D(10000)}),
            PlannedLine("training", "Koolitused", D(8000), {year - 1: D(4000), year: D(4000)}),
        ],
    )


def lines_of(participation):
    return {line.category: line for line in participation.budget_lines.all()}


def spend(participation, line, amount, on, user):
    return services.record_expenditure(
        participation=participation,
        budget_line=line,
        amount=D(amount),
        entry_on=on,
        description="Arve",
        supplier="Tarnija OÜ",
        invoice_number="A-1",
        document=None,
        user=user,
    )


def test_a_budget_is_split_between_the_years_by_the_days_in_each(kov_a):
    participation = make(
        kov_a,
        date(2026, 7, 1),
        date(2028, 6, 30),
        [PlannedLine("staff", "Koordinaator", D("20000.00"))],
    )
    staff = participation.budget_lines.get(category="staff")
    amounts = dict(BudgetYear.objects.filter(line=staff).values_list("year", "amount"))
    # Counted day by day: 184 days in 2026, 365 in 2027, 182 in 2028 (731 in all).
    days = {
        year: sum(1 for n in range(731) if (date(2026, 7, 1) + timedelta(days=n)).year == year)
        for year in (2026, 2027, 2028)
    }
    assert days == {2026: 184, 2027: 365, 2028: 182}
    assert amounts[2026] == (D(20000) * 184 / 731).quantize(D("0.01"))
    assert amounts[2027] == (D(20000) * 365 / 731).quantize(D("0.01"))
    assert sum(amounts.values()) == D("20000.00")
    # The reserve (the grant's unplanned part) is split too.
    per_line = {}
    for row in BudgetYear.objects.filter(line__participation=participation):
        per_line[row.line_id] = per_line.get(row.line_id, D(0)) + row.amount
    assert per_line == {line.pk: line.amount for line in participation.budget_lines.all()}


def test_spending_in_a_year_is_held_to_that_years_amount(two_years, kov_a, in_english):
    staff = lines_of(two_years)["staff"]
    year = timezone.localdate().year
    spend(two_years, staff, "9000.00", date(year - 1, 5, 1), kov_a)
    with pytest.raises(services.Refused, match=f"in {year - 1}'s budget"):
        spend(two_years, staff, "1000.01", date(year - 1, 6, 1), kov_a)
    # The line has 11 000 left over the two years, 10 000 of it this year.
    spend(two_years, staff, "10000.00", timezone.localdate(), kov_a)
    assert two_years.refused_entries.count() == 1


def test_a_small_move_within_a_year_is_recorded_without_a_decision(
    two_years, kov_a, ministry, in_english, django_capture_on_commit_callbacks
):
    lines = lines_of(two_years)
    year = timezone.localdate().year
    # 10 % of the staff line's 10 000 this year, and 25 % of the trainings' 4 000: the
    # trainings' side is past the share, so this waits.
    with django_capture_on_commit_callbacks(execute=True):
        big = services.request_budget_change(
            participation=two_years,
            deltas={(lines["staff"].pk, year): D(-1000), (lines["training"].pk, year): D(1000)},
            reason="Rohkem koolitusi",
            user=kov_a,
        )
    assert (big.status, big.within_flexible_share) == (BudgetChange.Status.PENDING, False)
    assert Notification.objects.filter(kind=Kind.BUDGET_CHANGE_REQUESTED).exists()

    small = services.request_budget_change(
        participation=two_years,
        deltas={(lines["staff"].pk, year): D(-400), (lines["training"].pk, year): D(400)},
        reason="Üks koolitus veel",
        user=kov_a,
    )
    assert (small.status, small.within_flexible_share) == (BudgetChange.Status.APPROVED, True)
    assert small.decided_by is None
    amounts = dict(BudgetYear.objects.filter(year=year).values_list("line__category", "amount"))
    assert amounts == {"staff": D("9600.00"), "training": D("4400.00"), "other": D("3500.00")}
    assert {line.category: line.amount for line in two_years.budget_lines.all()} == {
        "staff": D("19600.00"),
        "training": D("8400.00"),
        "other": D("7000.00"),
    }

    # The flexible moves of a line add up: 400 + 100 is 12.5 % of the trainings' 4 000 agreed.
    more = services.request_budget_change(
        participation=two_years,
        deltas={(lines["staff"].pk, year): D(-100), (lines["training"].pk, year): D(100)},
        reason="Ja veel",
        user=kov_a,
    )
    assert more.status == BudgetChange.Status.PENDING


def test_moving_money_between_years_is_always_the_ministrys_decision(two_years, kov_a, ministry):
    staff = lines_of(two_years)["staff"]
    year = timezone.localdate().year
    change = services.request_budget_change(
        participation=two_years,
        deltas={(staff.pk, year - 1): D(-1), (staff.pk, year): D(1)},
        reason="Järgmisse aastasse",
        user=kov_a,
    )
    assert change.status == BudgetChange.Status.PENDING
    services.decide_budget_change(change=change, approve=True, reason="", user=ministry)
    amounts = dict(BudgetYear.objects.filter(line=staff).values_list("year", "amount"))
    assert amounts == {year - 1: D("9999.00"), year: D("10001.00")}
    staff.refresh_from_db()
    assert staff.amount == D("20000.00")


def test_the_agreements_share_decides_what_moves_without_a_decision(two_years, kov_a, ministry):
    Agreement.objects.create(
        participation=two_years,
        number="2.1-3/26/1",
        start_on=two_years.start_on,
        end_on=two_years.end_on,
        ministry_signatory="Mari Mets",
        municipality_signatory="Jaan Tamm",
        grant_amount=two_years.grant_amount,
        flexible_share=D("0"),
    )
    lines = lines_of(two_years)
    year = timezone.localdate().year
    change = services.request_budget_change(
        participation=two_years,
        deltas={(lines["staff"].pk, year): D("-0.01"), (lines["training"].pk, year): D("0.01")},
        reason="Sent",
        user=kov_a,
    )
    assert change.status == BudgetChange.Status.PENDING


def test_a_move_may_not_leave_a_year_with_less_than_its_spending(two_years, kov_a, in_english):
    lines = lines_of(two_years)
    year = timezone.localdate().year
    spend(two_years, lines["training"], "3800.00", timezone.localdate(), kov_a)
    with pytest.raises(ValidationError, match=f"less in {year} than is already spent"):
        services.request_budget_change(
            participation=two_years,
            deltas={(lines["training"].pk, year): D(-300), (lines["staff"].pk, year): D(300)},
            reason="Tagasi",
            user=kov_a,
        )


def test_the_ledger_shows_each_year_and_the_whole_as_the_tables_hold_them(
    two_years, kov_a, ministry, client_for
):
    lines = lines_of(two_years)
    year = timezone.localdate().year
    kept = spend(two_years, lines["staff"], "1234.56", date(year - 1, 3, 1), kov_a)
    spend(two_years, lines["training"], "100.00", date(year - 1, 4, 1), kov_a)
    rejected = spend(two_years, lines["training"], "50.00", timezone.localdate(), kov_a)
    services.review_expenditure(entry=kept, approve=True, reason="", user=ministry)
    services.review_expenditure(entry=rejected, approve=False, reason="Ei sobi", user=ministry)
    spend(two_years, lines["staff"], "10.01", timezone.localdate(), kov_a)

    overview = year_overview(two_years)
    # Another way: the counting expenditures read one by one, and the yearly amounts.
    spent = {y: D("0.00") for y in overview.years}
    for entry in LedgerEntry.objects.filter(participation=two_years, kind="expenditure"):
        review = getattr(entry, "review", None)
        if review is None or review.is_approved:
            spent[entry.entry_on.year] += entry.amount
    budget = {y: D("0.00") for y in overview.years}
    for row in BudgetYear.objects.filter(line__participation=two_years):
        budget[row.year] += row.amount
    assert [cell.spent for cell in overview.by_year] == [spent[y] for y in overview.years]
    assert [cell.budget for cell in overview.by_year] == [budget[y] for y in overview.years]
    assert overview.whole.spent == sum(spent.values())
    assert overview.whole.budget == two_years.budget_lines.amount_total()

    html = client_for(kov_a, "en").get(reverse("ledger", args=[two_years.pk])).content.decode()
    assert "Budget by year" in html
    assert "1,334.56" in html and "10.01" in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_flexible_moves_at_once_never_pass_the_share_together(two_years, kov_a):
    """Each moves 6 % of this year's trainings; together they would be 12 %: one is recorded at
    once, the other waits for the ministry."""
    lines = lines_of(two_years)
    year = timezone.localdate().year
    start = threading.Barrier(2)
    made: list[BudgetChange] = []

    def move() -> None:
        try:
            start.wait()
            made.append(
                services.request_budget_change(
                    participation=two_years,
                    deltas={
                        (lines["training"].pk, year): D(-240),
                        (lines["staff"].pk, year): D(240),
                    },
                    reason="Korraga",
                    user=kov_a,
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(change.status for change in made) == ["approved", "pending"]
    assert BudgetYear.objects.get(line=lines["training"], year=year).amount == D("3760.00")


def test_the_progress_report_shows_each_year_and_the_whole(two_years, kov_a):
    from django.utils import translation

    from reports.documents import municipality_report

    lines = lines_of(two_years)
    year = timezone.localdate().year
    spend(two_years, lines["staff"], "2500.00", date(year - 1, 2, 1), kov_a)
    spend(two_years, lines["staff"], "99.99", timezone.localdate(), kov_a)
    with translation.override("en"):
        html = municipality_report(
            participation=two_years, period_start=two_years.start_on, period_end=two_years.end_on
        ).html
    table = html[
        html.index("<table data-years>") : html.index("</table>", html.index("<table data-years>"))
    ]
    # Last year: 10 000 + 4 000 + the reserve's 3 500; this year the same.
    assert (
        f'<td>{year - 1}</td><td class="num">17,500.00\xa0€</td><td class="num">2,500.00\xa0€</td>'
        in table
    )
    assert (
        f'<td>{year}</td><td class="num">17,500.00\xa0€</td><td class="num">99.99\xa0€</td>'
        in table
    )
    assert "35,000.00\xa0€" in table and "2,599.99\xa0€" in table
