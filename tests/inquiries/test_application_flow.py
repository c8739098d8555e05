"""The ministry asks about an application under evaluation: the municipality may change only the
part the question names, the evaluation waits, and once the answer (with a file) is in, the
application is under evaluation as before and its scoring goes on."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from applications.models import Assignment, Score, Status
from audit.models import AuditEvent
from inquiries.models import InformationRequest
from tests.factories import pdf_bytes
from tests.inquiries.conftest import pdf

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def budget_data(application, amount: str) -> dict[str, str]:
    """The budget section as posted: its one line with a new amount."""
    line = application.budget_lines.get()
    return {
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "1",
        "budget-0-id": str(line.pk),
        "budget-0-category": line.category,
        "budget-0-description": line.description,
        "budget-0-amount": amount,
    }


def score_data(assignment: Assignment, value: int) -> dict[str, str]:
    criteria = assignment.application.call.criteria.all()
    return {"score": "1"} | {f"score_{criterion.pk}": str(value) for criterion in criteria}


def test_ask_change_only_the_named_part_answer_with_a_file_and_scoring_resumes(
    application, assignment, ministry, kov_a, county_evaluator, client_for
):
    ministry_client = client_for(ministry, "en")
    municipality = client_for(kov_a, "en")
    evaluator = client_for(county_evaluator, "en")
    detail = reverse("application_detail", args=[application.pk])
    ask_url = reverse("inquiry_ask", args=["application", application.pk])

    # The ministry reads the application and asks, opening the budget for changes.
    assert f'href="{ask_url}"' in ministry_client.get(detail).content.decode()
    form = ministry_client.get(ask_url)
    assert form.status_code == 200
    assert 'name="sections" value="budget"' in form.content.decode()
    response = ministry_client.post(
        ask_url, {"question": "Miks on koordinaatori tasu nii suur?", "sections": ["budget"]}
    )
    assert response.status_code == 302 and response.url == detail
    request = InformationRequest.objects.get()
    assert (request.application, request.municipality) == (application, kov_a.municipality)
    assert request.sections == ["budget"] and request.is_open

    # The application keeps its status; the wait shows, with whose answer and since when.
    application.refresh_from_db()
    assert application.status == Status.UNDER_EVALUATION
    today = formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    waiting = f"Waiting for Rapla vald's answer since {today}"
    page = text(ministry_client.get(detail))
    assert "More information requested" in page and waiting in page
    assert f'href="{ask_url}"' not in page  # one question at a time

    # The evaluator's pages say what the scoring waits for, and scores are refused.
    evaluate = reverse("evaluate", args=[assignment.pk])
    assert waiting in text(evaluator.get(evaluate))
    assert waiting in text(evaluator.get(reverse("my_evaluations")))
    refused = evaluator.post(evaluate, score_data(assignment, 4), follow=True)
    assert waiting in text(refused)
    assert not Score.objects.exists()
    overview = text(ministry_client.get(reverse("evaluation_overview", args=[application.call.pk])))
    assert waiting in overview
    selection = text(ministry_client.get(reverse("selection", args=[application.call.pk])))
    assert f"The selection waits for more information: {waiting}." in selection

    # The municipality sees the question and may change the budget, and only the budget.
    page = municipality.get(detail).content.decode()
    assert "Miks on koordinaatori tasu nii suur?" in page
    assert f'href="{reverse("inquiry_answer", args=[request.pk])}"' in page
    assert f'href="{reverse("application_budget", args=[application.pk])}"' in page
    assert f'href="{reverse("application_form", args=[application.pk])}"' not in page
    form_url = reverse("application_form", args=[application.pk])
    refused = municipality.post(
        form_url, {"motivation": "Uus", "team-TOTAL_FORMS": "0", "team-INITIAL_FORMS": "0"}
    )
    assert refused.status_code == 302 and refused.url == detail
    assert "only these parts may change: Budget" in text(municipality.get(detail))
    application.refresh_from_db()
    assert application.motivation == "motivation text"
    for section in ("application_activities", "application_decision"):
        assert municipality.get(reverse(section, args=[application.pk])).status_code == 302
    budget_url = reverse("application_budget", args=[application.pk])
    assert municipality.get(budget_url).status_code == 200
    saved = municipality.post(budget_url, budget_data(application, "18000.00"))
    assert saved.status_code == 302 and saved.url == detail
    assert str(application.budget_lines.get().amount) == "18000.00"

    # The answer, with a file; the confirmation page.
    answer_url = reverse("inquiry_answer", args=[request.pk])
    assert municipality.get(answer_url).status_code == 200
    response = municipality.post(
        answer_url, {"answer": "Tasu on vähendatud 18 000 eurole.", "attachment": pdf()}
    )
    assert response.status_code == 302
    assert response.url == reverse("inquiry_answered", args=[request.pk])
    confirmation = text(municipality.get(response.url))
    assert "Answer sent" in confirmation and "Mari Ministeerium, who asked" in confirmation

    # Back where it was: under evaluation, the budget read-only again, the wait gone.
    request.refresh_from_db()
    assert not request.is_open and request.answered_by == kov_a
    application.refresh_from_db()
    assert application.status == Status.UNDER_EVALUATION
    again = municipality.post(budget_url, budget_data(application, "1.00"))
    assert again.status_code == 302 and again.url == detail
    assert str(application.budget_lines.get().amount) == "18000.00"
    page = text(ministry_client.get(detail))
    assert waiting not in page
    # The question and the answer stay beside the application, the file downloadable.
    assert "Questions and answers" in page
    assert "Miks on koordinaatori tasu nii suur?" in page
    assert "Tasu on vähendatud 18 000 eurole." in page
    download = ministry_client.get(reverse("inquiry_attachment", args=[request.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="selgitus.pdf"')
    assert b"".join(download.streaming_content) == pdf_bytes()

    # The scoring goes on.
    scored = evaluator.post(evaluate, score_data(assignment, 4))
    assert scored.status_code == 302
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert Score.objects.filter(assignment=assignment).count() == application.call.criteria.count()


def test_a_question_that_opens_no_part_leaves_the_application_read_only(
    application, ministry, kov_a, client_for
):
    client_for(ministry, "en").post(
        reverse("inquiry_ask", args=["application", application.pk]),
        {"question": "Kes on projektijuht?"},
    )
    municipality = client_for(kov_a, "en")
    response = municipality.get(reverse("application_budget", args=[application.pk]))
    assert response.status_code == 302
    page = text(municipality.get(reverse("application_detail", args=[application.pk])))
    assert "opened no part of the application for changes" in page
    assert "Kes on projektijuht?" in page


def test_an_answer_waits_until_the_opened_part_is_complete_again(
    application, ministry, kov_a, client_for
):
    """The parts opened for changes stay complete: an answer with a part left lacking is
    refused, with what it lacks."""
    ministry_client = client_for(ministry, "en")
    ministry_client.post(
        reverse("inquiry_ask", args=["application", application.pk]),
        {"question": "Palun täpsustage tegevusi.", "sections": ["activities"]},
    )
    request = InformationRequest.objects.get()
    application.activities.all().delete()
    response = client_for(kov_a, "en").post(
        reverse("inquiry_answer", args=[request.pk]), {"answer": "Tegevused on muudetud."}
    )
    assert response.status_code == 200
    page = text(response)
    assert "Complete the parts you changed before answering." in page
    assert "Activity plan and schedule: Add at least one activity." in page
    assert "Tegevused on muudetud." in page  # what was typed is kept
    request.refresh_from_db()
    assert request.is_open


def test_withdrawing_the_question_ends_the_wait(
    application, assignment, ministry, county_evaluator, client_for
):
    ministry_client = client_for(ministry, "en")
    ministry_client.post(
        reverse("inquiry_ask", args=["application", application.pk]),
        {"question": "Kas volikogu otsus on allkirjastatud?"},
    )
    request = InformationRequest.objects.get()
    withdraw = reverse("inquiry_withdraw", args=[request.pk])
    assert "Withdraw the request?" in text(ministry_client.get(withdraw))
    response = ministry_client.post(withdraw)
    assert response.status_code == 302
    assert response.url == reverse("application_detail", args=[application.pk])
    request.refresh_from_db()
    assert request.withdrawn_by == ministry and not request.is_open
    assert AuditEvent.objects.filter(
        object_type="inquiries.informationrequest",
        object_id=str(request.pk),
        detail="request for information withdrawn",
    ).exists()
    scored = client_for(county_evaluator, "en").post(
        reverse("evaluate", args=[assignment.pk]), score_data(assignment, 3)
    )
    assert scored.status_code == 302
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None


def test_the_county_evaluator_asks_about_an_application_assigned_to_them(
    application, assignment, county_evaluator, kov_a, client_for
):
    evaluator = client_for(county_evaluator, "en")
    ask_url = reverse("inquiry_ask", args=["application", application.pk])
    evaluate = text(evaluator.get(reverse("evaluate", args=[assignment.pk])))
    assert f'href="{ask_url}"' in evaluate
    response = evaluator.post(ask_url, {"question": "Kes juhib projekti?"})
    assert response.status_code == 302
    request = InformationRequest.objects.get()
    assert request.asked_by == county_evaluator
    # The county evaluator may take back their own question.
    assert evaluator.get(reverse("inquiry_withdraw", args=[request.pk])).status_code == 200
