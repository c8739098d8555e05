"""A question or an answer that cannot be taken says why beside the field, keeps what was
typed, saves nothing and never answers with a 500."""

import html
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from inquiries.models import InformationRequest
from tests.factories import pdf_bytes
from tests.inquiries.conftest import ask

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


@pytest.mark.parametrize("question", ["", "   \n  "])
def test_an_empty_question_is_refused_with_a_message(question, plan, ministry, client_for):
    response = client_for(ministry, "en").post(
        reverse("inquiry_ask", args=["plan", plan.pk]), {"question": question}
    )
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "Write the question to the municipality." in page
    assert 'href="#id_question"' in page  # the summary's link to the field
    assert not InformationRequest.objects.exists()


def test_a_question_too_long_or_naming_no_real_part_is_refused(application, ministry, client_for):
    client = client_for(ministry, "en")
    url = reverse("inquiry_ask", args=["application", application.pk])
    response = client.post(url, {"question": "x" * 5001})
    assert response.status_code == 200
    assert "at most 5000 characters" in text(response)
    response = client.post(url, {"question": "Miks?", "sections": ["status"]})
    assert response.status_code == 200
    page = text(response)
    assert "Select a valid choice." in page and "Miks?" in page
    assert not InformationRequest.objects.exists()


def bad_files() -> list[tuple[str, bytes, str]]:
    return [
        ("selgitus.exe", b"MZ\x90\x00", "Only PDF, PNG and JPEG files"),
        ("selgitus.pdf", b"<html>not a pdf</html>", "The file is neither a PDF nor a PNG or JPEG"),
        ("pilt.png", pdf_bytes(), "The file is named as a PNG but is a PDF."),
        ("katki.pdf", b"%PDF-1.4 katki", "The PDF file is damaged and cannot be read."),
    ]


@pytest.mark.parametrize(("name", "content", "message"), bad_files())
def test_a_bad_file_is_refused_and_the_answer_kept(
    name, content, message, plan, ministry, kov_a, client_for
):
    request = ask(plan, ministry)
    response = client_for(kov_a, "en").post(
        reverse("inquiry_answer", args=[request.pk]),
        {"answer": "Siin on vastus.", "attachment": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page and message in page
    assert 'href="#id_attachment"' in page
    assert "Siin on vastus." in page
    request.refresh_from_db()
    assert request.is_open and not request.attachment
    assert not AuditEvent.objects.filter(detail="request for information answered").exists()


def test_a_file_over_the_limit_is_refused(plan, ministry, kov_a, client_for):
    request = ask(plan, ministry)
    big = SimpleUploadedFile("suur.pdf", b"%PDF-" + b"0" * settings.MAX_UPLOAD_BYTES)
    response = client_for(kov_a, "en").post(
        reverse("inquiry_answer", args=[request.pk]), {"answer": "Vastus.", "attachment": big}
    )
    assert response.status_code == 200
    assert "the limit is 10.0 MB" in text(response)
    request.refresh_from_db()
    assert request.is_open


def test_an_empty_answer_is_refused(plan, ministry, kov_a, client_for):
    request = ask(plan, ministry)
    response = client_for(kov_a, "en").post(
        reverse("inquiry_answer", args=[request.pk]), {"answer": "  "}
    )
    assert response.status_code == 200
    assert "Write the answer to the question." in text(response)
    request.refresh_from_db()
    assert request.is_open


def test_answering_twice_says_it_is_answered(plan, ministry, kov_a, client_for):
    request = ask(plan, ministry)
    client = client_for(kov_a, "en")
    url = reverse("inquiry_answer", args=[request.pk])
    assert client.post(url, {"answer": "Esimene."}).status_code == 302
    response = client.post(url, {"answer": "Teine."})
    assert response.status_code == 200
    page = text(response)
    assert "This request is answered already." in page and "Teine." in page
    request.refresh_from_db()
    assert request.answer == "Esimene."
    # Its page says so too, and offers no form.
    page = text(client.get(url))
    assert "This request is answered already." in page and "<textarea" not in page


def test_asking_twice_says_the_answer_is_awaited(plan, ministry, admin, client_for):
    ask(plan, ministry)
    response = client_for(admin, "en").post(
        reverse("inquiry_ask", args=["plan", plan.pk]), {"question": "Teine küsimus"}
    )
    assert response.status_code == 200
    page = text(response)
    assert "More information is already requested: Waiting for Rapla vald's answer" in page
    assert "Teine küsimus" in page
    assert InformationRequest.objects.count() == 1


def test_posting_without_fields_or_with_junk_is_no_500(plan, ministry, kov_a, client_for):
    request = ask(plan, ministry)
    answer = reverse("inquiry_answer", args=[request.pk])
    municipality = client_for(kov_a, "en")
    for data in ({}, {"answer": "\x00"}, {"attachment": "not a file"}):
        assert municipality.post(answer, data).status_code == 200
    request.refresh_from_db()
    assert request.is_open
    # Of a field sent twice the last value counts, as everywhere in the portal.
    assert municipality.post(answer, {"answer": ["a", "b"]}).status_code == 302
    request.refresh_from_db()
    assert request.answer == "b"
    ask_url = reverse("inquiry_ask", args=["plan", plan.pk])
    ministry_client = client_for(ministry, "en")
    for data in ({}, {"question": "\x00"}, {"question": ""}):
        assert ministry_client.post(ask_url, data).status_code == 200
    # A plan has no parts to open: parts sent with a question about it are ignored.
    assert ministry_client.post(ask_url, {"sections": "budget", "question": "x"}).status_code == 302
    assert InformationRequest.objects.open().get().sections == []
    assert ministry_client.get(reverse("inquiry_list") + "?state=%00&page=x").status_code == 200


def test_malformed_questions_and_answers_never_cause_a_server_error(
    application, ministry, kov_a, client_for
):
    """The walk of tests/test_malformed_input.py over the two forms as they are shown: the
    question about an application, with its parts, and the answer, with its file."""
    from tests.test_malformed_input import forms_for, fuzz

    ids = ["0", "-1", "999999999", "2147483648"]
    ministry_client = client_for(ministry, "en")
    ask_url = reverse("inquiry_ask", args=["application", application.pk])
    forms = forms_for(ministry_client, ask_url, ask_url)
    assert forms and "sections" in forms[0].fields
    fuzz(ministry_client, ask_url, forms, ids, application, "POST inquiry_ask")
    request = ask(application, ministry, sections=["budget"])
    municipality = client_for(kov_a, "en")
    answer_url = reverse("inquiry_answer", args=[request.pk])
    forms = forms_for(municipality, answer_url, answer_url)
    assert forms and "attachment" in forms[0].files
    fuzz(municipality, answer_url, forms, ids, request, "POST inquiry_answer")
