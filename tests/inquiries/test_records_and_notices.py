"""Every question and answer is one audit record, and tells the people who must act: the
municipality's people of a question, whoever asked of the answer; no one else."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from audit.models import Action, AuditEvent
from inquiries import services
from inquiries.models import InformationRequest
from notifications.models import Kind, Notification
from tests.factories import UserFactory
from tests.inquiries.conftest import ask, pdf

pytestmark = pytest.mark.django_db


def records_of(request: InformationRequest) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type="inquiries.informationrequest", object_id=str(request.pk)
        ).order_by("pk")
    )


@pytest.fixture
def colleague(kov_a):
    """Another of Rapla vald's people."""
    return UserFactory(
        role=Role.MUNICIPALITY,
        municipality_code=kov_a.municipality.ehak_code,
        email="jaan@rapla.example",
    )


def test_a_question_and_its_answer_are_one_record_each(plan, ministry, kov_a):
    request = ask(plan, ministry, question="Kus on eelarve?")
    [asked] = records_of(request)
    assert (asked.actor, asked.action, asked.detail) == (
        ministry,
        Action.STATE_CHANGE,
        "more information requested",
    )
    assert asked.after == {"plan": plan.pk, "question": "Kus on eelarve?", "sections": []}
    services.answer_information_request(
        request=request, answer="Eelarve on lisatud.", attachment=pdf(), user=kov_a
    )
    asked_again, answered = records_of(request)
    assert asked_again == asked
    assert (answered.actor, answered.detail) == (kov_a, "request for information answered")
    assert answered.after["answer"] == "Eelarve on lisatud."
    assert answered.after["attachment"] == "selgitus.pdf" and answered.after["size"] > 0
    assert len(answered.after["sha256"]) == 64


def test_a_refused_question_leaves_no_record_and_tells_no_one(plan, provider):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        ask(plan, provider)
    assert not AuditEvent.objects.filter(object_type="inquiries.informationrequest").exists()
    assert not Notification.objects.exists()


def test_the_question_tells_the_municipalitys_people_and_no_one_else(
    application,
    ministry,
    admin,
    kov_a,
    kov_b,
    colleague,
    provider,
    client_for,
    django_capture_on_commit_callbacks,
):
    inactive = UserFactory(
        role=Role.MUNICIPALITY,
        municipality_code=kov_a.municipality.ehak_code,
        email="lahkunud@rapla.example",
        is_active=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(ministry, "en").post(
            reverse("inquiry_ask", args=["application", application.pk]),
            {"question": "Kes on kontaktisik?"},
        )
    assert response.status_code == 302
    request = InformationRequest.objects.get()
    notices = Notification.objects.filter(kind=Kind.INFORMATION_REQUESTED)
    assert {notice.recipient for notice in notices} == {kov_a, colleague}
    for notice in notices:
        assert notice.actor == ministry and notice.note == "Kes on kontaktisik?"
        assert notice.link == reverse("inquiry_answer", args=[request.pk])
    assert not Notification.objects.filter(
        recipient__in=[ministry, admin, kov_b, provider, inactive]
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [kov_a.email, colleague.email]
    )


def test_the_answer_tells_whoever_asked_and_no_one_else(
    application,
    assignment,
    county_evaluator,
    ministry,
    kov_a,
    colleague,
    client_for,
    django_capture_on_commit_callbacks,
):
    request = ask(application, county_evaluator)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(kov_a, "en").post(
            reverse("inquiry_answer", args=[request.pk]), {"answer": "Kontaktisik on Tiina."}
        )
    assert response.status_code == 302
    [notice] = Notification.objects.all()
    assert (notice.recipient, notice.kind, notice.actor) == (
        county_evaluator,
        Kind.INFORMATION_ANSWERED,
        kov_a,
    )
    assert notice.link == reverse("inquiry_detail", args=[request.pk])
    assert [message.to for message in mail.outbox] == [[county_evaluator.email]]


def test_a_withdrawn_question_is_recorded_once(plan, ministry):
    request = ask(plan, ministry)
    services.withdraw_information_request(request=request, user=ministry)
    asked, withdrawn = records_of(request)
    assert withdrawn.detail == "request for information withdrawn"
    assert withdrawn.after == {"withdrawn": True}
