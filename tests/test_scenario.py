"""A programme built as its people would build it (tests/scenario_data.py: a call, applications,
scoring and the confirmed selection, approved plans, a year of ledger entries with reversals and
budget changes, counselling and trainings), and every figure its pages, exports and reports show
to each role checked against a recomputation from the tables: plain SQL, added up in Python.
Nothing here asks the app's own QuerySets for a figure."""

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Role
from accounts.testing import force_login
from applications.models import Status
from grants.models import EntryState
from reports import documents
from tests import scenario_data
from tests.conftest import rows_of_the_module

pytestmark = pytest.mark.django_db

D = Decimal
CENT = D("0.01")
NBSP = "\N{NO-BREAK SPACE}"


# ---------------------------------------------------------------------------------------------
# The world, once a module
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world_of_the_module(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SimpleNamespace]:
    with rows_of_the_module(django_db_blocker, tmp_path_factory.mktemp("scenario")):
        yield scenario_data.build()


@pytest.fixture
def world(world_of_the_module: SimpleNamespace, db: None) -> SimpleNamespace:
    return world_of_the_module


def signed_in(user: Any, language: str = "et") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return force_login(client, user)


def page(user: Any, url: str) -> Any:
    response = signed_in(user).get(url)
    assert response.status_code == 200, url
    return response


def text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# Numbers as the pages write them
# ---------------------------------------------------------------------------------------------


def et(amount: Decimal) -> str:
    """A decimal as a page shows it in Estonian: 17500,00 (Django does not group thousands)."""
    return f"{amount.quantize(CENT, ROUND_HALF_UP)}".replace(".", ",")


def eur(amount: Decimal) -> str:
    """An amount as the portal writes it in sentences and the printed reports: 17 500,00 € with
    no-break spaces."""
    grouped = f"{amount.quantize(CENT, ROUND_HALF_UP):,}"
    return grouped.replace(",", NBSP).replace(".", ",") + f"{NBSP}€"


def hours_et(hours: Decimal) -> str:
    """Hours as floatformat:"-2" writes them: 3 or 2,25."""
    if hours == hours.to_integral():
        return str(int(hours))
    return et(hours)


# ---------------------------------------------------------------------------------------------
# The recomputation: plain SQL, added up in Python
# ---------------------------------------------------------------------------------------------


def sql(query: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


@dataclass
class Line:
    pk: int
    category: str
    description: str
    amount: Decimal
    approved: Decimal = D("0.00")
    pending: Decimal = D("0.00")

    @property
    def spent(self) -> Decimal:
        return self.approved + self.pending

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.spent

    @property
    def percent(self) -> int:
        return int(self.spent * 100 / self.amount) if self.amount else 0


@dataclass
class Ledger:
    pk: int
    name: str
    cohort: tuple[int, int]
    start_on: date
    end_on: date
    grant: Decimal
    disbursed: Decimal = D("0.00")
    approved: Decimal = D("0.00")
    pending: Decimal = D("0.00")
    refused: int = 0
    oldest_pending_at: datetime | None = None
    lines: dict[int, Line] = field(default_factory=dict)
    states: dict[int, str] = field(default_factory=dict)
    entries: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def spent(self) -> Decimal:
        return self.approved + self.pending

    @property
    def remaining(self) -> Decimal:
        return self.grant - self.spent

    @property
    def underspending(self) -> bool:
        today = timezone.localdate()
        gone = (today - self.start_on).days / ((self.end_on - self.start_on).days or 1)
        return gone >= 0.75 and self.spent < self.grant / 2

    @property
    def waiting_long(self) -> bool:
        return self.oldest_pending_at is not None and (
            timezone.now() - self.oldest_pending_at > timedelta(days=30)
        )


def ledgers_in_sql(since: date | None = None, until: date | None = None) -> dict[str, Ledger]:
    """Every participation's money by municipality name, counting the entries dated from
    ``since`` to ``until``: reversed entries and rejected expenditures count for nothing."""
    ledgers = {
        row[1]: Ledger(row[0], row[1], (row[2], row[3]), row[4], row[5], row[6])
        for row in sql(
            """
            SELECT p.id, m.name, c.stage, c.start_year, p.start_on, p.end_on, p.grant_amount
            FROM programme_participation p
            JOIN programme_municipality m ON m.id = p.municipality_id
            JOIN programme_cohort c ON c.id = p.cohort_id
            """
        )
    }
    by_pk = {ledger.pk: ledger for ledger in ledgers.values()}
    for pk, participation, category, description, amount in sql(
        "SELECT id, participation_id, category, description, amount FROM grants_budgetline"
        " ORDER BY id"
    ):
        by_pk[participation].lines[pk] = Line(pk, category, description, amount)
    for participation, n in sql(
        "SELECT participation_id, COUNT(*) FROM grants_refusedentry GROUP BY participation_id"
    ):
        by_pk[participation].refused = n
    entries = sql(
        """
        SELECT e.id, e.participation_id, e.kind, e.amount, e.budget_line_id, e.entry_on,
               e.created_at, r.is_approved,
               EXISTS (SELECT 1 FROM grants_ledgerentry x WHERE x.reverses_id = e.id),
               e.description, e.supplier, e.invoice_number
        FROM grants_ledgerentry e LEFT JOIN grants_expenditurereview r ON r.entry_id = e.id
        ORDER BY e.entry_on, e.id
        """
    )
    for pk, participation, kind, amount, line, on, created, approved, reversed_, *rest in entries:
        ledger = by_pk[participation]
        if reversed_:
            state = "reversed"
        elif kind != "expenditure":
            state = ""
        elif approved is None:
            state = "pending"
        else:
            state = "approved" if approved else "rejected"
        ledger.states[pk] = state
        ledger.entries.append((pk, on, kind, line, amount, state, *rest))
        if (since and on < since) or (until and on > until):
            continue
        if kind == "disbursement" and state == "":
            ledger.disbursed += amount
        elif state == "approved":
            ledger.approved += amount
            ledger.lines[line].approved += amount
        elif state == "pending":
            ledger.pending += amount
            ledger.lines[line].pending += amount
            if ledger.oldest_pending_at is None or created < ledger.oldest_pending_at:
                ledger.oldest_pending_at = created
    return ledgers


def sessions_in_sql(where: str = "", params: tuple[Any, ...] = ()) -> dict[str, Any]:
    [(sessions, hours, awaiting, disputed)] = sql(
        f"""
        SELECT COUNT(*), COALESCE(SUM(s.duration_hours), 0),
               COUNT(*) FILTER (WHERE s.confirmation = 'awaiting'),
               COUNT(*) FILTER (WHERE s.confirmation = 'disputed')
        FROM counselling_counsellingsession s
        JOIN programme_participation p ON p.id = s.participation_id
        {where}
        """,
        params,
    )
    return {
        "sessions": sessions,
        "hours": D(hours).quantize(CENT),
        "awaiting": awaiting,
        "disputed": disputed,
    }


def county_map_in_sql(call_id: int | None) -> dict[str, tuple[list[str], int, list[str]]]:
    """Each county's municipalities in the programme, free places and applicants (handed in to
    the call), by EHAK code."""
    limits = dict(sql("SELECT ehak_code, participant_limit FROM programme_county"))
    participants: dict[str, list[str]] = defaultdict(list)
    for code, name in sql(
        """
        SELECT c.ehak_code, m.name FROM programme_participation p
        JOIN programme_municipality m ON m.id = p.municipality_id
        JOIN programme_county c ON c.id = m.county_id ORDER BY m.name
        """
    ):
        participants[code].append(name)
    applicants: dict[str, list[str]] = defaultdict(list)
    for code, name in sql(
        """
        SELECT c.ehak_code, m.name FROM applications_application a
        JOIN programme_municipality m ON m.id = a.municipality_id
        JOIN programme_county c ON c.id = m.county_id
        WHERE a.call_id = %s AND a.status <> 'draft' ORDER BY m.name
        """,
        [call_id],
    ):
        applicants[code].append(name)
    return {
        code: (participants[code], max(limit - len(participants[code]), 0), applicants[code])
        for code, limit in limits.items()
    }


def current_call_in_sql() -> int:
    [(pk,)] = sql(
        "SELECT id FROM programme_call WHERE opens_at <= %s ORDER BY opens_at DESC, id DESC"
        " LIMIT 1",
        [timezone.now()],
    )
    return pk


def results_in_sql(call_id: int) -> dict[str, Decimal]:
    """Each application's result: every criterion's scores averaged over the evaluators who
    submitted, weighted by the criterion."""
    scores: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    weights: dict[int, Decimal] = {}
    for name, criterion, value, weight in sql(
        """
        SELECT m.name, s.criterion_id, s.value, c.weight
        FROM applications_score s
        JOIN applications_assignment a ON a.id = s.assignment_id
        JOIN applications_application ap ON ap.id = a.application_id
        JOIN programme_municipality m ON m.id = ap.municipality_id
        JOIN applications_criterion c ON c.id = s.criterion_id
        WHERE ap.call_id = %s AND a.submitted_at IS NOT NULL
        """,
        [call_id],
    ):
        scores[name][criterion].append(value)
        weights[criterion] = weight
    return {
        name: (
            sum((weights[c] * D(sum(v)) / len(v) for c, v in by_criterion.items()), D(0))
            / sum((weights[c] for c in by_criterion), D(0))
        ).quantize(D("0.000001"))
        for name, by_criterion in scores.items()
    }


def tile_rows(tiles: Any) -> dict[str, tuple[list[str], int, int, list[str]]]:
    return {
        tile.ehak_code: (
            list(tile.participants),
            tile.free_places,
            tile.applications,
            list(tile.applicants),
        )
        for tile in tiles
    }


def expected_tiles(
    call_id: int | None, *, named: bool
) -> dict[str, tuple[list[str], int, int, list[str]]]:
    return {
        code: (participants, free, len(applicants), applicants if named else [])
        for code, (participants, free, applicants) in county_map_in_sql(call_id).items()
    }


def assert_map_table_says(html: str, expected: dict[str, tuple[list[str], int, int, list[str]]]):
    """The map's table: who is in the programme, the free places and the applications."""
    for code, (participants, free, applications, applicants) in expected.items():
        names = f" ({', '.join(applicants)})" if applicants else ""
        row = re.search(rf'<tr data-county="{code}"><th scope="row">[^<]*</th>(.*?)</tr>', html)
        assert row, code
        assert row[1] == (
            f'<td>{", ".join(participants) or "—"}</td><td class="text-end">{free}</td>'
            f"<td>{applications}{names}</td>"
        ), code


# ---------------------------------------------------------------------------------------------
# The intake, the evaluation and the selection
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ministry", "admin"])
def test_the_applications_list_counts_every_status_as_the_table_holds_it(world, persona):
    counted = dict(sql("SELECT status, COUNT(*) FROM applications_application GROUP BY status"))
    budgets = dict(
        sql(
            """
            SELECT a.id, COALESCE(SUM(b.amount), 0) FROM applications_application a
            LEFT JOIN applications_budgetline b ON b.application_id = a.id GROUP BY a.id
            """
        )
    )
    response = page(world.users[persona], reverse("application_list"))

    shown = [n for _label, n in response.context["status_counts"]]
    assert shown == [counted.get(status, 0) for status in Status.values]
    assert response.context["listing"].page.paginator.count == sum(counted.values())
    listed = {a.pk: D(a.budget_total).quantize(CENT) for a in response.context["listing"].page}
    assert listed == budgets
    html = text(response)
    counts = html.split('<ul class="list-inline">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"<strong>(\d+)</strong>", counts) == [str(n) for n in shown]
    for amount in budgets.values():
        assert f'<td class="text-end">{eur(amount)}</td>' in html
    # Two calls: drafts (one of them withdrawn), three handed in to the open call, three
    # selected and one not in the first.
    assert counted == {"draft": 3, "submitted": 3, "selected": 3, "not_selected": 1}


def test_the_evaluation_overview_shows_each_result_and_evaluator_count_from_the_scores(world):
    call = world.call
    results = results_in_sql(call.pk)
    progress = {
        name: (n, submitted, conflicts)
        for name, n, submitted, conflicts in sql(
            """
            SELECT m.name, COUNT(*), COUNT(a.submitted_at),
                   COUNT(*) FILTER (WHERE a.has_conflict)
            FROM applications_assignment a
            JOIN applications_application ap ON ap.id = a.application_id
            JOIN programme_municipality m ON m.id = ap.municipality_id
            WHERE ap.call_id = %s GROUP BY m.name
            """,
            [call.pk],
        )
    }
    handed_in = [
        name
        for (name,) in sql(
            """
            SELECT m.name FROM applications_application a
            JOIN programme_municipality m ON m.id = a.municipality_id
            WHERE a.call_id = %s AND a.status <> 'draft' ORDER BY m.name, a.id
            """,
            [call.pk],
        )
    ]
    response = page(world.users["ministry"], reverse("evaluation_overview", args=[call.pk]))

    rows = {
        item.application.municipality.name: (
            item.result,
            (item.evaluators, item.submitted, item.conflicts),
        )
        for item, _form in response.context["rows"]
    }
    assert list(rows) == handed_in
    assert rows == {name: (results[name], progress[name]) for name in handed_in}
    assert progress["Keila linn"] == (2, 1, 1)  # the second evaluator declared a conflict
    html = text(response)
    for result in results.values():
        assert f'<td class="text-end">{et(result)}</td>' in html


def selection_by_the_rules(call_id: int) -> dict[str, int | None]:
    """Who the rules select: the highest results first, while the call's places and each
    county's participant limit (less the places taken before the call) last."""
    results = results_in_sql(call_id)
    counties = dict(
        sql(
            """
            SELECT m.name, c.ehak_code FROM applications_application a
            JOIN programme_municipality m ON m.id = a.municipality_id
            JOIN programme_county c ON c.id = m.county_id WHERE a.call_id = %s
            """,
            [call_id],
        )
    )
    [(year, places)] = sql(
        "SELECT year, places FROM programme_callstartyear WHERE call_id = %s", [call_id]
    )
    free = {
        code: limit - taken
        for code, limit, taken in sql(
            """
            SELECT c.ehak_code, c.participant_limit, COUNT(p.id) FILTER (WHERE p.source = 'import')
            FROM programme_county c
            LEFT JOIN programme_municipality m ON m.county_id = c.id
            LEFT JOIN programme_participation p ON p.municipality_id = m.id
            GROUP BY c.ehak_code, c.participant_limit
            """
        )
    }
    chosen: dict[str, int | None] = {}
    for name in sorted(results, key=lambda name: -results[name]):
        county = counties[name]
        if places and free[county] > 0:
            chosen[name], places, free[county] = year, places - 1, free[county] - 1
        else:
            chosen[name] = None
    return chosen


def test_the_confirmed_selection_and_its_map_agree_with_the_scores_and_the_tables(world):
    call = world.call
    chosen = selection_by_the_rules(call.pk)
    results = results_in_sql(call.pk)
    decided = {
        name: (year, result, status, participation)
        for name, year, result, status, participation in sql(
            """
            SELECT m.name, d.start_year, d.result, a.status, d.participation_id
            FROM applications_selectiondecision d
            JOIN applications_application a ON a.id = d.application_id
            JOIN programme_municipality m ON m.id = a.municipality_id
            WHERE a.call_id = %s
            """,
            [call.pk],
        )
    }
    assert {name: row[0] for name, row in decided.items()} == chosen
    assert {name: row[1] for name, row in decided.items()} == results
    assert {name: row[2] for name, row in decided.items()} == {
        name: "selected" if year else "not_selected" for name, year in chosen.items()
    }
    assert sum(1 for year in chosen.values() if year) == 3 and chosen["Märjamaa vald"] is None

    # Each selected municipality takes part from 1 January of its year for 24 months, with the
    # call's grant and the budget it applied with, the rest of the grant not yet allocated.
    for name, year in chosen.items():
        if year is None:
            assert decided[name][3] is None
            continue
        [(start_on, end_on, grant)] = sql(
            "SELECT start_on, end_on, grant_amount FROM programme_participation WHERE id = %s",
            [decided[name][3]],
        )
        assert (start_on, end_on, grant) == (date(year, 1, 1), date(year + 1, 12, 31), D("35000"))
        planned = dict(
            sql(
                """
                SELECT b.category, SUM(b.amount) FROM applications_budgetline b
                JOIN applications_application a ON a.id = b.application_id
                JOIN programme_municipality m ON m.id = a.municipality_id
                WHERE a.call_id = %s AND m.name = %s GROUP BY b.category
                """,
                [call.pk, name],
            )
        )
        planned["other"] = grant - sum(planned.values())
        moved = dict(
            sql(
                """
                SELECT b.category, SUM(l.delta) FROM grants_budgetchangeline l
                JOIN grants_budgetchange c ON c.id = l.change_id
                JOIN grants_budgetline b ON b.id = l.budget_line_id
                WHERE c.status = 'approved' AND c.participation_id = %s GROUP BY b.category
                """,
                [decided[name][3]],
            )
        )
        lines = dict(
            sql(
                "SELECT category, amount FROM grants_budgetline WHERE participation_id = %s",
                [decided[name][3]],
            )
        )
        assert lines == {c: amount + moved.get(c, 0) for c, amount in planned.items()}
        assert sum(lines.values()) == grant

    response = page(world.users["ministry"], reverse("selection", args=[call.pk]))
    shown = {
        d.application.municipality.name: (d.start_year, d.result)
        for d in response.context["decisions"]
    }
    assert shown == {name: (year, results[name]) for name, year in chosen.items()}
    expected = expected_tiles(call.pk, named=True)
    assert tile_rows(response.context["tiles"]) == expected
    assert expected["0071"] == (["Rapla vald"], 0, 2, ["Märjamaa vald", "Rapla vald"])
    assert_map_table_says(text(response), expected)


def test_the_public_county_map_shows_the_participants_free_places_and_the_current_calls_count(
    world, client
):
    current = current_call_in_sql()
    assert current == world.current_call.pk
    expected = expected_tiles(current, named=False)
    # The counties differ: Harju has a place left and an application, Järva is full.
    assert expected["0037"] == (["Keila linn"], 1, 1, [])
    assert expected["0052"] == (["Paide linn"], 0, 1, [])
    assert expected["0039"] == (["Hiiumaa vald"], 0, 0, [])
    response = client.get(reverse("programme_overview"))
    assert tile_rows(response.context["tiles"]) == expected
    assert response.context["listing"].page.paginator.count == len(ledgers_in_sql())
    html = text(response)
    assert_map_table_says(html, expected)
    assert "Harku vald" not in html  # an applicant is not named in public


# ---------------------------------------------------------------------------------------------
# The dashboards
# ---------------------------------------------------------------------------------------------


def counselling_sentence(summary: dict[str, Any], singular: str, plural: str, places: str) -> str:
    hours = et(summary["hours"]) if places == "2" else hours_et(summary["hours"])
    with translation.override("et"):
        return translation.ngettext(singular, plural, summary["sessions"]) % {
            "counter": summary["sessions"],
            "hours": hours,
        }


def dashboard_sentence(summary: dict[str, Any]) -> str:
    return counselling_sentence(
        summary,
        "%(counter)s session, %(hours)s hours.",
        "%(counter)s sessions, %(hours)s hours.",
        "2",
    )


def overdue_steps_in_sql(where: str = "", params: tuple[Any, ...] = ()) -> list[str]:
    return [
        description
        for (description,) in sql(
            f"""
            SELECT n.description FROM counselling_nextstep n
            JOIN counselling_counsellingsession s ON s.id = n.session_id
            JOIN programme_participation p ON p.id = s.participation_id
            WHERE n.status IN ('open', 'in_progress') AND n.due_on < %s {where}
            ORDER BY n.description
            """,
            (timezone.localdate(), *params),
        )
    ]


@pytest.mark.parametrize("persona", ["ministry", "admin"])
def test_the_ministrys_dashboard_counts_people_calls_and_counselling_from_the_tables(
    world, persona
):
    users = dict(sql("SELECT role, COUNT(*) FROM accounts_user WHERE is_active GROUP BY role"))
    calls = sql(
        """
        SELECT c.id, COUNT(a.id) FILTER (WHERE a.status <> 'draft'), COUNT(a.id)
        FROM programme_call c LEFT JOIN applications_application a ON a.call_id = c.id
        WHERE c.opens_at <= %s AND c.deadline_at > %s GROUP BY c.id
        """,
        [timezone.now(), timezone.now()],
    )
    response = page(world.users[persona], reverse("dashboard"))
    context = response.context

    assert [n for _label, n in context["users_by_role"]] == [users.get(r, 0) for r in Role.values]
    assert [(c.pk, c.submitted_count, c.application_count) for c in context["open_calls"]] == calls
    assert calls == [(world.current_call.pk, 3, 4)]
    summary = sessions_in_sql()
    assert context["counselling"] == summary
    assert summary == {"sessions": 4, "hours": D("7.50"), "awaiting": 1, "disputed": 1}
    assert sorted(s.description for s in context["overdue_steps"]) == overdue_steps_in_sql()
    html = text(response)
    assert dashboard_sentence(summary) in html
    assert "Saata tegevuskava mustand" in html  # Rapla's overdue step


def test_a_municipalitys_dashboard_counts_its_own_counselling_and_trainings(world):
    kov_a = world.users["kov_a"]
    mine = kov_a.municipality_id
    summary = sessions_in_sql("WHERE p.municipality_id = %s", (mine,))
    trained = {
        kind: (people, trainings)
        for kind, people, trainings in sql(
            """
            SELECT t.training_type, COUNT(DISTINCT LOWER(tp.name)), COUNT(DISTINCT t.id)
            FROM learning_trainingparticipant tp
            JOIN learning_training t ON t.id = tp.training_id
            WHERE tp.attended AND tp.municipality_id = %s GROUP BY t.training_type
            """,
            [mine],
        )
    }
    upcoming = [
        pk
        for (pk,) in sql(
            "SELECT id FROM learning_training WHERE starts_on >= %s ORDER BY starts_on, id LIMIT 3",
            [timezone.localdate()],
        )
    ]
    applications = {
        pk
        for (pk,) in sql(
            "SELECT id FROM applications_application WHERE municipality_id = %s", [mine]
        )
    }
    response = page(kov_a, reverse("dashboard"))
    context = response.context

    assert context["counselling"] == summary
    assert summary == {"sessions": 3, "hours": D("4.50"), "awaiting": 1, "disputed": 1}
    assert {
        row.training_type: (row.people, row.trainings) for row in context["trained"] if row.people
    } == trained
    assert trained == {"prevention": (1, 1)}  # Mari came, Jaan did not
    assert [t.pk for t in context["upcoming_trainings"]] == upcoming
    assert {a.pk for a in context["applications"]} == applications
    assert context["participation"].pk == world.participations["Rapla vald"].pk
    assert sorted(s.description for s in context["overdue_steps"]) == overdue_steps_in_sql(
        "AND p.municipality_id = %s", (mine,)
    )
    assert dashboard_sentence(summary) in text(response)


def test_a_providers_dashboard_counts_the_municipalities_assigned_to_it(world):
    provider = world.users["provider"]
    assigned = [
        name
        for (name,) in sql(
            """
            SELECT m.name FROM programme_participation p
            JOIN programme_municipality m ON m.id = p.municipality_id
            WHERE p.service_provider_id = %s ORDER BY m.name
            """,
            [provider.service_provider_id],
        )
    ]
    summary = sessions_in_sql("WHERE p.service_provider_id = %s", (provider.service_provider_id,))
    response = page(provider, reverse("dashboard"))

    assert [m.name for m in response.context["municipalities"]] == assigned
    assert assigned == ["Keila linn", "Rapla vald"]
    assert response.context["counselling"] == summary
    assert dashboard_sentence(summary) in text(response)


# ---------------------------------------------------------------------------------------------
# The ledger: the overview, each ledger, the exports
# ---------------------------------------------------------------------------------------------


def test_the_ledger_overview_shows_each_participations_money_and_the_programmes_total(world):
    ledgers = ledgers_in_sql()
    response = page(world.users["ministry"], reverse("ledger_overview"))
    rows = {
        row.participation.municipality.name: (
            row.disbursed,
            row.spent,
            row.pending,
            row.remaining,
            row.refused,
            row.underspending,
            row.waiting_long,
        )
        for row in response.context["rows"]
    }
    assert rows == {
        name: (
            ledger.disbursed,
            ledger.spent,
            ledger.pending,
            ledger.remaining,
            ledger.refused,
            ledger.underspending,
            ledger.waiting_long,
        )
        for name, ledger in ledgers.items()
    }
    rapla = ledgers["Rapla vald"]
    assert (rapla.disbursed, rapla.approved, rapla.pending) == (
        D("27500.00"),
        D("5450.75"),
        D("2045.99"),
    )
    assert ledgers["Keila linn"].refused == 1
    total = {
        "grant": sum(ledger.grant for ledger in ledgers.values()),
        "disbursed": sum(ledger.disbursed for ledger in ledgers.values()),
        "spent": sum(ledger.spent for ledger in ledgers.values()),
        "approved": sum(ledger.approved for ledger in ledgers.values()),
        "pending": sum(ledger.pending for ledger in ledgers.values()),
    }
    total["remaining"] = total["grant"] - total["spent"]
    assert response.context["total"] == total

    html = text(response)
    for ledger in ledgers.values():
        row = re.search(
            rf'<a href="{reverse("ledger", args=[ledger.pk])}">{ledger.name}</a></th>(.*?)</tr>',
            html,
            re.S,
        )
        figures = re.findall(r'<td class="text-end">([^<]*)</td>', row[1])
        assert figures == [
            eur(ledger.grant),
            eur(ledger.disbursed),
            eur(ledger.spent),
            eur(ledger.remaining),
        ]
    footer = html.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    assert re.findall(r'<td class="text-end fw-semibold">([^<]*)</td>', footer) == [
        eur(total[name]) for name in ("grant", "disbursed", "spent", "remaining")
    ]


LEDGER_OWNERS = {
    "Rapla vald": "kov_a",
    "Keila linn": "kov_b",
    "Paide linn": "kov_c",
    "Hiiumaa vald": None,
}


@pytest.mark.parametrize("name", list(LEDGER_OWNERS))
def test_each_ledger_page_shows_its_money_lines_and_entry_states_to_the_ministry_and_its_own(
    world, name
):
    ledger = ledgers_in_sql()[name]
    changes = dict(
        sql(
            "SELECT id, status FROM grants_budgetchange WHERE participation_id = %s",
            [ledger.pk],
        )
    )
    with translation.override("et"):
        header = (
            f"{gettext('Disbursed')} {eur(ledger.disbursed)} · {gettext('Spent')}"
            f" {eur(ledger.spent)} · {gettext('Remaining')} {eur(ledger.remaining)}"
        )
    viewers = ["ministry"] + ([LEDGER_OWNERS[name]] if LEDGER_OWNERS[name] else [])
    for viewer in viewers:
        response = page(world.users[viewer], reverse("ledger", args=[ledger.pk]))
        context = response.context
        money = context["money"]
        assert (money.disbursed, money.spent, money.pending, money.remaining) == (
            ledger.disbursed,
            ledger.spent,
            ledger.pending,
            ledger.remaining,
        )
        assert context["budget"] == sum(line.amount for line in ledger.lines.values())
        assert [
            (line.pk, line.amount, line.spent, line.pending_spent, line.remaining)
            for line in context["lines"]
        ] == [
            (line.pk, line.amount, line.spent, line.pending, line.remaining)
            for line in ledger.lines.values()
        ]
        assert {entry.pk: entry.state for entry in context["filter"].qs} == ledger.states
        assert {change.pk: change.status for change in context["changes"]} == changes

        html = text(response)
        assert header in html
        for line in ledger.lines.values():
            assert (
                f'<td class="text-end">{eur(line.amount)}</td><td class="text-end">'
                f'{eur(line.spent)}</td><td class="text-end">{eur(line.pending)}</td>'
                f'<td class="text-end">{eur(line.remaining)}</td>'
                f'<td class="text-end">{line.percent}</td>'
            ) in html
        shown = re.findall(r'<td class="text-end">(−?[\d,\xa0]+\xa0€)</td>\s*<td>([^<:]*)', html)
        with translation.override("et"):
            assert sorted(shown) == sorted(
                (
                    f"{'−' if kind == 'reversal' else ''}{eur(amount)}",
                    str(EntryState(state).label),
                )
                for _pk, _on, kind, _line, amount, state, *_rest in ledger.entries
            )
    if name == "Rapla vald":
        assert sorted(ledger.states.values()) == sorted(
            ["", "", "", "", "", "approved", "approved", "rejected", "reversed", "reversed"]
            + ["reversed", "pending", "pending"]
        )
        assert sorted(changes.values()) == ["approved", "refused"]


def overview_table_in_sql() -> tuple[list[list[Any]], list[Any]]:
    ledgers = ledgers_in_sql()
    rows: list[list[Any]] = [
        [
            ledger.name,
            ledger.grant,
            ledger.disbursed,
            ledger.spent,
            ledger.pending,
            ledger.remaining,
        ]
        for ledger in sorted(ledgers.values(), key=lambda ledger: (ledger.cohort[1], ledger.name))
    ]
    totals = [sum((row[index] for row in rows), D("0.00")) for index in range(1, 6)]
    return rows, totals


def amounts_of(row: list[Any]) -> list[Decimal]:
    return [D(str(value)).quantize(CENT) for value in row]


def test_the_ledger_overview_exports_say_what_the_tables_hold(world):
    rows, totals = overview_table_in_sql()
    client = signed_in(world.users["ministry"])

    lines = list(
        csv.reader(
            io.StringIO(text(client.get(reverse("ledger_export", args=["csv"]))).lstrip("\ufeff")),
            delimiter=";",
        )
    )
    assert [[line[0], *amounts_of(line[2:])] for line in lines[1:-1]] == rows
    assert amounts_of(lines[-1][2:]) == totals

    response = client.get(reverse("ledger_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [[row[0], *amounts_of(row[2:])] for row in cells[:-1]] == rows
    assert amounts_of(cells[-1][2:]) == totals


def test_the_ledger_entry_exports_list_every_entry_with_its_state_and_each_total(world):
    ledgers = ledgers_in_sql()
    with translation.override("et"):
        expected = {
            name: [
                (on.isoformat(), amount, str(EntryState(state).label))
                for _pk, on, _kind, _line, amount, state, *_rest in ledger.entries
            ]
            for name, ledger in ledgers.items()
            if ledger.entries
        }
    spent = {name: ledgers[name].spent for name in expected}
    client = signed_in(world.users["ministry"])

    response = client.get(reverse("ledger_entries_export", args=["csv"]))
    lines = list(csv.reader(io.StringIO(text(response).lstrip("\ufeff")), delimiter=";"))[1:]
    found: dict[str, list[tuple[str, Decimal, str]]] = defaultdict(list)
    totals = {}
    for name, on, *_rest, amount, state in lines:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", on):
            found[name].append((on, D(amount), state))
        else:  # the municipality's total row
            totals[name] = D(amount)
    assert dict(found) == expected
    assert totals == spent

    response = client.get(reverse("ledger_entries_export", args=["xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[1:] == sorted(expected)
    for name in expected:
        cells = list(workbook[name].iter_rows(min_row=2, values_only=True))
        assert [
            (row[0].date().isoformat(), D(str(row[6])).quantize(CENT), row[7] or "")
            for row in cells[:-1]
        ] == expected[name]
        assert D(str(cells[-1][6])).quantize(CENT) == spent[name]


# ---------------------------------------------------------------------------------------------
# The reports' documents
# ---------------------------------------------------------------------------------------------


def test_the_programme_report_shows_each_participations_money_and_counselling(world):
    today = timezone.localdate()
    start = today - timedelta(days=365)
    ledgers = ledgers_in_sql(until=today)
    hours = {
        name: (n, D(h).quantize(CENT))
        for name, n, h in sql(
            """
            SELECT m.name, COUNT(*), SUM(s.duration_hours) FROM counselling_counsellingsession s
            JOIN programme_participation p ON p.id = s.participation_id
            JOIN programme_municipality m ON m.id = p.municipality_id
            WHERE s.held_on BETWEEN %s AND %s GROUP BY m.name
            """,
            [start, today],
        )
    }
    providers = dict(
        sql(
            """
            SELECT m.name, sp.name FROM programme_participation p
            JOIN programme_municipality m ON m.id = p.municipality_id
            LEFT JOIN programme_serviceprovider sp ON sp.id = p.service_provider_id
            """
        )
    )
    with translation.override("et"):
        html = documents.programme_report(period_start=start, period_end=today).html
        total_label = gettext("Total")

    for ledger in ledgers.values():
        assert (
            f'<th scope="row">{ledger.name}</th><td class="num">{eur(ledger.grant)}</td>'
            f'<td class="num">{eur(ledger.disbursed)}</td><td class="num">{eur(ledger.approved)}'
            f'</td><td class="num">{eur(ledger.pending)}</td>'
            f'<td class="num">{eur(ledger.remaining)}</td>'
        ) in html
        sessions, session_hours = hours.get(ledger.name, (0, D("0.00")))
        assert (
            f'<th scope="row">{ledger.name}</th><td>{providers[ledger.name] or "—"}</td>'
            f'<td class="num">{sessions}</td><td class="num">{hours_et(session_hours)}</td>'
        ) in html
    grant = sum(ledger.grant for ledger in ledgers.values())
    spent = sum(ledger.spent for ledger in ledgers.values())
    assert (
        f'<th scope="row">{total_label}</th><td class="num">{eur(grant)}</td>'
        f'<td class="num">{eur(sum(ledger.disbursed for ledger in ledgers.values()))}</td>'
        f'<td class="num">{eur(sum(ledger.approved for ledger in ledgers.values()))}</td>'
        f'<td class="num">{eur(sum(ledger.pending for ledger in ledgers.values()))}</td>'
        f'<td class="num">{eur(grant - spent)}</td>'
    ) in html
    sessions_total = sum(n for n, _h in hours.values())
    hours_total = sum((h for _n, h in hours.values()), D("0.00"))
    assert (
        f'<td class="num">{sessions_total}</td><td class="num">{hours_et(hours_total)}</td>'
        "</tr></tfoot>"
    ) in html
    assert eur(D("140000.00")) == f"140{NBSP}000,00{NBSP}€"


def test_the_municipality_report_shows_its_money_by_line_and_its_counselling(world):
    today = timezone.localdate()
    start = today - timedelta(days=200)
    whole = ledgers_in_sql(until=today)["Rapla vald"]
    in_period = ledgers_in_sql(since=start, until=today)["Rapla vald"]
    [(sessions, session_hours)] = sql(
        """
        SELECT COUNT(*), COALESCE(SUM(duration_hours), 0) FROM counselling_counsellingsession
        WHERE participation_id = %s AND held_on BETWEEN %s AND %s
        """,
        [whole.pk, start, today],
    )
    with translation.override("et"):
        html = documents.municipality_report(
            participation=world.participations["Rapla vald"], period_start=start, period_end=today
        ).html
        for label, amount in [
            ("Disbursed", whole.disbursed),
            ("Spent and approved", whole.approved),
            ("Waiting for approval", whole.pending),
            ("Remaining", whole.remaining),
        ]:
            assert (
                f'<th scope="row">{gettext(label)}</th><td class="num">{eur(amount)}</td>' in html
            )
        sentence = counselling_sentence(
            {"sessions": sessions, "hours": D(session_hours)},
            "%(counter)s session, %(hours)s hours in the period.",
            "%(counter)s sessions, %(hours)s hours in the period.",
            "-2",
        )
    for pk, line in whole.lines.items():
        assert (
            f'<td class="num">{eur(line.amount)}</td>'
            f'<td class="num">{eur(in_period.lines[pk].spent)}</td>'
            f'<td class="num">{eur(line.spent)}<br><span class="muted">{line.percent}%</span></td>'
            f'<td class="num">{eur(line.remaining)}</td>'
        ) in html
    budget = sum(line.amount for line in whole.lines.values())
    assert (
        f'<td class="num">{eur(budget)}</td><td class="num">{eur(in_period.spent)}</td>'
        f'<td class="num">{eur(whole.spent)}</td><td class="num">{eur(whole.remaining)}</td>'
    ) in html
    assert sentence in html


# ---------------------------------------------------------------------------------------------
# Counselling and trainings
# ---------------------------------------------------------------------------------------------


SEES_SESSIONS = {
    "ministry": "",
    "kov_a": "WHERE p.municipality_id = %(municipality)s",
    "kov_b": "WHERE p.municipality_id = %(municipality)s",
    "provider": "WHERE p.service_provider_id = %(provider)s",
}


@pytest.mark.parametrize("persona", list(SEES_SESSIONS))
def test_the_counselling_list_and_hours_count_what_each_role_may_see(world, persona):
    user = world.users[persona]
    where = SEES_SESSIONS[persona] % {
        "municipality": user.municipality_id,
        "provider": user.service_provider_id,
    }
    by_municipality = [
        (name, n, D(h).quantize(CENT))
        for name, n, h in sql(
            f"""
            SELECT m.name, COUNT(*), SUM(s.duration_hours) FROM counselling_counsellingsession s
            JOIN programme_participation p ON p.id = s.participation_id
            JOIN programme_municipality m ON m.id = p.municipality_id
            {where} GROUP BY m.name ORDER BY m.name
            """
        )
    ]
    listed = page(user, reverse("session_list"))
    assert listed.context["listing"].page.paginator.count == sum(n for _m, n, _h in by_municipality)
    totals = page(user, reverse("counselling_totals"))
    assert [
        (row["key"], row["sessions"], row["hours"]) for row in totals.context["municipality_rows"]
    ] == by_municipality
    html = text(totals)
    for _name, _n, hours in by_municipality:
        assert et(hours) in html or hours_et(hours) in html


def test_the_trainings_show_how_many_are_registered_and_who_to_whom(world):
    registered = dict(
        sql("SELECT training_id, COUNT(*) FROM learning_trainingparticipant GROUP BY training_id")
    )
    response = page(world.users["kov_a"], reverse("training_list"))
    shown = {
        t.pk: t.registered_count
        for listing in ("upcoming", "past")
        for t in response.context[listing].page
    }
    assert shown == {pk: registered.get(pk, 0) for pk in shown}
    assert set(shown) == {t.pk for t in world.trainings.values()}

    held = world.trainings["held"]
    sees = {
        "ministry": "",
        "kov_a": f"AND tp.municipality_id = {world.users['kov_a'].municipality_id}",
        "provider": f"""AND tp.municipality_id IN (SELECT municipality_id
            FROM programme_participation WHERE service_provider_id
            = {world.users["provider"].service_provider_id})""",
    }
    for persona, where in sees.items():
        names = [
            name
            for (name,) in sql(
                f"""
                SELECT tp.name FROM learning_trainingparticipant tp
                JOIN programme_municipality m ON m.id = tp.municipality_id
                WHERE tp.training_id = %s {where} ORDER BY m.name, tp.name
                """,
                [held.pk],
            )
        ]
        response = page(world.users[persona], reverse("training_detail", args=[held.pk]))
        assert [p.name for p in response.context["participants"]] == names, persona
        attended = [p.attended for p in response.context["participants"]]
        assert attended == [
            a
            for (a,) in sql(
                f"""
                SELECT tp.attended FROM learning_trainingparticipant tp
                JOIN programme_municipality m ON m.id = tp.municipality_id
                WHERE tp.training_id = %s {where} ORDER BY m.name, tp.name
                """,
                [held.pk],
            )
        ]
