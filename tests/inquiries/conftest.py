from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from actionplans.models import ActionPlan, ProgressUpdate
from actionplans.services import start_plan
from applications import evaluation
from applications.models import Application, Assignment
from grants import services as grants
from grants.models import BudgetChange, LedgerEntry
from grants.services import PlannedLine
from inquiries import services
from inquiries.models import InformationRequest
from tests.counselling.conftest import make_participation
from tests.factories import CallFactory, UserFactory, decided_move, pdf_bytes, under_evaluation


def pdf(name: str = "selgitus.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


@pytest.fixture
def call(db):
    """A call past its deadline, being evaluated."""
    now = timezone.now()
    call = CallFactory(opens_at=now - timedelta(days=60), deadline_at=now - timedelta(days=1))
    evaluation.ensure_default_criteria(call)
    return call


@pytest.fixture
def application(call, kov_a) -> Application:
    """Rapla vald's application under evaluation."""
    return under_evaluation(call, kov_a.municipality)


@pytest.fixture
def county_evaluator(kov_a):
    return UserFactory(
        role=Role.COUNTY_EVALUATOR,
        county=kov_a.municipality.county,
        email="mtn@rapla.example",
        full_name="Mati Maakond",
    )


@pytest.fixture
def assignment(application, county_evaluator, ministry) -> Assignment:
    """Rapla county's evaluator, assigned to the application, has declared no conflict."""
    assignment = evaluation.assign_evaluator(
        application=application, evaluator=county_evaluator, assigned_by=ministry
    )
    evaluation.declare_conflict(assignment=assignment, has_conflict=False, user=county_evaluator)
    return assignment


@pytest.fixture
def participation(kov_a, provider):
    """Rapla vald in the programme, counselled by the provider persona's organisation."""
    return make_participation(
        kov_a,
        provider.service_provider,
        budget=[
            PlannedLine("staff", "Koordinaator", Decimal("20000.00")),
            PlannedLine("training", "Koolitused", Decimal("10000.00")),
        ],
    )


@pytest.fixture
def plan(participation) -> ActionPlan:
    """Rapla vald's plan, submitted for approval."""
    plan = start_plan(participation=participation)
    ActionPlan.objects.filter(pk=plan.pk).update(
        status=ActionPlan.Status.SUBMITTED, submitted_at=timezone.now()
    )
    plan.refresh_from_db()
    return plan


@pytest.fixture
def sent_update(plan, kov_a) -> ProgressUpdate:
    """The plan's first quarterly update, sent and waiting for review."""
    update = plan.updates.order_by("quarter_start_on").first()
    ProgressUpdate.objects.filter(pk=update.pk).update(
        narrative="Kvartal läks hästi.", submitted_at=timezone.now(), submitted_by=kov_a
    )
    update.refresh_from_db()
    return update


@pytest.fixture
def expenditure(participation, kov_a) -> LedgerEntry:
    """An expenditure waiting for the ministry's review."""
    return grants.record_expenditure(
        participation=participation,
        budget_line=participation.budget_lines.get(category="staff"),
        amount=Decimal("120.00"),
        entry_on=timezone.localdate(),
        description="Koolitus",
        supplier="Tarnija OÜ",
        invoice_number="A-1",
        document=None,
        user=kov_a,
    )


@pytest.fixture
def budget_change(participation, kov_a) -> BudgetChange:
    """A budget change waiting for the ministry's decision."""
    staff = participation.budget_lines.get(category="staff")
    training = participation.budget_lines.get(category="training")
    return grants.request_budget_change(
        participation=participation,
        deltas=decided_move(participation, staff, training, Decimal("100.00")),
        reason="Rohkem koolitusi",
        user=kov_a,
    )


def ask(thing, user, question="Palun saatke arvete koopiad.", sections=()) -> InformationRequest:
    return services.ask_for_information(
        thing=thing, question=question, sections=sections, user=user
    )
