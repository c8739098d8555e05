"""The audit log: one record per event, with who, what, when and before/after; append-only in
the database; readable by administrators alone."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services as accounts
from accounts.models import Role
from actionplans import services as plans
from actionplans.models import ActionPlan, Component
from applications import evaluation
from applications import services as intake
from applications.models import Status
from audit.models import Action, AuditEvent
from audit.services import record
from counselling import services as counselling
from grants import services as grants
from grants.models import BudgetYear
from learning import services as learning
from learning.models import SharingEvent
from practices import services as practices
from programme import services as programme
from programme.models import Call, Cohort, Municipality, Participation
from reports.models import Report
from tests.actionplans.test_workflow import activity
from tests.counselling.conftest import log
from tests.factories import (
    PASSWORD,
    CallFactory,
    ServiceProviderFactory,
    complete_application,
    decided_move,
    pdf_bytes,
    scored,
    under_evaluation,
)
from tests.grants.conftest import expenditure_kwargs
from tests.practices.conftest import make_practice

pytestmark = pytest.mark.django_db


def pdf_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def only(**lookup) -> AuditEvent:
    """The one record that matches; fails if there is none or more than one."""
    [event] = AuditEvent.objects.filter(**lookup)
    return event


# ---------------------------------------------------------------------------------------------
# Append-only
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def event(kov_a) -> AuditEvent:
    return record(kov_a, Action.EXPORT, detail="applications.csv")


def test_the_database_refuses_to_change_a_record(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(detail="nothing happened")
    event.detail = "nothing happened"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET detail = 'nothing happened'")
    assert AuditEvent.objects.get().detail == "applications.csv"


def test_the_database_refuses_to_delete_a_record(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        event.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_the_database_refuses_to_truncate_the_log(event):
    # TRUNCATE fires no row trigger: a statement trigger of its own refuses it. (The record's
    # foreign-key check, pending till the test's transaction ends, is run first: PostgreSQL
    # refuses a TRUNCATE with checks pending, before any trigger.)
    with (
        pytest.raises(DatabaseError, match="audit records are never changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 1


def test_a_person_who_acted_cannot_be_deleted(event, kov_a):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        kov_a.delete()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_that_wrote_records_still_ends_cleanly(kov_a):
    record(kov_a, Action.EXPORT, detail="applications.csv")
    assert AuditEvent.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Signing in and out, refused access
# ---------------------------------------------------------------------------------------------


def test_signing_in_is_one_record_with_the_person_and_address(client, kov_a):
    client.post(reverse("login"), {"username": kov_a.email, "password": PASSWORD})
    event = only(action=Action.SIGN_IN)
    assert (event.actor, event.actor_label) == (kov_a, kov_a.email)
    assert event.ip_address == "127.0.0.1"
    assert event.path == reverse("login")
    assert timezone.now() - event.at < timedelta(minutes=1)
    assert AuditEvent.objects.count() == 1


def test_a_failed_sign_in_keeps_the_e_mail_as_typed_and_no_password(client, kov_a):
    client.post(reverse("login"), {"username": "Tiina@Rapla.example", "password": "wrong-one"})
    event = only(action=Action.SIGN_IN_FAILED)
    assert event.actor is None
    assert event.actor_label == "Tiina@Rapla.example"
    assert "wrong-one" not in str(event.__dict__)
    assert AuditEvent.objects.count() == 1


def test_signing_out_is_one_record(client_for, kov_a):
    client = client_for(kov_a)
    client.post(reverse("logout"))
    event = only(action=Action.SIGN_OUT)
    assert event.actor == kov_a


def test_an_object_the_user_may_not_see_is_a_refused_access(client_for, kov_a, kov_b, call):
    draft = intake.start_application(call=call, municipality=kov_a.municipality, user=kov_a)
    url = reverse("application_detail", args=[draft.pk])
    assert client_for(kov_b).get(url).status_code == 404
    event = only(action=Action.ACCESS_REFUSED)
    assert (event.actor, event.path, event.detail) == (kov_b, url, "not found")


def test_a_section_not_meant_for_the_role_is_a_refused_access(client_for, ministry):
    assert client_for(ministry).get(reverse("audit_log")).status_code == 403
    event = only(action=Action.ACCESS_REFUSED)
    assert (event.actor, event.path, event.detail) == (ministry, reverse("audit_log"), "forbidden")


def test_a_mistyped_address_and_an_anonymous_visit_are_no_refusals(client_for, client, kov_a):
    assert client_for(kov_a).get("/no-such-page/").status_code == 404
    assert client.get(reverse("audit_log")).status_code == 302
    assert not AuditEvent.objects.filter(action=Action.ACCESS_REFUSED).exists()


# ---------------------------------------------------------------------------------------------
# State changes
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def call():
    return CallFactory()


def changes_of(obj, detail: str) -> AuditEvent:
    return only(
        action=Action.STATE_CHANGE,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        detail=detail,
    )


def test_submitting_and_withdrawing_an_application_record_the_status_before_and_after(call, kov_a):
    draft = intake.start_application(call=call, municipality=kov_a.municipality, user=kov_a)
    started = changes_of(draft, "application started")
    assert (started.actor, started.before, started.after) == (kov_a, None, {"status": "draft"})
    complete_application(draft)
    intake.submit_application(application=draft, user=kov_a)
    intake.withdraw_application(application=draft, user=kov_a)
    moves = AuditEvent.objects.about(draft).filter(detail="application status changed")
    assert [(e.actor, e.before, e.after) for e in moves.order_by("pk")] == [
        (kov_a, {"status": "draft"}, {"status": "submitted"}),
        (kov_a, {"status": "submitted"}, {"status": "draft"}),
    ]
    assert moves[0].object_label == f"{kov_a.municipality} – {call}"


def test_an_evaluators_scores_are_recorded_once(ministry):
    call = CallFactory(
        opens_at=timezone.now() - timedelta(days=60), deadline_at=timezone.now() - timedelta(days=1)
    )
    evaluation.ensure_default_criteria(call)
    application = under_evaluation(call, Municipality.objects.get(name="Rapla vald"))
    assignment = evaluation.assign_evaluator(
        application=application, evaluator=ministry, assigned_by=ministry
    )
    evaluation.declare_conflict(assignment=assignment, has_conflict=False, user=ministry)
    evaluation.submit_scores(
        assignment=assignment,
        scores={criterion.pk: (4, "") for criterion in call.criteria.all()},
        user=ministry,
    )
    assert changes_of(assignment, "evaluator assigned").after == {
        "application": application.pk,
        "evaluator": ministry.email,
    }
    conflict = changes_of(assignment, "conflict of interest declared")
    assert (conflict.before, conflict.after) == ({"has_conflict": None}, {"has_conflict": False})
    scores = changes_of(assignment, "scores submitted")
    assert scores.actor == ministry
    assert scores.after == {criterion.name: 4 for criterion in call.criteria.all()}


def test_a_confirmed_selection_records_each_decision_and_status(ministry):
    call = CallFactory(
        stage=2,
        opens_at=timezone.now() - timedelta(days=60),
        deadline_at=timezone.now() - timedelta(days=1),
        years={2025: 1},
    )
    application = under_evaluation(
        call, Municipality.objects.get(name="Paide linn"), preferred_year=2025
    )
    scored(application, ministry, 5)
    [decision] = evaluation.confirm_selection(call=call, start_years={}, reasons={}, user=ministry)
    assert changes_of(decision, "selection decided").after["start_year"] == 2025
    status = changes_of(application, "application status changed")
    assert (status.before, status.after) == (
        {"status": Status.UNDER_EVALUATION},
        {"status": Status.SELECTED},
    )
    assert changes_of(decision.participation, "budget set").after["lines"]


@pytest.fixture
def participation(kov_a, provider):
    today = timezone.localdate()
    participation = Participation(
        municipality=kov_a.municipality,
        cohort=Cohort.objects.create(stage=2, start_year=today.year),
        start_on=today - timedelta(days=200),
        end_on=today + timedelta(days=500),
        source=Participation.Source.SELECTION,
        service_provider=provider.service_provider,
    )
    participation.planned_budget = [
        grants.PlannedLine("staff", "Koordinaator", Decimal("20000.00"))
    ]
    participation.save()
    return participation


def test_submitting_returning_and_approving_a_plan_record_the_status(
    participation, kov_a, ministry
):
    plan = plans.start_plan(participation=participation)
    for component in Component:
        activity(plan, component)
    plans.submit_plan(plan=plan, user=kov_a)
    plans.return_plan(plan=plan, comment="Täpsemalt", user=ministry)
    plans.submit_plan(plan=plan, user=kov_a)
    plans.approve_plan(plan=plan, user=ministry)
    approved = changes_of(plan, "action plan approved")
    assert approved.actor == ministry
    assert (approved.before, approved.after) == (
        {"status": ActionPlan.Status.SUBMITTED},
        {"status": ActionPlan.Status.APPROVED, "revision": 1, "year": participation.start_on.year},
    )
    returned = changes_of(plan, "action plan returned")
    assert returned.after == {"status": "returned", "comment": "Täpsemalt"}
    assert AuditEvent.objects.about(plan).filter(detail="action plan submitted").count() == 2


def test_a_ledger_entry_with_a_document_is_one_change_and_one_upload(participation, kov_a):
    line = participation.budget_lines.get(category="staff")
    document = pdf_upload("arve.pdf")
    entry = grants.record_expenditure(
        **expenditure_kwargs(participation, line, "120.50", kov_a, document=document)
    )
    change = changes_of(entry, "ledger entry added")
    assert change.actor == kov_a
    assert change.after["amount"] == "120.50" and change.after["kind"] == "expenditure"
    upload = only(action=Action.UPLOAD)
    assert (upload.actor, upload.object_id, upload.detail) == (kov_a, str(entry.pk), "arve.pdf")


def test_a_refused_ledger_entry_leaves_no_change_behind(participation, kov_a):
    line = participation.budget_lines.get(category="staff")
    with pytest.raises(grants.Refused):
        grants.record_expenditure(**expenditure_kwargs(participation, line, "99999", kov_a))
    assert not AuditEvent.objects.filter(object_type="grants.ledgerentry").exists()


def test_an_approved_budget_change_records_the_lines_before_and_after(
    participation, kov_a, ministry
):
    staff = participation.budget_lines.get(category="staff")
    reserve = participation.budget_lines.exclude(pk=staff.pk).get()
    change = grants.request_budget_change(
        participation=participation,
        deltas=decided_move(participation, staff, reserve, Decimal("100.00")),
        reason="Koolitus",
        user=kov_a,
    )
    grants.decide_budget_change(change=change, approve=True, reason="", user=ministry)
    decided = changes_of(change, "budget change decided")
    assert decided.actor == ministry
    assert decided.before["status"] == "pending" and decided.after["status"] == "approved"
    # Each line's money in the year the move took it from.
    staff_year = BudgetYear.objects.get(line=staff, year=participation.start_on.year)
    name = f"Koordinaator {staff_year.year}"
    assert decided.before["lines"][name] == str(staff_year.amount + 100)
    assert decided.after["lines"][name] == str(staff_year.amount)
    assert changes_of(change, "budget change requested").actor == kov_a


def test_assigning_a_provider_records_the_one_before_and_after(participation, provider, ministry):
    other = ServiceProviderFactory(name="Teine Nõustaja OÜ")
    programme.assign_providers(assignments={participation: other}, user=ministry)
    change = changes_of(participation, "service provider assigned")
    assert change.actor == ministry
    assert change.before == {"service_provider": provider.service_provider.name}
    assert change.after == {"service_provider": "Teine Nõustaja OÜ"}


def test_each_step_of_a_practice_records_its_status(kov_a, ministry):
    practice = make_practice(kov_a)
    practices.submit_practice(practice=practice, user=kov_a)
    practices.return_practice(practice=practice, user=ministry, comment="Lisage tulemused.")
    practices.submit_practice(practice=practice, user=kov_a)
    practices.publish_practice(practice=practice, user=ministry)
    practices.unpublish_practice(practice=practice, user=ministry)
    returned = changes_of(practice, "practice returned")
    assert returned.actor == ministry
    assert returned.before == {"status": "submitted"}
    assert returned.after == {"status": "returned", "comment": "Lisage tulemused."}
    assert changes_of(practice, "practice published").after == {"status": "published"}
    assert changes_of(practice, "practice unpublished").after == {"status": "draft"}
    assert AuditEvent.objects.filter(detail="practice submitted").count() == 2


def test_confirming_and_disputing_a_counselling_session_are_recorded(
    participation, provider, kov_a
):
    first, second = log(participation, provider), log(participation, provider)
    counselling.answer_session(session=first, confirm=True, comment="", user=kov_a)
    counselling.answer_session(session=second, confirm=False, comment="Kestis tund.", user=kov_a)
    confirmed = changes_of(first, "session confirmed")
    assert confirmed.actor == kov_a
    assert confirmed.before == {"confirmation": "awaiting"}
    assert confirmed.after == {"confirmation": "confirmed"}
    disputed = changes_of(second, "session disputed")
    assert disputed.after == {"confirmation": "disputed", "comment": "Kestis tund."}


def test_inviting_and_deactivating_a_person_are_recorded(ministry, admin, client_for):
    invitation = accounts.invite_user(
        invited_by=ministry,
        email="Uus@Rapla.example",
        full_name="Uus Inimene",
        role=Role.MUNICIPALITY,
        municipality=Municipality.objects.get(ehak_code="0668"),
    )
    person = invitation.user
    invited = changes_of(person, "person invited")
    assert invited.actor == ministry
    assert invited.after == {
        "email": "uus@rapla.example",
        "role": "municipality",
        "organisation": "Rapla vald",
    }
    # Unticking "active" in Django admin is a deactivation too.
    client = client_for(admin)
    url = reverse("admin:accounts_user_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"is_active": "", "municipality": person.municipality_id, "county": ""}
    client.post(url, {k: v for k, v in data.items() if k not in ("password", "groups")})
    person.refresh_from_db()
    assert not person.is_active
    deactivated = changes_of(person, "person deactivated")
    assert deactivated.actor == admin
    assert deactivated.after == {"is_active": False}


def test_a_role_given_in_django_admin_is_recorded_with_before_and_after(admin, kov_a, client_for):
    client = client_for(admin)
    url = reverse("admin:accounts_user_change", args=[kov_a.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"role": Role.MINISTRY, "municipality": "", "county": "", "is_active": "on"}
    response = client.post(url, {k: v for k, v in data.items() if k not in ("password", "groups")})
    assert response.status_code == 302
    changed = changes_of(kov_a, "person changed by an administrator")
    assert changed.actor == admin
    assert changed.before == {"role": "municipality", "municipality": kov_a.municipality_id}
    assert changed.after == {"role": "ministry", "municipality": None}


def test_training_registration_withdrawal_and_attendance_are_recorded(kov_a, ministry):
    from learning import services as learning
    from tests.learning.conftest import make_training, participate

    participate(kov_a.municipality)
    training = make_training()
    person = learning.register_participant(
        training=training, user=kov_a, name="Mari Maasikas", kind="official", role="juht"
    )
    assert changes_of(person, "registered for a training").after == {
        "training": training.pk,
        "name": "Mari Maasikas",
        "kind": "official",
        "role": "juht",
    }
    learning.withdraw_participant(participant=person, user=kov_a)
    assert changes_of(person, "training registration withdrawn").actor == kov_a

    held = make_training(starts_on=timezone.localdate())
    attendee = held.participants.create(
        municipality=kov_a.municipality, name="Jaan", kind="official", role="juht"
    )
    learning.record_attendance(training=held, user=ministry, attendance={attendee.pk: True})
    attended = changes_of(attendee, "training attendance recorded")
    assert (attended.actor, attended.before, attended.after) == (
        ministry,
        {"attended": None},
        {"attended": True},
    )


def test_saving_an_application_section_records_the_fields_it_changed(call, kov_a, client_for):
    draft = intake.start_application(call=call, municipality=kov_a.municipality, user=kov_a)
    client = client_for(kov_a)
    url = reverse("application_budget", args=[draft.pk])
    client.post(
        url,
        {
            "budget-TOTAL_FORMS": "1",
            "budget-INITIAL_FORMS": "0",
            "budget-0-category": "training",
            "budget-0-description": "Koolitus",
            "budget-0-amount": "1250.10",
        },
    )
    saved = changes_of(draft, "application section saved")
    assert saved.actor == kov_a
    assert saved.after == {
        "budget": [{"category": "training", "description": "Koolitus", "amount": "1250.10"}]
    }


def test_creating_and_changing_a_call_are_recorded(ministry, client_for):
    from tests.applications.test_calls import call_form_data

    client = client_for(ministry)
    assert client.post(reverse("call_create"), call_form_data()).status_code == 302
    created = only(detail="call created")
    assert created.actor == ministry and created.before is None
    assert created.after["title"] == "Turvalisuse arenguprogramm, I etapp"
    assert len(created.after["years"]) == 2

    call = Call.objects.get(pk=created.object_id)
    # The same rows again, each with its id: only the title changes.
    data = call_form_data(title="Turvalisuse arenguprogramm, II etapp")
    data |= {"years-INITIAL_FORMS": "2", "sessions-INITIAL_FORMS": "2"}
    for index, year in enumerate(call.start_years.order_by("year")):
        data[f"years-{index}-id"] = str(year.pk)
    for index, session in enumerate(call.info_sessions.order_by("starts_at")):
        data[f"sessions-{index}-id"] = str(session.pk)
    assert client.post(reverse("call_edit", args=[call.pk]), data).status_code == 302
    changed = only(detail="call changed")
    assert changed.before == {"title": "Turvalisuse arenguprogramm, I etapp"}
    assert changed.after == {"title": "Turvalisuse arenguprogramm, II etapp"}


def test_a_report_request_is_recorded(participation, kov_a):
    from reports import services as reports
    from reports.models import Report

    report, _queued = reports.request_report(
        kind=Report.Kind.MUNICIPALITY,
        language="et",
        user=kov_a,
        participation=participation,
        period_start=timezone.localdate().replace(month=1, day=1),
        period_end=timezone.localdate(),
    )
    requested = changes_of(report, "report requested")
    assert requested.actor == kov_a
    assert requested.after["kind"] == "municipality" and requested.after["version"] == 1


def test_the_second_factor_is_recorded_refused_and_accepted(ministry, client):
    from accounts.testing import current_code, totp_device
    from tests.accounts.test_twofactor import wrong_code

    device = totp_device(ministry)
    client.force_login(ministry)
    verify = reverse("two_factor_verify")
    client.post(verify, {"code": wrong_code(device)})
    refused = only(action=Action.SIGN_IN_FAILED)
    assert (refused.actor, refused.detail) == (ministry, "second factor refused")

    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=2)
    )
    assert client.post(verify, {"code": current_code(device)}).status_code == 302
    accepted = only(action=Action.SIGN_IN, detail="second factor accepted")
    assert accepted.actor == ministry


def test_setting_up_the_second_factor_is_recorded(admin, client):
    from accounts.testing import current_code

    client.force_login(admin)
    setup = reverse("two_factor_setup")
    client.get(setup)
    device = TOTPDevice.objects.get(user=admin)
    assert client.post(setup, {"code": current_code(device)}).status_code == 302
    set_up = changes_of(device, "second factor set up")
    assert (set_up.actor, set_up.after) == (admin, {"confirmed": True})


# ---------------------------------------------------------------------------------------------
# Uploads, downloads, exports
# ---------------------------------------------------------------------------------------------


def test_uploading_and_downloading_the_council_decision_are_recorded(call, kov_a, client_for):
    draft = intake.start_application(call=call, municipality=kov_a.municipality, user=kov_a)
    decision = intake.upload_council_decision(
        application=draft,
        uploaded_file=pdf_upload("otsus.pdf"),
        user=kov_a,
    )
    upload = only(action=Action.UPLOAD)
    assert (upload.actor, upload.object_type, upload.detail) == (
        kov_a,
        "applications.councildecision",
        "otsus.pdf",
    )
    assert upload.after["sha256"] == decision.sha256
    url = reverse("application_decision_download", args=[draft.pk, decision.pk])
    response = client_for(kov_a).get(url)
    assert response.status_code == 200
    download = only(action=Action.DOWNLOAD)
    assert (download.actor, download.object_id, download.path) == (kov_a, str(decision.pk), url)


def sharing_event(kov_a, *materials: str) -> SharingEvent:
    return learning.save_sharing_event(
        event=None,
        user=kov_a,
        title="Kogemuspäev",
        held_on=timezone.localdate() - timedelta(days=7),
        level=SharingEvent.Level.NATIONAL,
        county=None,
        host="Rapla vald",
        presenters=[kov_a.municipality],
        attendees=[],
        notes="",
        materials=[pdf_upload(name) for name in materials],
    )


def test_uploading_sharing_materials_is_one_record_a_file(kov_a):
    event = sharing_event(kov_a, "ettekanne.pdf", "lisa.pdf")
    uploads = AuditEvent.objects.filter(action=Action.UPLOAD).order_by("detail")
    assert [(u.actor, u.object_type, u.detail) for u in uploads] == [
        (kov_a, "learning.sharingmaterial", "ettekanne.pdf"),
        (kov_a, "learning.sharingmaterial", "lisa.pdf"),
    ]
    assert {u.object_id for u in uploads} == {str(m.pk) for m in event.materials.all()}


def _ledger_document(participation, kov_a):
    line = participation.budget_lines.get(category="staff")
    entry = grants.record_expenditure(
        **expenditure_kwargs(participation, line, "10", kov_a, document=pdf_upload("arve.pdf"))
    )
    return entry, reverse("ledger_document", args=[participation.pk, entry.pk])


def _sharing_material(participation, kov_a):
    event = sharing_event(kov_a, "ettekanne.pdf")
    material = event.materials.get()
    return material, reverse("sharing_material", args=[event.pk, material.pk])


def _report(participation, kov_a):
    report = Report.objects.create(
        kind=Report.Kind.MUNICIPALITY,
        language="et",
        participation=participation,
        period_start=timezone.localdate() - timedelta(days=90),
        period_end=timezone.localdate(),
        status=Report.Status.DONE,
        requested_by=kov_a,
        finished_at=timezone.now(),
    )
    report.file.save("report.pdf", ContentFile(pdf_bytes()))
    return report, reverse("report_download", args=[report.pk])


@pytest.mark.parametrize("stored", [_ledger_document, _sharing_material, _report])
def test_every_download_of_a_stored_file_is_one_record(stored, participation, kov_a, client_for):
    obj, url = stored(participation, kov_a)
    response = client_for(kov_a).get(url)
    assert response.status_code == 200
    download = only(action=Action.DOWNLOAD)
    assert (download.actor, download.object_id, download.path) == (kov_a, str(obj.pk), url)
    assert download.detail == response.filename


@pytest.mark.parametrize(
    ("route", "args", "filename"),
    [
        ("application_export", [], "applications.csv"),
        ("ledger_export", ["xlsx"], "ledger-overview.xlsx"),
        ("ledger_entries_export", ["csv"], "ledger-entries.csv"),
        ("counselling_export", ["csv"], "counselling-sessions.csv"),
        ("export_table", ["participations", "xlsx"], "participations.xlsx"),
    ],
)
def test_every_export_is_one_record(route, args, filename, ministry, client_for):
    response = client_for(ministry).get(reverse(route, args=args))
    assert response.status_code == 200
    event = only(action=Action.EXPORT)
    assert (event.actor, event.detail) == (ministry, filename)


# ---------------------------------------------------------------------------------------------
# Reading the log
# ---------------------------------------------------------------------------------------------


def test_administrators_read_the_log_newest_first_and_filter_it(admin, kov_a, client_for):
    record(kov_a, Action.EXPORT, detail="applications.csv")
    record(None, Action.SIGN_IN_FAILED, actor_label="kes@example.org")
    page = client_for(admin, "en").get(reverse("audit_log")).content.decode()
    assert page.index("kes@example.org") < page.index("applications.csv")
    filtered = client_for(admin, "en").get(reverse("audit_log"), {"action": Action.EXPORT})
    listed = list(filtered.context["listing"].page)
    assert [event.detail for event in listed] == ["applications.csv"]


@pytest.mark.parametrize("persona", ["ministry", "kov_a", "provider"])
def test_no_one_but_administrators_reads_the_log(persona, request, client_for):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("audit_log")).status_code == 403


def test_the_log_page_does_the_same_queries_for_few_records_and_many(
    admin, kov_a, ministry, client_for
):
    client = client_for(admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("audit_log")).status_code == 200
        return len(captured)

    record(kov_a, Action.EXPORT, detail="a.csv")
    queries()  # the first request of a session loads more (the session, the device)
    few = queries()
    for user in [kov_a, ministry, admin] * 8:
        record(user, Action.DOWNLOAD, detail="b.pdf")
    assert queries() == few


def test_django_admin_shows_the_log_and_changes_nothing(admin, event, client_for):
    client = client_for(admin)
    base = "admin:audit_auditevent"
    assert client.get(reverse(f"{base}_changelist")).status_code == 200
    assert client.get(reverse(f"{base}_change", args=[event.pk])).status_code == 200
    assert client.get(reverse(f"{base}_add")).status_code == 403
    assert client.post(reverse(f"{base}_delete", args=[event.pk])).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
