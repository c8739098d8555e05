"""The number of queries a page makes does not grow with the rows it shows.

Every route of the URL configuration that answers a GET with a page or a file is opened by each
persona that may open it (status 200 in tests/test_url_matrix.py's MATRIX, over the same data),
and its queries are counted. Then one more of every kind of row the pages list is added (people,
an application, a plan with indicators and measurements, ledger entries, counselling sessions,
trainings, sharing events, practices, reports, ... of the same municipalities and provider, so
that the same people see them) and the count must be the same. The data is grown once before
the first count: a list of one row hides a query made per row, and django-zeal, which watches
every request in the suite (tests/conftest.py), reports a repeated query only from the second
row on. A route that is not counted, and not named in NOT_COUNTED with the reason, fails.
"""

import re
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from zeal import zeal_context

from accounts.models import Invitation, Role
from actionplans.models import (
    ActionPlan,
    Indicator,
    PlanIndicator,
    PlanRevision,
    ProgressUpdate,
)
from actionplans.models import (
    Activity as PlanActivity,
)
from actionplans.services import snapshot, start_plan
from agreements import services as agreements
from applications.evaluation import ensure_default_criteria
from applications.models import (
    Activity,
    Application,
    Assignment,
    BudgetLine,
    ConsensusRecord,
    Score,
    StatusChange,
    TeamMember,
)
from closing.models import ActivityResult, FinalReport
from conversations.services import post_message
from counselling import services as counselling
from grants import services as grants
from grants.models import BudgetLine as GrantLine
from grants.models import BudgetYear, ClaimLine
from inquiries.models import InformationRequest, subject_of
from learning import services as learning
from learning.models import Organiser, SharingEvent
from practices.models import Practice
from programme.models import Municipality, Participation, PartnerAgency
from reports import exports
from reports.models import Report
from tests import test_url_matrix as matrix
from tests.agreements.containers import make_signer, signed_container
from tests.counselling.conftest import log, step
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    UserFactory,
    complete_application,
    decided_move,
    pdf_bytes,
    under_evaluation,
)
from tests.learning.conftest import add_participant, make_training
from tests.practices.conftest import make_practice

pytestmark = pytest.mark.django_db

# The data of the route matrix, built once for the module.
world_of_the_module = matrix.world_of_the_module

ANONYMOUS = "anonymous"

# The signers of the agreements and amendments the data grows by.
SIGNERS = (make_signer(), make_signer("JAAN", "TAMM", "37605030299", elliptic=True))

# Routes no one opens with a GET that shows something; each says why.
NOT_COUNTED = {
    "application_receipt": "a draft has no receipt: everyone is sent to the application",
    "set_language": "answers with a redirect",
    "two_factor_setup": "who has entered a code, or needs none, is sent on",
    "two_factor_verify": "who has entered a code, or needs none, is sent on",
    "eid_start": "sends the browser on to TARA (not set up here: 404)",
    "eid_callback": "answers with a redirect (TARA not set up here: 404)",
    "report_request_application": "a draft does not print: sent back to the application",
    "notification_open": "answers with a redirect to what the notice is about",
    "final_report_submitted": "the report is a draft: everyone is sent on to the report",
}


# Besides the URL the matrix opens, or instead of it: every export table in both file formats
# (a payment claim's in PDF and XLSX);
# the criteria of a call whose scoring has not started (the world's call is being scored); a
# training already held, whose attendance is recorded.
def variants(world: SimpleNamespace) -> dict[str, list[dict[str, Any]]]:
    both = [{"fmt": "csv"}, {"fmt": "xlsx"}]
    return {
        "export_table": [{"table": table} | fmt for table in exports.TABLES for fmt in both],
        "ledger_export": both,
        "ledger_entries_export": both,
        "claim_export": [
            {"pk": world.participation_a.pk, "claim_pk": world.claim.pk, "fmt": fmt}
            for fmt in ("pdf", "xlsx")
        ],
        "counselling_export": both,
        "evaluation_criteria": [{"pk": world.unscored_call.pk}],
        "training_attendance": [{"pk": world.training.pk}, {"pk": world.held_training.pk}],
        "training_detail": [{"pk": world.training.pk}, {"pk": world.held_training.pk}],
    }


# Kehtna, Kohila and Märjamaa: Rapla county, as A, so that the county evaluator has theirs too.
NEIGHBOURS = ["0293", "0317", "0502"]


def viewers(name: str) -> list[str]:
    """The personas that open the route with a GET and get 200."""
    if name in matrix.POST_ONLY:
        return []
    who = [persona for persona, status in matrix.MATRIX.get(name, {}).items() if status == 200]
    if matrix.PUBLIC.get(name) == 200:
        who.append(ANONYMOUS)
    return who


def urls(world: SimpleNamespace, name: str) -> list[str]:
    if name in (other := variants(world)):
        return [reverse(name, kwargs=kwargs) for kwargs in other[name]]
    return [matrix.url_of(world, name)]


def count(client: Client, url: str) -> tuple[int, list[str]]:
    """The queries of one GET, a streamed body read to its end; N+1 raise (django-zeal)."""
    with zeal_context(), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries), [query["sql"] for query in queries.captured_queries]


def shape(sql: str) -> str:
    """The query without its values, to tell which one was made more often."""
    return re.sub(r"IN \([^)]*\)", "IN (...)", re.sub(r"'[^']*'|\b\d+\b", "?", sql))


def clients(world: SimpleNamespace) -> dict[str, Client]:
    signed_in = {persona: matrix.signed_in(user) for persona, user in world.users.items()}
    return signed_in | {ANONYMOUS: Client()}


# ---------------------------------------------------------------------------------------------
# More of everything
# ---------------------------------------------------------------------------------------------


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def grow(world: SimpleNamespace, n: int) -> None:
    """One more row of every kind the pages list, seen by the same personas as world's."""
    today = timezone.localdate()
    rapla = world.users["kov_a"].municipality
    organisation = world.provider.service_provider
    ministry = world.users["ministry"]
    kov_a = world.users["kov_a"]

    # People of A, of the provider, of the ministry, and a county evaluator; an invitation.
    colleague = UserFactory(role=Role.MUNICIPALITY, municipality_code=rapla.ehak_code)
    UserFactory(role=Role.PROVIDER, service_provider=organisation)
    UserFactory(role=Role.MINISTRY)
    evaluator = UserFactory(role=Role.COUNTY_EVALUATOR, county=rapla.county)
    Invitation.objects.create(
        user=UserFactory(role=Role.MUNICIPALITY, municipality_code=rapla.ehak_code),
        invited_by=ministry,
        expires_at=timezone.now() + timedelta(days=7),
    )

    # A neighbour of A in the programme, counselled by the same provider, with all its parts.
    neighbour = Municipality.objects.get(ehak_code=NEIGHBOURS[n])
    neighbour_user = UserFactory(role=Role.MUNICIPALITY, municipality_code=neighbour.ehak_code)
    participation = Participation.objects.create(
        municipality=neighbour,
        cohort=world.participation_a.cohort,
        start_on=world.participation_a.start_on,
        end_on=world.participation_a.end_on,
        source=Participation.Source.SELECTION,
        service_provider=organisation,
        grant_amount=Decimal("40000.00"),
    )
    plan = start_plan(participation=participation)
    fill_plan(plan, n, ministry)
    ActionPlan.objects.filter(pk=plan.pk).update(
        status=ActionPlan.Status.SUBMITTED, submitted_at=timezone.now()
    )
    fill_ledger(participation, neighbour_user, ministry, n)
    answered = log(participation, world.provider, steps=[step(), step(due_on=today - timedelta(2))])
    counselling.answer_session(session=answered, confirm=True, comment="", user=neighbour_user)
    make_report(participation, neighbour_user)

    # The neighbour applies to A's call and is evaluated; the new evaluators score it.
    applied = under_evaluation(world.call, neighbour)
    StatusChange.objects.create(
        application=applied, to_status="under_evaluation", changed_by=ministry
    )
    ensure_default_criteria(world.call)
    world.call.criteria.create(name_et=f"Lisakriteerium {n}", order=10 + n)
    for who in (world.users["county_evaluator"], evaluator):
        assignment = Assignment.objects.get_or_create(
            application=applied, evaluator=who, defaults={"assigned_by": ministry}
        )[0]
        score(assignment)
    score(Assignment.objects.create(application=world.application, evaluator=evaluator))
    score(world.assignment)
    for criterion in world.call.criteria.all():
        ConsensusRecord.objects.get_or_create(
            application=applied,
            criterion=criterion,
            defaults={"outcome": "Kokku lepitud", "recorded_by": ministry},
        )

    # The call's start years and information sessions; the indicator catalogue.
    world.call.start_years.create(year=2029 + n, places=2)
    world.call.info_sessions.create(starts_at=timezone.now() + timedelta(days=n + 1))
    Indicator.objects.create(code=f"catalogue-{n}", name_et=f"Näitaja {n}", unit="tk")

    # A call whose scoring has not started: its criteria can still change.
    if n == 0:
        world.unscored_call = CallFactory()
    ensure_default_criteria(world.unscored_call)
    world.unscored_call.criteria.create(name_et=f"Kriteerium {n}", order=10 + n)
    under_evaluation(world.unscored_call, Municipality.objects.get(ehak_code=NEIGHBOURS[-1 - n]))

    # A applies to another call; A's application gets one more of each part.
    complete_application(ApplicationFactory(call=CallFactory(), municipality=rapla))
    fill_application(world.application, n, colleague)

    # A's plan, ledger, counselling, learning, practices and reports grow.
    fill_plan(world.plan, n, ministry)
    fill_ledger(world.participation_a, kov_a, ministry, n)
    grow_claims(world, kov_a, n)
    first, second = world.participation_a.budget_lines.order_by("pk")[:2]
    grants.request_budget_change(
        participation=world.participation_a,
        deltas=decided_move(world.participation_a, first, second, Decimal("1.00")),
        reason=f"Muudatus {n}",
        user=kov_a,
    )
    for done in range(2):
        session = log(world.participation_a, world.provider, steps=[step(), step()])
        session.attendees.create(name=f"Osaleja {n}", role="spetsialist")
        if done:
            counselling.answer_session(session=session, confirm=True, comment="", user=kov_a)
    world.session.attendees.create(name=f"Osaleja {n}", role="spetsialist")
    world.session.next_steps.create(
        description=f"Samm {n}", owner="Tiina Rapla", due_on=today + timedelta(days=3)
    )

    # A training held, organised by the provider: its attendance is recorded.
    training = make_training(
        title=f"Koolitus {n}",
        organiser=Organiser.SERVICE_PROVIDER,
        service_provider=organisation,
        starts_on=today - timedelta(days=n + 1),
    )
    if n == 0:
        world.held_training = training
    make_training(title=f"Tulevane koolitus {n}", starts_on=today + timedelta(days=n + 1))
    for municipality, name in ((rapla, f"Mari {n}"), (neighbour, f"Jaan {n}")):
        add_participant(training, municipality, name, attended=True)
        add_participant(world.training, municipality, name)
        add_participant(world.held_training, municipality, f"{name} {n}")

    event = learning.save_sharing_event(
        event=None,
        user=kov_a,
        title=f"Kogemuspäev {n}",
        held_on=today - timedelta(days=n + 1),
        level=SharingEvent.Level.NATIONAL,
        county=None,
        host="Rapla vald",
        presenters=[rapla, neighbour],
        attendees=[Municipality.objects.get(ehak_code=NEIGHBOURS[-1 - n])],
        notes="",
        materials=[_pdf("ettekanne.pdf"), _pdf("lisa.pdf")],
    )
    event.materials.update(uploaded_by=kov_a)
    world.event.presenters.add(neighbour)
    world.event.attendees.add(Municipality.objects.get(ehak_code=NEIGHBOURS[-1 - n]))
    learning.save_sharing_event(
        event=world.event,
        user=kov_a,
        title=world.event.title,
        held_on=world.event.held_on,
        level=world.event.level,
        county=None,
        host=world.event.host,
        presenters=world.event.presenters.all(),
        attendees=world.event.attendees.all(),
        notes="",
        materials=[_pdf(f"lisa-{n}.pdf")],
    )

    partners = PartnerAgency.objects.order_by("pk")[n : n + 2]
    practice = make_practice(kov_a, title=f"Praktika {n}")
    practice.partners.set(partners)
    published = make_practice(neighbour_user, status=Practice.Status.PUBLISHED, title=f"Hea {n}")
    published.municipalities.add(rapla)
    published.partners.set(partners)
    world.practice.municipalities.add(neighbour)
    world.practice.partners.add(*partners)

    make_report(world.participation_a, kov_a)
    Report.objects.create(
        kind=Report.Kind.PROGRAMME, language="en", requested_by=ministry, status="queued"
    )

    # The ministry's questions: answered ones about A's application, plan, an update, an
    # expenditure; open ones about the neighbour's application and plan and A's budget change.
    sent_update = world.plan.updates.filter(submitted_at__isnull=False).order_by("pk")[n]
    reviewed = world.participation_a.ledger_entries.filter(review__isnull=False).order_by("pk")[n]
    for thing in (world.application, world.plan, sent_update, reviewed):
        ask_about(thing, rapla, ministry, answered_by=kov_a)
    ask_about(applied, neighbour, ministry)
    ask_about(plan, neighbour, ministry)
    ask_about(world.participation_a.budget_changes.order_by("-pk")[0], rapla, ministry)

    # A's thread: a message from each of its parties, with files; the neighbour's thread too.
    for author in (kov_a, world.provider, ministry):
        post_message(
            participation=world.participation_a,
            user=author,
            body=f"Sõnum {n}",
            attachments=[_pdf("kiri.pdf"), _pdf("lisa.pdf")],
        )
    post_message(participation=participation, user=neighbour_user, body=f"Naaber {n}")

    # A's agreement: one more amendment, signed by two; the neighbour's agreement, signed.
    agreements.add_amendment(
        agreement=world.participation_a.agreement,
        user=ministry,
        dated_on=today,
        changes=f"Muudatus {n}",
        uploaded_file=SimpleUploadedFile("muudatus.asice", signed_container(*SIGNERS)),
    )
    neighbours_agreement = agreements.save_agreement(
        participation=participation,
        user=ministry,
        terms={
            "number": f"2.1-3/26/{10 + n}",
            "start_on": participation.start_on,
            "end_on": participation.end_on,
            "ministry_signatory": "Mari Mets",
            "municipality_signatory": "Jaan Tamm",
            "grant_amount": participation.grant_amount,
        },
    )
    agreements.store_signed_agreement(
        agreement=neighbours_agreement,
        uploaded_file=SimpleUploadedFile("leping.asice", signed_container(*SIGNERS)),
        user=ministry,
    )


def ask_about(thing: Any, municipality: Any, asker: Any, answered_by: Any = None) -> None:
    """A question about the thing, answered (with a file) if ``answered_by`` is given."""
    request = InformationRequest(
        **{subject_of(thing).value: thing},
        municipality=municipality,
        question="Palun täpsustage.",
        asked_by=asker,
    )
    if answered_by is not None:
        request.answer, request.answered_by = "Täpsustatud.", answered_by
        request.answered_at, request.attachment_name = timezone.now(), "vastus.pdf"
        request.attachment.save("answer.pdf", ContentFile(pdf_bytes()), save=False)
    request.save()


def score(assignment: Assignment) -> None:
    """The evaluator declares no conflict and scores every criterion of the call."""
    Assignment.objects.filter(pk=assignment.pk).update(
        has_conflict=False, declared_at=timezone.now(), submitted_at=timezone.now()
    )
    for criterion in assignment.application.call.criteria.all():
        Score.objects.update_or_create(
            assignment=assignment, criterion=criterion, defaults={"value": 3, "comment": "Hea"}
        )


def fill_application(application: Application, n: int, user: Any) -> None:
    TeamMember.objects.create(
        application=application, name=f"Liige {n}", kind=TeamMember.Kind.OFFICIAL, role="liige"
    )
    BudgetLine.objects.create(
        application=application, category="training", description=f"Rida {n}", amount="100.00"
    )
    activity = Activity.objects.create(
        application=application,
        title=f"Tegevus {n}",
        responsible="Koordinaator",
        start_month=2,
        end_month=4,
    )
    activity.partners.set(PartnerAgency.objects.order_by("pk")[n : n + 2])
    decision = application.council_decisions.first()
    assert decision is not None
    decision.pk = None
    decision.uploaded_by = user
    decision.save()
    StatusChange.objects.create(application=application, to_status="draft", changed_by=user)


def fill_plan(plan: ActionPlan, n: int, ministry: Any) -> None:
    """A body, a problem with causes, a goal with activities, indicators with measurements, a
    revision and a quarterly update."""
    plan.bodies.create(name=f"Komisjon {n}", role="Koordineerib", members="5 liiget")
    problem = plan.problems.create(title=f"Probleem {n}")
    causes = [problem.causes.create(title=f"Põhjus {n}.{i}") for i in range(2)]
    goal = plan.goals.create(title=f"Eesmärk {n}")
    for i in range(2):
        activity = PlanActivity.objects.create(
            plan=plan,
            goal=goal,
            title=f"Tegevus {n}.{i}",
            component=PlanActivity._meta.get_field("component").choices[i][0],  # type: ignore[index]
            start_month=1,
            end_month=6,
            responsible="Spetsialist",
            planned_cost=Decimal("100.00"),
        )
        activity.causes.set(causes)
        activity.partners.set(PartnerAgency.objects.order_by("pk")[i : i + 2])
        # A's final report answers each of its plan's activities.
        ActivityResult.objects.create(
            report=FinalReport.objects.get_or_create(participation=plan.participation)[0],
            activity=activity,
            comment=f"Tulemus {n}",
        )
    municipality = plan.participation.municipality
    own = Indicator.objects.create(
        code=f"own-{n}", name_et=f"Oma näitaja {n}", unit="tk", municipality=municipality
    )
    catalogue = Indicator.objects.filter(municipality=None).exclude(
        pk__in=plan.indicators.values("indicator")
    )[0]
    start = plan.participation.start_on
    for indicator in (own, catalogue):
        monitored = PlanIndicator.objects.create(
            plan=plan,
            indicator=indicator,
            baseline_value=Decimal(10),
            baseline_on=start - timedelta(days=1),
            target_value=Decimal(5),
            target_on=plan.participation.end_on,
        )
        for quarter in range(1, 3):
            monitored.measurements.create(
                value=Decimal(quarter), measured_on=start + timedelta(days=91 * quarter)
            )
    PlanRevision.objects.create(
        plan=plan, number=plan.revisions.count() + 1, content=snapshot(plan), approved_by=ministry
    )
    # start_plan scheduled every quarter's update; one more of them is sent, and returned.
    sent = plan.updates.order_by("quarter_start_on")[n]
    now = timezone.now()
    ProgressUpdate.objects.filter(pk=sent.pk).update(
        narrative=f"Kvartal {n}",
        submitted_at=now,
        submitted_by=ministry,
        review=ProgressUpdate.Review.RETURNED,
        review_comment=f"Täpsemalt {n}",
        reviewed_at=now,
        reviewed_by=ministry,
    )


def fill_ledger(participation: Participation, user: Any, ministry: Any, n: int) -> None:
    """Expenditures with documents, one reviewed and one reversed, and a disbursement."""
    lines = [
        GrantLine.objects.create(
            participation=participation,
            category=category,
            description=f"{category} {n}",
            amount=Decimal("5000.00"),
        )
        for category in ("services", "training")
    ]
    BudgetYear.objects.bulk_create(
        BudgetYear(line=line, year=timezone.localdate().year, amount=line.amount) for line in lines
    )
    entries = [
        grants.record_expenditure(
            participation=participation,
            budget_line=line,
            amount=Decimal("10.00"),
            entry_on=timezone.localdate(),
            description=f"Kulu {n}",
            supplier="Tarnija OÜ",
            invoice_number=f"{participation.pk}-{n}-{line.pk}",
            document=_pdf("arve.pdf"),
            user=user,
        )
        for line in lines
    ]
    grants.review_expenditure(entry=entries[0], approve=True, reason="", user=ministry)
    grants.reverse_entry(entry=entries[1], reason="Viga", user=user)
    grants.record_disbursement(
        participation=participation,
        amount=Decimal("1000.00"),
        entry_on=timezone.localdate(),
        tranche=n + 1,
        user=ministry,
    )


def grow_claims(world: SimpleNamespace, kov_a: Any, n: int) -> None:
    """A's submitted claim gets the new expenditures of A (one approved, one reversed); A starts
    one more claim, a draft with an expenditure in it."""
    new = world.participation_a.ledger_entries.filter(
        kind="expenditure", description=f"Kulu {n}", claim_line__isnull=True
    )
    ClaimLine.objects.bulk_create(ClaimLine(claim=world.claim, entry=entry) for entry in new)
    draft = grants.create_claim(
        participation=world.participation_a,
        period_start=world.participation_a.start_on,
        period_end=timezone.localdate(),
        forecast_amount=Decimal("100.00"),
        forecast_note=f"Prognoos {n}",
        user=kov_a,
    )
    spent = grants.record_expenditure(
        participation=world.participation_a,
        budget_line=world.participation_a.budget_lines.order_by("pk").first(),
        amount=Decimal("5.00"),
        entry_on=timezone.localdate(),
        description=f"Nõue {n}",
        supplier="Tarnija OÜ",
        invoice_number=f"N-{n}",
        document=_pdf("arve.pdf"),
        user=kov_a,
    )
    grants.add_to_claim(claim=draft, entries=[spent], user=kov_a)


def make_report(participation: Participation, user: Any) -> None:
    today = timezone.localdate()
    report = Report.objects.create(
        kind=Report.Kind.MUNICIPALITY,
        language="et",
        participation=participation,
        period_start=today.replace(month=1, day=1),
        period_end=today,
        status=Report.Status.DONE,
        requested_by=user,
        finished_at=timezone.now(),
    )
    report.file.save("report.pdf", ContentFile(b"%PDF-1.4"), save=True)


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------


def counted_routes() -> Iterator[str]:
    for name in matrix.ROUTE_NAMES:
        if name not in NOT_COUNTED and name not in matrix.POST_ONLY:
            yield name


def test_every_route_is_counted_or_says_why_not():
    for name in matrix.ROUTE_NAMES:
        assert name in matrix.MATRIX, f"{name}: add it to MATRIX in tests/test_url_matrix.py"
        if name in matrix.POST_ONLY:
            continue
        if name in NOT_COUNTED:
            assert not viewers(name), f"{name} shows a page to someone: count it"
        else:
            assert viewers(name), f"{name}: no one gets a page; add it to NOT_COUNTED, with why"
    assert not set(NOT_COUNTED) - set(matrix.ROUTE_NAMES)
    some = SimpleNamespace(pk=0)
    routes = variants(
        SimpleNamespace(
            unscored_call=some, training=some, held_training=some, participation_a=some, claim=some
        )
    )
    assert not set(routes) - set(matrix.ROUTE_NAMES)


Counted = dict[tuple[str, str], tuple[int, list[str]]]  # (persona, url): the queries


@pytest.fixture(scope="module")
def counted(
    world_of_the_module: tuple[SimpleNamespace, Any],
) -> dict[str, tuple[Counted, Counted] | Exception]:
    """Each counted route's queries for each viewer, as the world first grew and after it grew
    again; or what went wrong on the route, for its test to raise. Every route is counted in
    one pass over one world: growing it is most of the time."""
    world, _media = world_of_the_module
    grow(world, 0)
    who = clients(world)
    routes = list(counted_routes())
    for name in routes:
        for persona in viewers(name):
            # A session's first request does more (it is recorded); what is compared comes after.
            who[persona].get(urls(world, name)[0])

    def count_every_route() -> dict[str, Counted | Exception]:
        found: dict[str, Counted | Exception] = {}
        for name in routes:
            try:
                with transaction.atomic():  # a route that fails leaves the others' data as it was
                    found[name] = {
                        (persona, url): count(who[persona], url)
                        for persona in viewers(name)
                        for url in urls(world, name)
                    }
            except Exception as error:  # noqa: BLE001 (raised again by the route's own test)
                found[name] = error
        return found

    before = count_every_route()
    grow(world, 1)
    after = count_every_route()
    results: dict[str, tuple[Counted, Counted] | Exception] = {}
    for name in routes:
        failed = [found for found in (before[name], after[name]) if isinstance(found, Exception)]
        results[name] = failed[0] if failed else (before[name], after[name])
    return results


@pytest.mark.parametrize("name", list(counted_routes()))
def test_queries_do_not_grow_with_the_rows_shown(name, counted):
    if isinstance(result := counted[name], Exception):
        raise result
    before, after = result
    for (persona, url), (queries, sql) in before.items():
        now, now_sql = after[persona, url]
        more = Counter(map(shape, now_sql)) - Counter(map(shape, sql))
        assert now == queries, (
            f"GET {url} as {persona}: {queries} queries, {now} with more rows; made more often:\n"
            + "\n".join(more)
        )
