from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from accounts.models import Role, User
from applications.models import Status
from demo.management.commands.seed_demo import DEMO_PASSWORD
from programme.models import Call, Participation

pytestmark = pytest.mark.django_db

DEMO_LOGINS = {
    "admin@example.org": Role.ADMIN,
    "ministry@example.org": Role.MINISTRY,
    "provider@example.org": Role.PROVIDER,
    "kov-0668@example.org": Role.MUNICIPALITY,
    "kov-0296@example.org": Role.MUNICIPALITY,
    "kov-0567@example.org": Role.MUNICIPALITY,
    "kov-0205@example.org": Role.MUNICIPALITY,
}


def test_seed_demo_creates_one_login_per_role_and_can_run_again():
    call_command("seed_demo", stdout=StringIO())
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert all(email in output.getvalue() for email in DEMO_LOGINS)
    assert dict(User.objects.values_list("email", "role")) == DEMO_LOGINS
    assert User.objects.get(email="kov-0668@example.org").municipality.name == "Rapla vald"
    assert User.objects.get(email="kov-0296@example.org").municipality.name == "Keila linn"
    request = RequestFactory().post("/accounts/login/")
    for email in DEMO_LOGINS:
        assert authenticate(request, username=email, password=DEMO_PASSWORD) is not None


def test_seed_demo_opens_a_call_with_drafts_and_submitted_applications():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    [open_call] = Call.objects.open()
    statuses = dict(open_call.applications.values_list("municipality__name", "status"))
    assert statuses == {
        "Keila linn": Status.DRAFT,
        "Harku vald": Status.SUBMITTED,
        "Sillamäe linn": Status.SUBMITTED,
        "Tartu linn": Status.SUBMITTED,
    }
    for application in open_call.applications.filter(status=Status.SUBMITTED):
        assert application.missing_parts() == []
    first_call = Call.objects.get(stage=Call.Stage.FIRST)
    assert first_call.total_places == 8
    assert Participation.objects.count() == 16
    assert Participation.objects.filter(municipality__name="Rapla vald").exists()


def test_seed_demo_writes_action_plans_with_a_year_of_measurements():
    from actionplans.models import ActionPlan, Measurement

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    plans = dict(ActionPlan.objects.values_list("participation__municipality__name", "status"))
    assert plans == {"Rapla vald": "draft", "Tallinn": "submitted"}
    assert Measurement.objects.count() == 2 * 3 * 4


def test_seed_demo_gives_every_participation_a_budget_and_two_ledgers_entries():
    from grants.models import BudgetLine, LedgerEntry

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert BudgetLine.objects.values("participation").distinct().count() == 16
    # Paide's and Hiiumaa's ledgers, and the two expenditures of Hiiumaa's payment claim.
    assert LedgerEntry.objects.count() == 8


def test_seed_demo_has_an_agreement_and_a_payment_claim_to_review():
    from agreements.models import Agreement
    from grants.models import PaymentClaim

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    [claim] = PaymentClaim.objects.all()
    assert (claim.participation.municipality.name, claim.status) == ("Hiiumaa vald", "submitted")
    assert claim.lines.count() == 2
    assert all(line.entry.document for line in claim.lines.select_related("entry"))
    assert Agreement.objects.get().participation == claim.participation


def test_seed_demo_logs_counselling_and_trainings_to_show():
    from counselling.models import CounsellingSession
    from learning.models import SharingEvent, Training

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert CounsellingSession.objects.count() == 3 * 3
    rapla = CounsellingSession.objects.filter(participation__municipality__ehak_code="0668")
    assert rapla.summary()["awaiting"] == 2  # the demo login has something to confirm
    assert Training.objects.count() == 2
    assert SharingEvent.objects.get().presenters.get().name == "Paide linn"
