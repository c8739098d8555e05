"""Each role's start page says what waits for the person now: per role, a data set with known
items in each queue (and items of another municipality or provider that must not show), the
counts and links compared with a recomputation from the tables."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from actionplans.models import ActionPlan, ProgressUpdate
from actionplans.services import start_plan
from applications.evaluation import ensure_default_criteria
from applications.models import Activity as ApplicationActivity
from applications.models import Application, Assignment, ConsensusRecord, Score
from closing.models import FinalReport
from counselling.models import CounsellingSession
from grants import services as grants
from grants.models import (
    BudgetChange,
    BudgetLine,
    ExpenditureReview,
    LedgerEntry,
    PaymentClaim,
)
from practices.models import Practice
from programme.models import Municipality
from reports.models import Report
from tests.conftest import make_persona
from tests.counselling.conftest import log, make_participation
from tests.factories import ApplicationFactory, CallFactory, UserFactory, under_evaluation
from tests.grants.claims import claim_of
from tests.grants.claims import expenditure as documented_expenditure
from tests.practices.conftest import make_practice

pytestmark = pytest.mark.django_db


def queue_of(client):
    """The queue's tasks by label (in English), and the page."""
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    queue = {task.label: (task.count, task.url) for task in response.context["queue"]}
    for task in response.context["queue"]:
        assert f'href="{task.url}"' in page.replace("&amp;", "&")
    return queue, page


def municipality(code):
    return Municipality.objects.get(ehak_code=code)


def scored(application, evaluator, values):
    """The evaluator's submitted scores, one value a criterion in the call's order."""
    assignment = Assignment.objects.create(
        application=application,
        evaluator=evaluator,
        has_conflict=False,
        submitted_at=timezone.now(),
    )
    Score.objects.bulk_create(
        Score(assignment=assignment, criterion=criterion, value=value)
        for criterion, value in zip(application.call.criteria.all(), values, strict=False)
    )


def expenditure(participation, line, amount, *, days_ago=1):
    return LedgerEntry.objects.create(
        participation=participation,
        kind=LedgerEntry.Kind.EXPENDITURE,
        amount=Decimal(amount),
        entry_on=timezone.localdate(),
        budget_line=line,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def world(db):
    """Rapla vald (A, counselled by the provider persona) and Keila linn (B, by another
    provider) take part; calls at every stage of the evaluation; money, plans, updates,
    sessions, practices and reports in every state."""
    now = timezone.now()
    people = {
        "kov_a": make_persona("kov_a"),
        "kov_b": make_persona("kov_b"),
        "provider": make_persona("provider"),
        "other_provider": UserFactory(role=Role.PROVIDER),
        "ministry": make_persona("ministry"),
        "admin": make_persona("admin"),
        "first": UserFactory(role=Role.MINISTRY, email="esimene@sim.example"),
        "second": UserFactory(role=Role.MINISTRY, email="teine@sim.example"),
    }
    rapla, keila = municipality("0668"), municipality("0296")
    people["county_evaluator"] = UserFactory(
        role=Role.COUNTY_EVALUATOR, county=rapla.county, email="mtn@rapla.example"
    )
    a = make_participation(people["kov_a"], people["provider"].service_provider)
    b = make_participation(people["kov_b"], people["other_provider"].service_provider)

    # The evaluation. Call 1 is past its deadline: Keila's application has no evaluator yet,
    # Rapla's waits for the ministry persona's and the county evaluator's scores, and Tallinn's
    # scores differ (hidden from the ministry persona, whose own evaluation there runs).
    closed = {"opens_at": now - timedelta(days=60), "deadline_at": now - timedelta(days=1)}
    first = CallFactory(title="Esimene voor", **closed)
    ensure_default_criteria(first)
    under_evaluation(first, keila)
    rapla_app = under_evaluation(first, rapla)
    for evaluator in (people["ministry"], people["county_evaluator"]):
        Assignment.objects.create(application=rapla_app, evaluator=evaluator)
    tallinn = under_evaluation(first, municipality("0784"))
    scored(tallinn, people["first"], [1] * 8)
    scored(tallinn, people["second"], [5] * 8)
    # Call 2: every application scored; Narva's first criterion disputed, its second settled.
    second = CallFactory(title="Teine voor", **closed)
    ensure_default_criteria(second)
    narva, elva = (under_evaluation(second, municipality(c)) for c in ("0511", "0171"))
    scored(narva, people["first"], [1, 1, 3, 3, 3, 3, 3, 3])
    scored(narva, people["second"], [5, 5, 3, 3, 3, 3, 3, 3])
    ConsensusRecord.objects.create(
        application=narva, criterion=second.criteria.all()[1], outcome="Kokku lepitud"
    )
    scored(elva, people["first"], [3] * 8)
    scored(elva, people["second"], [4] * 8)
    # A conflict declared is not a task; the county evaluator's own task stays.
    Assignment.objects.create(application=elva, evaluator=people["county_evaluator"])
    Assignment.objects.filter(application=elva, evaluator=people["county_evaluator"]).update(
        has_conflict=True
    )

    # Drafts in an open call: Rapla's has an activity only; Keila's is empty.
    open_call = CallFactory(title="Avatud voor")
    draft = ApplicationFactory(call=open_call, municipality=rapla)
    ApplicationActivity.objects.create(
        application=draft, title="Analüüs", responsible="Juht", start_month=1, end_month=2
    )
    ApplicationFactory(call=open_call, municipality=keila)

    # Plans: A's returned, B's submitted; one of A's updates due soon, one sent.
    plan_a, plan_b = start_plan(participation=a), start_plan(participation=b)
    ActionPlan.objects.filter(pk=plan_a.pk).update(status=ActionPlan.Status.RETURNED)
    ActionPlan.objects.filter(pk=plan_b.pk).update(status=ActionPlan.Status.SUBMITTED)
    today = timezone.localdate()
    updates = list(plan_a.updates.order_by("quarter_start_on"))
    ProgressUpdate.objects.filter(pk=updates[0].pk).update(submitted_at=now)
    ProgressUpdate.objects.filter(pk=updates[-1].pk).update(due_on=today + timedelta(days=5))

    # Money: waiting, waiting long, reviewed, reversed; budget changes waiting and decided.
    line_a = BudgetLine.objects.create(participation=a, category="staff", description="x", amount=1)
    line_b = BudgetLine.objects.create(participation=b, category="staff", description="x", amount=1)
    expenditure(a, line_a, "10.00")
    expenditure(a, line_a, "20.00", days_ago=40)
    expenditure(b, line_b, "30.00", days_ago=31)
    reviewed = expenditure(a, line_a, "40.00", days_ago=50)
    ExpenditureReview.objects.create(entry=reviewed, is_approved=True)
    reversed_entry = expenditure(b, line_b, "50.00", days_ago=60)
    LedgerEntry.objects.create(
        participation=b,
        kind=LedgerEntry.Kind.REVERSAL,
        amount=Decimal("50.00"),
        entry_on=today,
        reverses=reversed_entry,
    )
    BudgetChange.objects.create(participation=a, reason="Koolitusteks")
    BudgetChange.objects.create(participation=b, reason="Üks")
    BudgetChange.objects.create(participation=b, reason="Teine")
    BudgetChange.objects.create(participation=b, reason="Otsustatud", status="approved")

    # Counselling: A's two sessions awaiting, one confirmed, one disputed; B's one awaiting.
    sessions = [log(a, people["provider"]) for _ in range(4)]
    CounsellingSession.objects.filter(pk=sessions[2].pk).update(confirmation="confirmed")
    CounsellingSession.objects.filter(pk=sessions[3].pk).update(confirmation="disputed")
    log(b, people["other_provider"])

    # Practices returned to A and to B, one of A's submitted.
    make_practice(people["kov_a"], Practice.Status.RETURNED)
    make_practice(people["kov_a"], Practice.Status.SUBMITTED)
    make_practice(people["kov_b"], Practice.Status.RETURNED)

    # Reports: the ministry persona's ready one, the schedule's, someone else's, an old one.
    for requested_by, finished_at in [
        (people["ministry"], now),
        (None, now - timedelta(days=1)),
        (people["admin"], now),
        (people["ministry"], now - timedelta(days=30)),
    ]:
        Report.objects.create(
            kind=Report.Kind.PROGRAMME,
            language="et",
            status=Report.Status.DONE,
            requested_by=requested_by,
            finished_at=finished_at,
        )
    Report.objects.create(
        kind=Report.Kind.PROGRAMME, language="et", requested_by=people["ministry"]
    )
    return {**people, "a": a, "b": b, "plan_a": plan_a, "plan_b": plan_b, "calls": (first, second)}


def test_the_ministry_queue(client_for, world):
    now, today = timezone.now(), timezone.localdate()
    first, second = world["calls"]
    queue, page = queue_of(client_for(world["ministry"], "en"))
    overview = reverse("evaluation_overview", args=[first.pk])

    unassigned = (
        Application.objects.filter(status="under_evaluation", assignments__isnull=True)
        .values_list("call_id")
        .distinct()
    )
    assert list(unassigned) == [(first.pk,)]
    assert queue["Applications waiting for an evaluator: Esimene voor"] == (1, overview)
    assert queue["Applications waiting for your scores"] == (1, reverse("my_evaluations"))
    # Call 1's disputed scores are hidden while the ministry persona's own evaluation runs
    # there; call 2's one disputed, unsettled application shows.
    assert queue["Applications needing a consensus discussion: Teine voor"] == (
        1,
        reverse("evaluation_overview", args=[second.pk]),
    )
    assert not any(label.endswith("Esimene voor") and "consensus" in label for label in queue)
    # Call 2 is scored throughout; call 1 is not.
    deciding = Application.objects.filter(call=second, status="under_evaluation").count()
    assert queue["Selection to confirm: Teine voor"] == (
        deciding,
        reverse("selection", args=[second.pk]),
    )
    assert "Selection to confirm: Esimene voor" not in queue

    submitted_plans = ActionPlan.objects.filter(status="submitted").count()
    assert queue["Action plans waiting for approval"] == (submitted_plans, reverse("plan_list"))

    reversed_ids = set(
        LedgerEntry.objects.filter(kind="reversal").values_list("reverses_id", flat=True)
    )
    waiting = [
        row
        for row in LedgerEntry.objects.filter(kind="expenditure", review__isnull=True).values(
            "pk", "created_at"
        )
        if row["pk"] not in reversed_ids
    ]
    assert len(waiting) == 3
    assert queue["Expenditures waiting for review"] == (3, reverse("ledger_overview"))
    long = sum(1 for row in waiting if now - row["created_at"] > timedelta(days=30))
    assert f"Waiting over 30 days: {long}" in page and long == 2

    for participation in (world["a"], world["b"]):
        pending = BudgetChange.objects.filter(participation=participation, status="pending").count()
        name = participation.municipality.name
        assert queue[f"Budget changes waiting for a decision: {name}"] == (
            pending,
            reverse("ledger", args=[participation.pk]),
        )

    for plan in (world["plan_a"], world["plan_b"]):
        late = ProgressUpdate.objects.filter(
            plan=plan, submitted_at__isnull=True, due_on__lt=today
        ).count()
        label = f"Quarterly updates late: {plan.participation.municipality.name}"
        assert queue[label] == (late, reverse("plan_updates", args=[plan.pk]))
    assert world["plan_a"].updates.filter(due_on__lt=today, submitted_at__isnull=True).count() == (
        world["plan_b"].updates.filter(due_on__lt=today).count() - 1
    )

    ready = Report.objects.filter(status="done", finished_at__gte=now - timedelta(days=7)).exclude(
        requested_by=world["admin"]
    )
    assert queue["Reports ready to download"] == (ready.count(), reverse("report_list"))
    assert ready.count() == 2


def test_an_administrator_without_evaluations_sees_every_call_s_disputes(client_for, world):
    first, second = world["calls"]
    queue, _page = queue_of(client_for(world["admin"], "en"))
    assert queue["Applications needing a consensus discussion: Esimene voor"][0] == 1
    assert "Applications waiting for your scores" not in queue
    assert queue["Reports ready to download"][0] == 2  # the admin's and the schedule's


def test_the_municipality_queue_shows_its_own_work_only(client_for, world):
    today = timezone.localdate()
    queue, page = queue_of(client_for(world["kov_a"], "en"))
    draft = Application.objects.get(municipality=world["kov_a"].municipality, status="draft")
    sections = {part.section for part in draft.missing_parts()}
    assert len(sections) == 3  # everything but the activity plan
    assert queue["Application sections to complete: Avatud voor"] == (
        len(sections),
        reverse("application_detail", args=[draft.pk]),
    )
    plan = world["plan_a"]
    updates = reverse("plan_updates", args=[plan.pk])
    due = ProgressUpdate.objects.filter(
        plan=plan, submitted_at__isnull=True, due_on__gte=today, due_on__lte=today + timedelta(14)
    ).count()
    assert queue["Quarterly updates due"] == (due, updates) and due >= 1
    late = plan.updates.filter(submitted_at__isnull=True, due_on__lt=today).count()
    assert queue["Quarterly updates late: Rapla vald"] == (late, updates)
    awaiting = CounsellingSession.objects.filter(
        participation=world["a"], confirmation="awaiting"
    ).count()
    assert queue["Counselling sessions to confirm"] == (
        awaiting,
        reverse("session_list") + "?confirmation=awaiting",
    )
    assert awaiting == 2
    assert queue["Action plan returned with comments"] == (
        1,
        reverse("plan_detail", args=[plan.pk]),
    )
    returned = Practice.objects.filter(
        municipality=world["kov_a"].municipality, status="returned"
    ).count()
    assert queue["Good practices returned with comments"] == (
        returned,
        reverse("practice_list") + "?status=returned",
    )
    # Nothing of Keila's, nor the ministry's work.
    assert "Keila" not in " ".join(queue)
    assert len(queue) == 6


def test_the_provider_queue_counts_its_own_sessions(client_for, world):
    queue, _page = queue_of(client_for(world["provider"], "en"))
    mine = CounsellingSession.objects.filter(service_provider=world["provider"].service_provider)
    assert queue == {
        "Sessions awaiting the municipality's confirmation": (
            mine.filter(confirmation="awaiting").count(),
            reverse("session_list") + "?confirmation=awaiting",
        ),
        "Sessions disputed by the municipality": (
            mine.filter(confirmation="disputed").count(),
            reverse("session_list") + "?confirmation=disputed",
        ),
    }
    assert queue_of(client_for(world["other_provider"], "en"))[0] == {
        "Sessions awaiting the municipality's confirmation": (
            1,
            reverse("session_list") + "?confirmation=awaiting",
        )
    }


def test_the_county_evaluator_s_start_page_is_its_queue(client_for, world):
    evaluator = world["county_evaluator"]
    queue, page = queue_of(client_for(evaluator, "en"))
    to_do = Assignment.objects.filter(
        evaluator=evaluator, has_conflict__isnull=True, application__status="under_evaluation"
    ).count()
    assert to_do == 1
    assert queue == {"Applications waiting for your scores": (1, reverse("my_evaluations"))}
    assert "Rapla maakond" in page


def test_an_empty_queue_says_so(client_for, db):
    page = queue_of(client_for(make_persona("kov_b"), "en"))[1]
    assert "Nothing waits for you." in page


def test_the_ministry_queue_has_the_claims_and_final_reports_to_decide(client_for, kov_a, ministry):
    participation = make_participation(kov_a)
    [line] = participation.budget_lines.all()
    for _ in range(2):
        claim = claim_of(participation, kov_a)
        grants.add_to_claim(
            claim=claim,
            entries=[documented_expenditure(participation, line, "10.00", kov_a)],
            user=kov_a,
        )
        grants.submit_claim(claim=claim, user=kov_a)
    claim_of(participation, kov_a)  # a draft: not the ministry's yet
    FinalReport.objects.create(
        participation=participation,
        status=FinalReport.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    queue, _page = queue_of(client_for(ministry, "en"))
    name = participation.municipality.name
    waiting = PaymentClaim.objects.filter(participation=participation, status="submitted").count()
    assert queue[f"Payment claims waiting for review: {name}"] == (
        waiting,
        reverse("claims", args=[participation.pk]),
    )
    assert waiting == 2
    assert queue[f"Final report waiting for a decision: {name}"] == (
        1,
        reverse("final_report", args=[participation.pk]),
    )
