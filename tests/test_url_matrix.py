"""Every route of the portal against every persona.

The URL configuration is walked (includes too; Django admin is left out, it is guarded by
``is_staff``), and each route is opened by an anonymous visitor and by seven signed-in personas
over one data set in which every object a URL names belongs to municipality A (Rapla vald, in
the programme, counselled by the ``provider`` persona's organisation). Municipality B (Keila
linn) is in the programme without a provider. What each persona should get is written out in
MATRIX, read from each view's code: 404 for an object the persona may not see, 403 for a
section not meant for its role. A route missing from MATRIX fails, so a new route has to be
added here with what it answers to whom.
"""

import copy
import hashlib
import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone

from accounts.models import Invitation, Role
from accounts.testing import force_login
from actionplans.models import Indicator
from actionplans.services import start_plan
from agreements import services as agreements
from applications.models import Application, Assignment, Status
from closing.services import start_report
from conversations.services import post_message
from counselling.models import CounsellingSession
from grants import services as grants
from grants.models import LedgerEntry
from grants.services import PlannedLine
from inquiries.models import InformationRequest
from learning import services as learning
from learning.models import Organiser, SharingEvent, TrainingParticipant
from notifications.models import Kind
from notifications.services import notify
from practices.models import Practice
from programme.models import County, Municipality
from reports.models import Report
from tests.agreements.containers import make_signer, signed_container
from tests.conftest import KEILA_LINN, RAPLA_VALD, make_persona, rows_of_the_module
from tests.counselling.conftest import log, make_participation, step
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    UserFactory,
    complete_application,
    decided_move,
    pdf_bytes,
)
from tests.learning.conftest import add_participant, make_training
from tests.practices.conftest import make_practice
from turvaportaal.lib.routes import walk

pytestmark = pytest.mark.django_db

# In the titles and texts of municipality A's objects: a page refused to someone must not show it.
SECRET = "Salajane-7Q"
PARTICIPANT_NAME = f"Tiit {SECRET}"

PERSONAS = (
    "kov_a",
    "kov_b",
    "provider",
    "other_provider",
    "ministry",
    "admin",
    "county_evaluator",
)


# ---------------------------------------------------------------------------------------------
# The routes
# ---------------------------------------------------------------------------------------------


ROUTES = walk(get_resolver().url_patterns)
# One entry a name: the first pattern of a name is the one reverse() gives (accounts/login/ is
# named twice, by the portal and by django.contrib.auth.urls).
ROUTE_NAMES = list(dict.fromkeys(name for _route, name, _params in ROUTES if name))
ROUTE_PARAMS = {name: params for _route, name, params in reversed(ROUTES) if name}

# Routes open without signing in, and what an anonymous GET gets.
PUBLIC = {
    "login": 200,
    "password_reset": 200,
    "password_reset_done": 200,
    "password_reset_confirm": 200,  # a made-up link: the page says it is invalid
    "password_reset_complete": 200,
    "invitation_accept": 200,
    # Sign-in with eID: TARA is not set up here (tests/accounts/test_tara.py sets it up).
    "eid_start": 404,
    "eid_callback": 404,
    "programme_overview": 200,
    "health": 200,
    "set_language": 302,  # back to where the visitor came from
    "accessibility": 200,
    "privacy_notice": 200,
    "cookies": 200,
}

# Views that change state and take only POST (require_POST, or Django's LogoutView).
POST_ONLY = {
    "logout",
    "invitation_resend",
    "application_start",
    "call_start_evaluation",
    "evaluation_assign",
    "evaluation_assign_many",
    "plan_submit",
    "plan_reopen",
    "ledger_expenditure",
    "ledger_disbursement",
    "ledger_review",
    "claim_add",
    "claim_remove",
    "claim_decide",
    "budget_change",
    "budget_change_decide",
    "session_answer",
    "step_status",
    "training_register",
    "training_withdraw",
    "practice_submit",
    "practice_publish",
    "practice_return",
    "practice_unpublish",
    "report_request_municipality",
    "report_request_programme",
    "report_request_application",
    "notifications_mark_read",
    "final_report_practice",
}


# Pages that only tell something (Django's TemplateViews, the search boxes' answers): POST
# answers 405.
GET_ONLY = {
    "password_change_done",
    "password_reset_done",
    "password_reset_complete",
    "municipality_search",
    "participation_search",
    "accessibility",
    "privacy_notice",
    "cookies",
    "personal_data",
    "personal_data_export",
}


# ---------------------------------------------------------------------------------------------
# The matrix: the status each signed-in persona gets. For POST_ONLY routes it is the status of
# an empty POST (GET answers 405 to everyone signed in); for the others that of a GET.
# ---------------------------------------------------------------------------------------------


def row(
    kov_a: int,
    kov_b: int,
    provider: int,
    other_provider: int,
    ministry: int,
    admin: int,
    county_evaluator: int,
) -> dict[str, int]:
    statuses = (kov_a, kov_b, provider, other_provider, ministry, admin, county_evaluator)
    return dict(zip(PERSONAS, statuses, strict=True))


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def staff(status: int = 200) -> dict[str, int]:
    """A section for ministry staff and admins only (programme_staff_required)."""
    return row(403, 403, 403, 403, status, status, 403)


#             kov_a kov_b  prov  other  min  admin  county
# What municipality A's counselling sees: A, its provider, ministry staff.
A_COUNSELLED = row(200, 404, 200, 404, 200, 200, 404)
# The ministry's action on A's ledger: who sees the ledger but may not act gets 403.
A_MINISTRY_ACTION = row(403, 404, 403, 404, 302, 302, 404)
# A's application: A, ministry staff, and the county evaluator assigned to it.
A_APPLICATION = row(200, 404, 404, 404, 200, 200, 200)
# A changes its own application; who may only read it gets 403.
A_APPLICATION_EDIT = row(200, 404, 404, 404, 403, 403, 403)
# The parts of A's plan: whoever reads the plan opens each, read-only with the reason where they
# may not change it; only A changes them (POST_STATUS: the others' POST is 403).
A_PLAN_EDIT = row(200, 404, 200, 404, 200, 200, 404)
# A's action on its plan; who reads the plan but may not act gets 403. A's plan is a draft: its
# next revision is not started (a not-now refusal, back to the plan with the reason).
A_PLAN_ACTION = row(302, 404, 403, 404, 403, 403, 404)
# A's messages: A, its provider, ministry staff; not administrators.
A_THREAD = row(200, 404, 200, 404, 200, 404, 404)
# A training the provider persona's organisation organises (trainings are for every signed-in
# user to see; who organises it edits it and records attendance).
ORGANISER = row(403, 403, 200, 403, 200, 200, 403)

MATRIX: dict[str, dict[str, int]] = {
    # dashboards
    "dashboard": everyone(200),  # the county evaluator's start page is its queue
    "programme_overview": everyone(200),
    # accounts
    "login": everyone(302),  # signed in already: to the dashboard
    "logout": everyone(302),  # POST: to the sign-in page
    "password_change": everyone(200),
    "password_change_done": everyone(200),
    "password_reset": everyone(200),
    "password_reset_done": everyone(200),
    "password_reset_confirm": everyone(200),
    "password_reset_complete": everyone(200),
    "invitation_accept": everyone(200),  # the link is the secret
    # Sign-in with eID: TARA is not set up here (tests/accounts/test_tara.py sets it up).
    "eid_start": everyone(404),
    "eid_callback": everyone(404),
    # The second factor's pages: who has entered a code, or needs none, is sent on.
    "two_factor_setup": everyone(302),
    "two_factor_verify": everyone(302),
    "people": staff(),
    "invite": staff(),
    "invitation_resend": staff(302),
    # programme
    "municipality_list": staff(),
    "municipality_detail": A_COUNSELLED,
    # The search boxes' answers: municipality names are public; participations as visible_to.
    "municipality_search": everyone(200),
    "participation_search": everyone(200),
    "call_list": staff(),
    "call_create": staff(),
    "call_edit": staff(),
    "participation_list": staff(),
    "provider_list": staff(),
    "provider_create": staff(),
    "provider_edit": staff(),
    "provider_assignments": staff(),
    # applications
    "application_list": staff(),
    "application_export": staff(),
    "application_detail": A_APPLICATION,
    "application_form": A_APPLICATION_EDIT,
    "application_budget": A_APPLICATION_EDIT,
    "application_activities": A_APPLICATION_EDIT,
    "application_decision": A_APPLICATION_EDIT,
    "application_decision_download": A_APPLICATION,
    # Check your answers (GET), then the submission with the declaration (POST).
    "application_submit": row(200, 404, 404, 404, 403, 403, 403),
    # Are you sure (GET), then the withdrawal (POST). A's is a draft: the page says why it
    # cannot be withdrawn, and a POST goes back to the application with the reason.
    "application_withdraw": A_APPLICATION_EDIT,
    # A draft has no receipt yet: whoever may see it is sent to the application.
    "application_receipt": row(302, 404, 404, 404, 302, 302, 302),
    # Only municipality users apply, and A and B are in the programme: they never apply again.
    "application_start": everyone(403),
    "call_overview": staff(),
    "call_start_evaluation": staff(302),
    "evaluation_overview": staff(),
    "evaluation_criteria": staff(),
    "selection": staff(),
    "evaluation_assign": staff(302),
    # An empty POST ticks nothing: the overview again, with what to choose.
    "evaluation_assign_many": staff(200),
    "consensus": staff(),
    "my_evaluations": everyone(200),
    # The assignment is the county evaluator's own.
    "evaluate": row(404, 404, 404, 404, 404, 404, 200),
    # action plans
    "plan_list": staff(),
    # A has its plan (to it); B has none yet (the page to start it); the others have no plan.
    "my_plan": row(302, 200, 403, 403, 403, 403, 403),
    "plan_detail": A_COUNSELLED,
    "plan_text": A_PLAN_EDIT,
    "plan_problems": A_PLAN_EDIT,
    "plan_goals": A_PLAN_EDIT,
    "plan_activities": A_PLAN_EDIT,
    "plan_targets": A_PLAN_EDIT,
    "plan_indicators": A_COUNSELLED,
    "plan_submit": A_PLAN_ACTION,
    "plan_reopen": A_PLAN_ACTION,
    # The ministry decides, on the page that says what approving and returning do; A's draft is
    # not submitted (a not-now refusal: the page says why, a POST shows it again with it).
    "plan_decide": row(403, 404, 403, 404, 200, 200, 404),
    "plan_revisions": A_COUNSELLED,
    "plan_updates": A_COUNSELLED,
    # The ministry reviews a sent update, on the page that says what accepting and returning do;
    # A's first update is not sent (a not-now refusal: the page says why; an empty POST, the
    # page again). A and its provider read the update but do not review it.
    "plan_update_review": row(403, 404, 403, 404, 200, 200, 404),
    "indicator_catalogue": staff(),
    "indicator_edit": staff(),
    # grants
    "ledger_overview": staff(),
    "ledger_export": staff(),
    "ledger_entries_export": staff(),
    "ledger": A_COUNSELLED,
    "ledger_expenditure": row(200, 404, 403, 404, 403, 403, 404),
    "ledger_disbursement": row(403, 404, 403, 404, 200, 200, 404),  # the empty form comes back
    # Are you sure, with the reason to type (GET), then the reversal (POST; an empty reason: the
    # page again). A's entry waits for review: A may reverse it, the ministry reviews it first.
    "ledger_reverse": row(200, 404, 403, 404, 200, 200, 404),
    "ledger_review": A_MINISTRY_ACTION,
    "ledger_document": A_COUNSELLED,
    # A's payment claim, submitted with one line the ministry has not decided. A no longer
    # edits it (an empty POST: the page again, or back to it, with the reason); only A makes
    # and edits claims, only the ministry reviews and decides them (a line undecided: not now).
    "claims": A_COUNSELLED,
    "claim": A_COUNSELLED,
    "claim_add": row(200, 404, 403, 404, 403, 403, 404),
    "claim_remove": row(302, 404, 403, 404, 403, 403, 404),
    "claim_submit": row(200, 404, 403, 404, 403, 403, 404),
    "claim_submitted": A_COUNSELLED,
    "claim_review": row(403, 404, 403, 404, 200, 200, 404),
    "claim_decide": A_MINISTRY_ACTION,
    "claim_export": A_COUNSELLED,
    "budget_change": row(200, 404, 403, 404, 403, 403, 404),
    "budget_change_decide": A_MINISTRY_ACTION,
    # counselling
    "session_list": everyone(200),
    "session_create": row(403, 403, 200, 200, 403, 403, 403),  # providers log sessions
    "counselling_totals": everyone(200),
    "counselling_export": everyone(200),  # each reads only the sessions it may see
    "session_detail": A_COUNSELLED,
    "session_edit": row(403, 404, 200, 404, 403, 403, 404),  # the provider that logged it
    # A answers (an empty POST: the page again, with the reason beside the answer); who reads
    # the session but does not answer it gets 403 with the reason.
    "session_answer": row(200, 404, 403, 404, 403, 403, 404),
    "step_status": row(302, 404, 302, 404, 403, 403, 404),  # A and its provider
    # learning
    "training_list": everyone(200),
    "training_create": row(403, 403, 200, 200, 200, 200, 403),
    "training_overview": staff(),
    "training_detail": everyone(200),  # the names registered are checked separately
    "training_edit": ORGANISER,
    # Municipality users register their own people (an empty form: the page with its errors).
    "training_register": row(200, 200, 403, 403, 403, 403, 403),
    # A's own person; who sees the registration but may not withdraw it gets 403.
    "training_withdraw": row(302, 404, 403, 404, 403, 403, 404),
    "training_attendance": ORGANISER,
    "sharing_list": everyone(200),
    "sharing_create": row(200, 200, 403, 403, 200, 200, 403),
    "sharing_detail": A_COUNSELLED,
    "sharing_edit": row(200, 404, 403, 404, 200, 200, 404),  # A recorded it
    "sharing_material": A_COUNSELLED,
    # practices (A's, not published)
    "practice_list": everyone(200),
    "practice_create": row(200, 200, 403, 403, 200, 200, 403),
    "practice_detail": row(200, 404, 404, 404, 200, 200, 404),
    "practice_edit": row(200, 404, 404, 404, 200, 200, 404),
    "practice_submit": row(302, 404, 404, 404, 302, 302, 404),
    # The ministry's steps: A, who reads its own draft, gets 403; a draft cannot be published
    # or unpublished now (back to the page with the reason).
    "practice_publish": row(403, 404, 404, 404, 302, 302, 404),
    "practice_return": row(403, 404, 404, 404, 200, 200, 404),  # no comment: the page again
    "practice_unpublish": row(403, 404, 404, 404, 302, 302, 404),
    # reports (a finished progress report of A)
    "report_list": everyone(200),
    "report_request_municipality": everyone(200),  # an empty form: the list with its errors
    "report_request_programme": staff(200),
    # A draft does not print: whoever may see it is sent back to it with the reason.
    "report_request_application": row(302, 404, 404, 404, 302, 302, 302),
    "export_list": staff(),
    "export_table": staff(),
    # evaluation: the comparison of participants with the rest, from official statistics
    # A's Ringist Välja and STAD counts: read as A's participation; only A records them.
    "participation_counts": A_COUNSELLED,
    "report_detail": A_COUNSELLED,
    "report_status": A_COUNSELLED,
    "report_download": A_COUNSELLED,
    # closing: A's final report, a draft with its answers missing. A writes it and checks its
    # answers (an empty POST: saved as a draft; the submission refused, the page again); who
    # reads it may not write it (403). The draft is not submitted: its confirmation sends on to
    # the report. The ministry decides a submitted report and closes after the approval (not
    # now: the page says why, an empty POST shows it again). The lessons are not written yet:
    # A's practice button sends back to the report with the reason.
    "final_report": A_COUNSELLED,
    "final_report_edit": row(200, 404, 403, 404, 403, 403, 404),
    "final_report_check": row(200, 404, 403, 404, 403, 403, 404),
    "final_report_submitted": row(302, 404, 302, 404, 302, 302, 404),
    "final_report_decide": row(403, 404, 403, 404, 200, 200, 404),
    "final_report_practice": row(302, 404, 403, 404, 403, 403, 404),
    "participation_close": row(403, 404, 403, 404, 200, 200, 404),
    # conversations: A's thread is read and written by A, its provider and ministry staff, and
    # by no one else, administrators neither (an empty POST: the form with its errors).
    "conversation": A_THREAD,
    "conversation_attachment": A_THREAD,
    # agreements: A's agreement is signed and has an amendment; A, its provider and ministry staff
    # read it. Only the ministry writes: the terms and the signed copy no longer change (the
    # pages say why not now, an empty POST shows the form again), an amendment may be added.
    "agreement": A_COUNSELLED,
    "agreement_edit": row(403, 404, 403, 404, 200, 200, 404),
    "agreement_upload": row(403, 404, 403, 404, 200, 200, 404),
    "agreement_amend": row(403, 404, 403, 404, 200, 200, 404),
    "agreement_download": A_COUNSELLED,
    "amendment_download": A_COUNSELLED,
    # notifications: each person's own (A has one about its plan)
    "notification_list": everyone(200),
    "notification_open": row(302, 404, 404, 404, 404, 404, 404),
    "notifications_mark_read": everyone(302),
    "notification_settings": everyone(200),
    # inquiries: requests for more information about A's plan, one open and one answered with a
    # file; read by whoever reads the plan. Only the ministry asks (A's plan is a draft: the
    # page says why not now), only A answers, and the ministry withdraws the open one.
    "inquiry_list": everyone(200),
    "inquiry_ask": row(403, 404, 403, 404, 200, 200, 404),
    "inquiry_detail": A_COUNSELLED,
    "inquiry_answer": row(200, 404, 403, 404, 403, 403, 404),
    "inquiry_answered": A_COUNSELLED,
    "inquiry_withdraw": row(403, 404, 403, 404, 200, 200, 404),
    "inquiry_attachment": A_COUNSELLED,
    # audit (administrators only)
    "audit_log": row(403, 403, 403, 403, 403, 200, 403),
    # privacy: the public pages; a person's data for administrators only (an empty POST to
    # the erasure asks for the confirmation)
    "accessibility": everyone(200),
    "privacy_notice": everyone(200),
    "cookies": everyone(200),
    "personal_data": row(403, 403, 403, 403, 403, 200, 403),
    "personal_data_export": row(403, 403, 403, 403, 403, 200, 403),
    "personal_data_erase": row(403, 403, 403, 403, 403, 200, 403),
    # wiring
    "set_language": everyone(302),
    "health": everyone(200),
}

# An empty POST to a page that is not POST_ONLY, by a persona that may open it, answers 200 (the
# form with its errors) or 302 (saved, or sent on); refused personas get what GET gets. These
# answer otherwise, as their code says:
POST_STATUS = {
    # Who reads A's claims but may not make or edit them.
    **{
        (name, persona): 403
        for name in ("claims", "claim")
        for persona in ("provider", "ministry", "admin")
    },
    # An empty POST names no quarterly update: there is none such, for everyone who reads A's
    # plan (only A sends its updates: a reader who names one gets 403, with the reason).
    ("plan_updates", "kov_a"): 404,
    ("plan_updates", "provider"): 404,
    ("plan_updates", "ministry"): 404,
    ("plan_updates", "admin"): 404,
    **{("participation_counts", persona): 403 for persona in ("provider", "ministry", "admin")},
    # Who reads A's plan opens each part of it, but only A changes it.
    **{
        (name, persona): 403
        for name in (
            "plan_text",
            "plan_problems",
            "plan_goals",
            "plan_activities",
            "plan_targets",
        )
        for persona in ("provider", "ministry", "admin")
    },
}


def route_kwargs(world: SimpleNamespace) -> dict[str, dict[str, Any]]:
    """The URL parameters of every route that takes some: all name municipality A's objects."""
    application = {"pk": world.application.pk}
    call = {"pk": world.call.pk}
    plan = {"pk": world.plan.pk}
    participation = {"pk": world.participation_a.pk}
    entry = participation | {"entry_pk": world.entry.pk}
    claim = participation | {"claim_pk": world.claim.pk}
    session = {"pk": world.session.pk}
    training = {"pk": world.training.pk}
    event = {"pk": world.event.pk}
    practice = {"pk": world.practice.pk}
    report = {"pk": world.report.pk}
    return {
        "password_reset_confirm": {"uidb64": "MQ", "token": "abc-0123456789abcdef"},
        "invitation_accept": {"token": world.token},
        "invitation_resend": {"pk": world.invitation.pk},
        "personal_data": {"pk": world.users["kov_b"].pk},
        "personal_data_export": {"pk": world.users["kov_b"].pk},
        "personal_data_erase": {"pk": world.users["kov_b"].pk},
        "municipality_detail": {"ehak_code": RAPLA_VALD},
        "call_edit": call,
        "provider_edit": {"pk": world.provider.service_provider_id},
        "application_detail": application,
        "application_form": application,
        "application_budget": application,
        "application_activities": application,
        "application_decision": application,
        "application_decision_download": application | {"decision_pk": world.decision.pk},
        "application_submit": application,
        "application_withdraw": application,
        "application_receipt": application,
        "application_start": {"call_pk": world.call.pk},
        "call_overview": call,
        "call_start_evaluation": call,
        "evaluation_overview": call,
        "evaluation_criteria": call,
        "selection": call,
        "evaluation_assign": application,
        "evaluation_assign_many": call,
        "consensus": application,
        "evaluate": {"pk": world.assignment.pk},
        "plan_detail": plan,
        "plan_text": plan,
        "plan_problems": plan,
        "plan_goals": plan,
        "plan_activities": plan,
        "plan_indicators": plan,
        "plan_targets": plan,
        "plan_submit": plan,
        "plan_decide": plan,
        "plan_reopen": plan,
        "plan_revisions": plan,
        "plan_updates": plan,
        "plan_update_review": plan | {"update_pk": world.update.pk},
        "indicator_edit": {"pk": world.indicator.pk},
        "ledger_export": {"fmt": "csv"},
        "ledger_entries_export": {"fmt": "xlsx"},
        "ledger": participation,
        "ledger_expenditure": participation,
        "ledger_disbursement": participation,
        "ledger_reverse": entry,
        "ledger_review": entry,
        "ledger_document": entry,
        "budget_change": participation,
        "final_report": participation,
        "participation_counts": participation,
        "final_report_edit": participation,
        "final_report_check": participation,
        "final_report_submitted": participation,
        "final_report_decide": participation,
        "final_report_practice": participation,
        "participation_close": participation,
        "budget_change_decide": participation | {"change_pk": world.change.pk},
        "claims": participation,
        "claim": claim,
        "claim_add": claim,
        "claim_remove": claim | {"line_pk": world.claim_line.pk},
        "claim_submit": claim,
        "claim_submitted": claim,
        "claim_review": claim,
        "claim_decide": claim,
        "claim_export": claim | {"fmt": "xlsx"},
        "counselling_export": {"fmt": "csv"},
        "session_detail": session,
        "session_edit": session,
        "session_answer": session,
        "step_status": {"pk": world.step.pk},
        "training_detail": training,
        "training_edit": training,
        "training_register": training,
        "training_withdraw": training | {"participant_pk": world.participant.pk},
        "training_attendance": training,
        "sharing_detail": event,
        "sharing_edit": event,
        "sharing_material": event | {"material_pk": world.material.pk},
        "practice_detail": practice,
        "practice_edit": practice,
        "practice_submit": practice,
        "practice_publish": practice,
        "practice_return": practice,
        "practice_unpublish": practice,
        "report_request_application": application,
        "export_table": {"table": "applications", "fmt": "csv"},
        "report_detail": report,
        "report_status": report,
        "report_download": report,
        "inquiry_ask": {"subject": "plan", "pk": world.plan.pk},
        "inquiry_detail": {"pk": world.inquiry.pk},
        "inquiry_answer": {"pk": world.inquiry.pk},
        "inquiry_answered": {"pk": world.answered_inquiry.pk},
        "inquiry_withdraw": {"pk": world.inquiry.pk},
        "inquiry_attachment": {"pk": world.answered_inquiry.pk},
        "conversation": participation,
        "conversation_attachment": participation | {"attachment_pk": world.attachment.pk},
        "agreement": participation,
        "agreement_edit": participation,
        "agreement_upload": participation,
        "agreement_amend": participation,
        "agreement_download": participation,
        "amendment_download": participation | {"amendment_pk": world.amendment.pk},
        "notification_open": {"pk": world.notice.pk},
    }


# ---------------------------------------------------------------------------------------------
# The data: one world a module, everything of municipality A
# ---------------------------------------------------------------------------------------------

PDF = pdf_bytes()


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


@pytest.fixture(scope="module")
def world_of_the_module(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[SimpleNamespace, Path]]:
    """The world and the folder of its files, built once a module: the routes are many, and
    what a test posts is rolled back."""
    media = tmp_path_factory.mktemp("world")
    with rows_of_the_module(django_db_blocker, media):
        people = [
            make_persona(name) for name in ("kov_a", "kov_b", "provider", "ministry", "admin")
        ]
        yield build_world(*people), media


@pytest.fixture
def world(
    world_of_the_module: tuple[SimpleNamespace, Path], db: None, settings: Any
) -> SimpleNamespace:
    """The module's world, its files copied to the test's own MEDIA_ROOT, its objects copied so
    that what a test changes in them stays in the test."""
    built, media = world_of_the_module
    shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return copy.deepcopy(built)


def build_world(kov_a, kov_b, provider, ministry, admin) -> SimpleNamespace:
    """The data set of the matrix (the accessibility walk in tests/browser uses it too)."""
    today = timezone.localdate()
    rapla = kov_a.municipality
    other_provider = UserFactory(role=Role.PROVIDER, email="olev@teine.example")
    county_evaluator = UserFactory(
        role=Role.COUNTY_EVALUATOR, county=rapla.county, email="mtn@rapla.example"
    )

    participation_a = make_participation(
        kov_a,
        provider.service_provider,
        budget=[
            PlannedLine("staff", "Koordinaator", Decimal("20000.00")),
            PlannedLine("training", "Koolitused", Decimal("10000.00")),
        ],
    )
    make_participation(kov_b)  # B takes part, no provider

    # A new colleague of A, invited and not yet signed in.
    newcomer = UserFactory(role=Role.MUNICIPALITY, email="uus@rapla.example")
    invitation = Invitation.objects.create(
        user=newcomer, invited_by=ministry, expires_at=timezone.now() + timedelta(days=7)
    )
    token = invitation.issue_token()

    call = CallFactory()
    application = complete_application(ApplicationFactory(call=call, municipality=rapla))
    Application.objects.filter(pk=application.pk).update(contact_name=f"Kontakt {SECRET}")
    assignment = Assignment.objects.create(
        application=application, evaluator=county_evaluator, assigned_by=ministry
    )

    plan = start_plan(participation=participation_a)
    start_report(participation=participation_a, user=kov_a)

    staff_line = participation_a.budget_lines.get(category="staff")
    training_line = participation_a.budget_lines.get(category="training")
    entry = grants.record_expenditure(
        participation=participation_a,
        budget_line=staff_line,
        amount=Decimal("120.00"),
        entry_on=today,
        description=f"Arve {SECRET}",
        supplier="Tarnija OÜ",
        invoice_number="A-1",
        document=_pdf("arve.pdf"),
        user=kov_a,
    )
    change = grants.request_budget_change(
        participation=participation_a,
        deltas=decided_move(participation_a, staff_line, training_line, Decimal("100.00")),
        reason="Rohkem koolitusi",
        user=kov_a,
    )
    # A's payment claim with the expenditure, submitted: the ministry has not decided its line.
    claim = grants.create_claim(
        participation=participation_a,
        period_start=participation_a.start_on,
        period_end=today,
        forecast_amount=Decimal("500.00"),
        forecast_note=f"Prognoos {SECRET}",
        user=kov_a,
    )
    [claim_line] = grants.add_to_claim(claim=claim, entries=[entry], user=kov_a)
    grants.submit_claim(claim=claim, user=kov_a)

    session = log(participation_a, provider, steps=[step()], summary=f"Kokkuvõte {SECRET}")

    training = make_training(
        title="Juhtumikorraldus",
        organiser=Organiser.SERVICE_PROVIDER,
        service_provider=provider.service_provider,
    )
    participant = add_participant(training, rapla, PARTICIPANT_NAME)

    event = learning.save_sharing_event(
        event=None,
        user=kov_a,
        title=f"Kogemuspäev {SECRET}",
        held_on=today - timedelta(days=7),
        level=SharingEvent.Level.NATIONAL,
        county=None,
        host="Rapla vald",
        presenters=[rapla],
        attendees=[],
        notes="",
        materials=[_pdf("ettekanne.pdf")],
    )

    practice = make_practice(kov_a, title=f"Ööjalgpall {SECRET}")

    # The ministry's questions about A's plan, one answered with a file, one awaiting the
    # answer (made as they are: the plan is a draft, which no one is asked about).
    answered_inquiry = InformationRequest(
        plan=plan,
        municipality=rapla,
        question=f"Küsimus {SECRET}",
        asked_by=ministry,
        answer=f"Vastus {SECRET}",
        answered_by=kov_a,
        answered_at=timezone.now(),
        attachment_name="vastus.pdf",
    )
    answered_inquiry.attachment.save("answer.pdf", ContentFile(PDF), save=True)
    inquiry = InformationRequest.objects.create(
        plan=plan, municipality=rapla, question=f"Täpsustus {SECRET}", asked_by=ministry
    )

    message = post_message(
        participation=participation_a,
        user=provider,
        body=f"Kohtumise kokkuvõte {SECRET}",
        attachments=[_pdf("kokkuvote.pdf")],
    )

    # A's partnership agreement, signed, with one signed amendment.
    agreement = agreements.save_agreement(
        participation=participation_a,
        user=ministry,
        terms={
            "number": "2.1-3/26/1",
            "start_on": participation_a.start_on,
            "end_on": participation_a.end_on,
            "ministry_signatory": "Mari Mets",
            "municipality_signatory": f"Jaan {SECRET}",
            "grant_amount": participation_a.grant_amount,
        },
    )
    signed = signed_container(make_signer())
    agreements.store_signed_agreement(
        agreement=agreement,
        uploaded_file=SimpleUploadedFile("leping.asice", signed),
        user=ministry,
    )
    amendment = agreements.add_amendment(
        agreement=agreement,
        user=ministry,
        dated_on=today,
        changes=f"Muudatus {SECRET}",
        uploaded_file=SimpleUploadedFile("muudatus.asice", signed),
    )

    report = Report.objects.create(
        kind=Report.Kind.MUNICIPALITY,
        language="et",
        participation=participation_a,
        period_start=today.replace(month=1, day=1),
        period_end=today,
        status=Report.Status.DONE,
        requested_by=kov_a,
        finished_at=timezone.now(),
    )
    report.file.save("report.pdf", ContentFile(PDF), save=False)
    report.size, report.sha256 = len(PDF), hashlib.sha256(PDF).hexdigest()
    report.save()

    users = {
        "kov_a": kov_a,
        "kov_b": kov_b,
        "provider": provider,
        "other_provider": other_provider,
        "ministry": ministry,
        "admin": admin,
        "county_evaluator": county_evaluator,
    }
    world = SimpleNamespace(
        users=users,
        provider=provider,
        participation_a=participation_a,
        invitation=invitation,
        token=token,
        call=call,
        application=application,
        decision=application.council_decisions.get(),
        assignment=assignment,
        plan=plan,
        indicator=Indicator.objects.filter(municipality__isnull=True).first(),
        entry=entry,
        change=change,
        claim=claim,
        claim_line=claim_line,
        session=session,
        step=session.next_steps.get(),
        training=training,
        participant=participant,
        event=event,
        material=event.materials.get(),
        practice=practice,
        report=report,
        inquiry=inquiry,
        answered_inquiry=answered_inquiry,
        update=plan.updates.first(),
        attachment=message.attachments.get(),
        agreement=agreement,
        amendment=amendment,
        notice=notify(
            Kind.DEADLINE_SOON,
            recipients=[kov_a],
            about=plan,
            link=reverse("plan_detail", args=[plan.pk]),
            due_on=today,
        )[0],
    )
    world.kwargs = route_kwargs(world)
    return world


def signed_in(user, *, enforce_csrf_checks: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return force_login(client, user)


def url_of(world: SimpleNamespace, name: str) -> str:
    return reverse(name, kwargs=world.kwargs.get(name, {}))


def post_and_undo(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    """POST, then roll back what it wrote: every persona meets the same data."""
    with transaction.atomic():
        response = client.post(url, data or {})
        transaction.set_rollback(True)
    return response


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


# Who may read municipality A's data (SECRET is in its texts), and where the county evaluator
# may: on the application assigned to it.
READERS_OF_A = {"kov_a", "provider", "ministry", "admin"}
EVALUATOR_READS = {"application_detail", "application_decision_download", "evaluate"}


def may_read_a(name: str, persona: str) -> bool:
    return persona in READERS_OF_A or (persona == "county_evaluator" and name in EVALUATOR_READS)


def assert_shows_nothing_of_a(response: Any, persona: str, what: str) -> None:
    text = body(response)
    assert SECRET not in text, f"{what}: {persona} got {response.status_code} with A's data"
    # A's own people have their municipality's name in the menu on every page.
    if persona != "kov_a":
        assert "Rapla vald" not in text, f"{what}: {persona} was shown A's name"


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------


def test_every_route_is_in_the_matrix_and_every_entry_is_a_route():
    unnamed = [route for route, name, _params in ROUTES if not name]
    assert not unnamed, f"routes without a name cannot be checked: {unnamed}"
    assert not set(ROUTE_NAMES) - set(MATRIX), "add these routes to MATRIX"
    assert not set(MATRIX) - set(ROUTE_NAMES), "these MATRIX entries are no routes"
    assert not (POST_ONLY | set(PUBLIC) | GET_ONLY) - set(ROUTE_NAMES)
    assert all(set(expected) == set(PERSONAS) for expected in MATRIX.values())
    # One address a name: a second pattern under a name already used would never be checked
    # (reverse() gives the first). accounts/login/ is named twice, for the same address.
    addresses: dict[str, set[str]] = {}
    for route, name, _params in ROUTES:
        addresses.setdefault(name, set()).add(route)
    assert not {name: found for name, found in addresses.items() if len(found) > 1}


def test_every_route_with_parameters_gets_them(world):
    for name in ROUTE_NAMES:
        assert set(world.kwargs.get(name, {})) == ROUTE_PARAMS[name], name


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_route(name, world):
    if name not in MATRIX:
        pytest.fail(f"{name} has no entry in MATRIX: write what each persona gets")
    url = url_of(world, name)
    post_only = name in POST_ONLY
    for persona, expected in MATRIX[name].items():
        client = signed_in(world.users[persona])
        with CaptureQueriesContext(connection) as queries:
            got = client.get(url)
        written = tables_written(queries) - WRITTEN_ON_ANY_REQUEST - WRITTEN_ON_GET.get(name, set())
        assert not written, f"GET {name} as {persona} wrote to {sorted(written)}"
        if post_only:
            assert got.status_code == 405, f"GET {name} as {persona}: {got.status_code}"
            got = post_and_undo(client, url)
            method = "POST"
        else:
            method = "GET"
        assert got.status_code == expected, (
            f"{method} {name} as {persona}: {got.status_code}, expected {expected}"
        )
        check(name, persona, method, got)
        if post_only:
            continue
        posted = post_and_undo(client, url)
        if (name, persona) in POST_STATUS:
            assert posted.status_code == POST_STATUS[name, persona], f"POST {name} as {persona}"
        elif expected in (403, 404):
            assert posted.status_code == expected, f"POST {name} as {persona}"
        elif name in GET_ONLY:
            assert posted.status_code == 405, f"POST {name} as {persona}"
        else:
            assert posted.status_code in (200, 302), (
                f"POST {name} as {persona}: {posted.status_code}"
            )
        check(name, persona, "POST", posted)


# What a GET may write: the session and the note of whose it is, and the audit log (a refusal,
# a download, an export).
WRITTEN_ON_ANY_REQUEST = {"django_session", "accounts_usersession", "audit_auditevent"}
# Reading one's notices is what marks them read.
WRITTEN_ON_GET = {
    "notification_list": {"notifications_notification"},
    "notification_open": {"notifications_notification"},
}
WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


def tables_written(queries: CaptureQueriesContext) -> set[str]:
    """The tables the captured queries inserted into, updated or deleted from."""
    return {found.group(1) for q in queries if (found := WRITE.match(q["sql"]))}


def check(name: str, persona: str, method: str, response: Any) -> None:
    """What every answer to a signed-in persona must hold besides its status."""
    what = f"{method} {name} as {persona}"
    if response.status_code in (403, 404):
        assert_shows_nothing_of_a(response, persona, what)
    elif not may_read_a(name, persona):
        # Lists, exports and pages open to everyone show an outsider nothing of A's.
        assert SECRET not in body(response), f"{what}: A's data shown"
    if response.status_code == 302 and name != "logout":
        assert urlsplit(response.url).path != reverse("login"), f"{what}: signed out"
    if response.get("Content-Type", "").startswith("text/html"):
        # Every HTML answer, error pages too, carries the headers check --deploy does not check.
        csp = response["Content-Security-Policy"]
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp, f"{what}: {directive} missing"
        assert "unsafe-inline" not in csp, what
        assert response["X-Content-Type-Options"] == "nosniff", what
        assert response["Referrer-Policy"] == "same-origin", what


def test_anonymous_visitors_are_sent_to_sign_in_except_on_public_pages(world, client):
    login = reverse("login")
    for name in ROUTE_NAMES:
        url = url_of(world, name)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if name in PUBLIC:
                if method == "get":
                    assert response.status_code == PUBLIC[name], name
                assert response.status_code < 500, (name, method)
                continue
            assert response.status_code == 302, (name, method, response.status_code)
            target = urlsplit(response.url)
            assert target.path == login, (name, method, response.url)
            assert parse_qs(target.query) == {"next": [url]}, (name, method, response.url)


def test_state_changing_views_refuse_get(world):
    client = signed_in(world.users["ministry"])
    for name in sorted(POST_ONLY):
        assert client.get(url_of(world, name)).status_code == 405, name


def test_every_post_without_a_csrf_token_is_refused(world):
    for who in ("kov_a", "ministry", None):
        if who is None:
            client = Client(enforce_csrf_checks=True)
        else:
            client = signed_in(world.users[who], enforce_csrf_checks=True)
        for name in ROUTE_NAMES:
            response = client.post(url_of(world, name), {"title": "x"})
            assert response.status_code == 403, (name, who, response.status_code)
            assert "CSRF" in body(response), (name, who)


def test_a_post_with_the_csrf_token_goes_through(world):
    """The control for the test above: the refusal is the missing token's."""
    client = signed_in(world.users["kov_a"], enforce_csrf_checks=True)
    client.get(reverse("practice_create"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("practice_create"),
        {"csrfmiddlewaretoken": token, **practice_fields()},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name",
    [
        "session_detail",
        "counselling_export",
        "sharing_detail",
        "practice_detail",
        "application_detail",
        "ledger",
        "claim",
        "agreement",
    ],
)
def test_who_may_read_a_sees_its_data(name, world):
    """The control for the checks above: the pages refused to others do show A's texts."""
    url = url_of(world, name)
    for persona, expected in MATRIX[name].items():
        if expected == 200 and may_read_a(name, persona):
            assert SECRET in body(signed_in(world.users[persona]).get(url)), persona


@pytest.mark.parametrize("county", ["A's county", "another county"])
def test_an_evaluator_not_assigned_to_as_application_gets_nothing_of_a(county, world):
    """Only the evaluator assigned to A's application reads it (the matrix's county_evaluator):
    another of A's county, or one of another county, is refused it on every route."""
    rapla = world.users["kov_a"].municipality
    other_county = County.objects.exclude(pk=rapla.county_id).first()
    evaluator = UserFactory(
        role=Role.COUNTY_EVALUATOR,
        county=rapla.county if county == "A's county" else other_county,
        email="teine.hindaja@example.org",
    )
    client = signed_in(evaluator)
    for name in ROUTE_NAMES:
        if name == "logout":
            continue  # the walk stays signed in
        url = url_of(world, name)
        response = post_and_undo(client, url) if name in POST_ONLY else client.get(url)
        assert response.status_code < 500, name
        assert SECRET not in body(response), f"{name}: A's data shown to {county}'s evaluator"
        if name in EVALUATOR_READS:
            assert response.status_code in (403, 404), (name, response.status_code)


def test_the_names_registered_for_a_training_are_not_shown_to_others(world):
    url = url_of(world, "training_detail")
    for persona in PERSONAS:
        shown = PARTICIPANT_NAME in body(signed_in(world.users[persona]).get(url))
        assert shown == (persona in ("kov_a", "provider", "ministry", "admin")), persona


# ---------------------------------------------------------------------------------------------
# Mass assignment: fields a form does not have are ignored, choices outside the user's reach
# refused
# ---------------------------------------------------------------------------------------------


def keila() -> Municipality:
    return Municipality.objects.get(ehak_code=KEILA_LINN)


def practice_fields(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Naabrivalve",
        "place": "Rapla",
        "joint_form": "cooperation",
        "description": "Kord kuus.",
    } | extra


def test_a_municipality_cannot_describe_a_practice_for_another_or_publish_it(world):
    b = keila()
    response = signed_in(world.users["kov_a"]).post(
        reverse("practice_create"),
        practice_fields(
            title="Sissetung",
            municipality=b.pk,
            municipalities=[b.pk],
            county=b.county_id,
            status=Practice.Status.PUBLISHED,
            published_at="2020-01-01 10:00",
            created_by=world.users["kov_b"].pk,
        ),
    )
    assert response.status_code == 302
    practice = Practice.objects.get(title="Sissetung")
    assert practice.municipality == world.users["kov_a"].municipality
    assert list(practice.municipalities.all()) == [world.users["kov_a"].municipality]
    assert practice.county_id == world.users["kov_a"].municipality.county_id
    assert practice.status == Practice.Status.DRAFT and practice.published_at is None
    assert practice.created_by == world.users["kov_a"]


def test_editing_a_practice_does_not_move_or_publish_it(world):
    b = keila()
    response = signed_in(world.users["kov_a"]).post(
        url_of(world, "practice_edit"),
        practice_fields(municipality=b.pk, county=b.county_id, status="published"),
    )
    assert response.status_code == 302
    world.practice.refresh_from_db()
    assert world.practice.municipality == world.users["kov_a"].municipality
    assert world.practice.status == Practice.Status.DRAFT


def test_a_provider_cannot_log_a_session_for_a_municipality_not_assigned_to_it(world):
    b_participation = keila().participation
    response = signed_in(world.users["provider"]).post(
        reverse("session_create"),
        {
            "participation": b_participation.pk,
            "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "duration_hours": "1.5",
            "format": CounsellingSession.Format.ON_SITE,
            "topics": ["action_plan"],
            "summary": "Sissetung",
            "attendee_count": "3",
            "service_provider": world.users["other_provider"].service_provider_id,
            "confirmation": "confirmed",
            "attendees-TOTAL_FORMS": "0",
            "attendees-INITIAL_FORMS": "0",
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "participation" in response.context["form"].errors
    assert not CounsellingSession.objects.filter(participation=b_participation).exists()


def test_a_municipality_registers_only_its_own_people(world):
    b = keila()
    response = signed_in(world.users["kov_a"]).post(
        url_of(world, "training_register"),
        {
            "name": "Mari Maasikas",
            "kind": TrainingParticipant.Kind.OFFICIAL,
            "role": "noorsootöötaja",
            "municipality": b.pk,
            "attended": "True",
            "training": world.training.pk,
        },
    )
    assert response.status_code == 302
    registered = TrainingParticipant.objects.get(name="Mari Maasikas")
    assert registered.municipality == world.users["kov_a"].municipality
    assert registered.training == world.training and registered.attended is None


def test_an_expenditure_stays_in_the_ledger_it_was_posted_to_and_waits_for_review(world):
    b_participation = keila().participation
    line = world.participation_a.budget_lines.get(category="training")
    response = signed_in(world.users["kov_a"]).post(
        url_of(world, "ledger_expenditure"),
        {
            "budget_line": line.pk,
            "amount": "50.00",
            "entry_on": timezone.localdate().isoformat(),
            "description": "Sissetung",
            "supplier": "Tarnija OÜ",
            "invoice_number": "B-2",
            "participation": b_participation.pk,
            "kind": LedgerEntry.Kind.DISBURSEMENT,
            "is_approved": "True",
            "created_by": world.users["kov_b"].pk,
        },
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(description="Sissetung")
    assert entry.participation == world.participation_a
    assert entry.kind == LedgerEntry.Kind.EXPENDITURE
    assert entry.created_by == world.users["kov_a"]
    assert not hasattr(entry, "review")
    assert not b_participation.ledger_entries.exists()


def test_an_expenditure_on_another_municipalitys_budget_line_is_refused(world):
    b_participation = keila().participation
    b_line = b_participation.budget_lines.get()
    response = signed_in(world.users["kov_a"]).post(
        url_of(world, "ledger_expenditure"),
        {
            "budget_line": b_line.pk,
            "amount": "50.00",
            "entry_on": timezone.localdate().isoformat(),
            "description": "Sissetung",
            "supplier": "Tarnija OÜ",
            "invoice_number": "B-3",
        },
    )
    assert response.status_code == 200
    assert "budget_line" in response.context["expenditure_form"].errors
    assert not LedgerEntry.objects.filter(description="Sissetung").exists()


def test_a_municipality_cannot_request_the_report_of_another(world):
    b_participation = keila().participation
    today = timezone.localdate()
    response = signed_in(world.users["kov_a"]).post(
        reverse("report_request_municipality"),
        {
            "participation": b_participation.pk,
            "period_start": today.replace(month=1, day=1).isoformat(),
            "period_end": today.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "participation" in response.context["municipality_form"].errors
    assert not Report.objects.filter(participation=b_participation).exists()


def test_saving_an_application_section_does_not_change_its_status_owner_or_call(world):
    """The budget section posted with the application's status, owner and call: ignored, only
    the row is saved; posted with its row moved to another application: refused."""
    application = world.application
    line = application.budget_lines.get()
    other = complete_application(ApplicationFactory(call=CallFactory(), municipality=keila()))
    client = signed_in(world.users["kov_a"])
    url = url_of(world, "application_budget")
    row = {
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "1",
        "budget-0-id": line.pk,
        "budget-0-category": "training",
        "budget-0-description": "Koolitus",
        "budget-0-amount": "1250.10",
    }
    before = (application.status, application.municipality_id, application.call_id)
    forged = {"status": Status.SELECTED, "municipality": keila().pk, "call": other.call_id}
    assert client.post(url, row | forged).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.municipality_id, application.call_id) == before
    line.refresh_from_db()
    assert (line.application, line.description) == (application, "Koolitus")

    moved = client.post(url, row | {"budget-0-application": other.pk, "budget-0-amount": "1"})
    assert "data-error-summary" in moved.content.decode()
    line.refresh_from_db()
    assert (line.application, line.amount) == (application, Decimal("1250.10"))


def test_an_evaluators_declaration_sets_only_their_own_answer(world):
    """Extra fields naming another evaluator or application are not read."""
    Application.objects.filter(pk=world.application.pk).update(status=Status.UNDER_EVALUATION)
    evaluator = world.users["county_evaluator"]
    other = complete_application(ApplicationFactory(call=world.call, municipality=keila()))
    response = signed_in(evaluator).post(
        url_of(world, "evaluate"),
        {
            "declare": "1",
            "has_conflict": "no",
            "evaluator": world.users["ministry"].pk,
            "application": other.pk,
            "submitted_at": "2020-01-01 10:00",
        },
    )
    assert response.status_code == 302
    world.assignment.refresh_from_db()
    assert world.assignment.has_conflict is False
    assert world.assignment.evaluator == evaluator
    assert world.assignment.application == world.application
    assert world.assignment.submitted_at is None
    assert not other.assignments.exists()


def test_an_evaluator_cannot_score_an_application_by_posting_to_another_assignment(world):
    """The county evaluator's assignment is theirs alone: ministry staff posting scores to it
    get 404, and nothing is scored."""
    response = signed_in(world.users["ministry"]).post(
        url_of(world, "evaluate"), {"score": "1", "has_conflict": "False"}
    )
    assert response.status_code == 404
    world.assignment.refresh_from_db()
    assert world.assignment.has_conflict is None and world.assignment.submitted_at is None
