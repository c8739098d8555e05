"""Who may open which page of the intake, with GET and POST."""

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application
from tests.factories import CallFactory, complete_application

pytestmark = pytest.mark.django_db

OWN_PAGES = [
    "application_form",
    "application_budget",
    "application_activities",
    "application_decision",
]
ACTIONS = ["application_submit", "application_withdraw"]
READ_PAGES = ["application_detail", "application_receipt"]


@pytest.fixture
def application(kov_a):
    draft = services.start_application(
        call=CallFactory(), municipality=kov_a.municipality, user=kov_a
    )
    complete_application(draft)
    return services.submit_application(application=draft, user=kov_a)


def download_url(application):
    return reverse(
        "application_decision_download", args=[application.pk, application.current_decision.pk]
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, application):
    for name in OWN_PAGES + READ_PAGES + ACTIONS:
        response = client.get(reverse(name, args=[application.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get(download_url(application)).status_code == 302


def test_another_municipality_gets_404_on_every_url(client_for, kov_b, application):
    client = client_for(kov_b)
    for name in OWN_PAGES + READ_PAGES + ACTIONS:
        url = reverse(name, args=[application.pk])
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, {"motivation": "võõras"}).status_code == 404
    assert client.get(download_url(application)).status_code == 404
    application.refresh_from_db()
    assert application.motivation == "motivation text" and application.status == "submitted"


def test_a_forged_budget_post_to_another_municipalitys_application_changes_nothing(
    client_for, kov_b, kov_a
):
    draft = services.start_application(
        call=CallFactory(), municipality=kov_a.municipality, user=kov_a
    )
    response = client_for(kov_b).post(
        reverse("application_budget", args=[draft.pk]),
        {
            "budget-TOTAL_FORMS": "1",
            "budget-INITIAL_FORMS": "0",
            "budget-0-category": "other",
            "budget-0-description": "Võltsitud",
            "budget-0-amount": "100.00",
        },
    )
    assert response.status_code == 404
    assert not draft.budget_lines.exists()


def test_a_provider_sees_no_application(client_for, provider, application):
    client = client_for(provider)
    for name in READ_PAGES + OWN_PAGES:
        assert client.get(reverse(name, args=[application.pk])).status_code == 404
    assert client.get(download_url(application)).status_code == 404
    assert client.get(reverse("application_list")).status_code == 403


@pytest.mark.parametrize("persona", ["ministry", "admin"])
def test_ministry_reads_everything_but_edits_nothing(persona, request, client_for, application):
    client = client_for(request.getfixturevalue(persona))
    for name in READ_PAGES:
        assert client.get(reverse(name, args=[application.pk])).status_code == 200
    assert client.get(download_url(application)).status_code == 200
    for name in OWN_PAGES + ACTIONS:
        assert client.post(reverse(name, args=[application.pk])).status_code == 403
    assert client.get(reverse("application_list")).status_code == 200
    # The refusal says why, not only that the page is not for the role.
    response = client_for(request.getfixturevalue(persona), "en").post(
        reverse("application_withdraw", args=[application.pk])
    )
    assert "Only the municipality&#x27;s own people withdraw its application." in (
        response.content.decode()
    )
    assert client.get(reverse("application_export")).status_code == 200


def test_municipality_users_have_no_programme_wide_list(client_for, kov_a):
    client = client_for(kov_a)
    assert client.get(reverse("application_list")).status_code == 403
    assert client.get(reverse("application_export")).status_code == 403


def test_actions_refuse_get(client_for, kov_a, application):
    client = client_for(kov_a)
    assert client.get(reverse("application_start", args=[application.call.pk])).status_code == 405


def test_a_get_of_the_withdrawal_only_asks(client_for, kov_a, application):
    """The withdrawal's address asks first (GET); only its form's POST withdraws."""
    response = client_for(kov_a).get(reverse("application_withdraw", args=[application.pk]))
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == "submitted" and application.submitted_at is not None


def test_only_municipality_users_start_applications(client_for, ministry, provider):
    call = CallFactory()
    for user in (ministry, provider):
        assert (
            client_for(user).post(reverse("application_start", args=[call.pk])).status_code == 403
        )
    assert not Application.objects.exists()
