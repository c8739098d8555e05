import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_signing_in_leads_to_the_dashboard(client, kov_a):
    response = sign_in(client, kov_a.email, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_a_wrong_password_says_so_in_estonian(client, kov_a):
    response = sign_in(client, kov_a.email, "wrong")
    assert response.status_code == 200
    assert "Palun sisestage õige e-post ja parool" in response.content.decode()


def test_five_wrong_passwords_lock_the_login_even_with_the_right_one(client, kov_a):
    for _ in range(5):
        sign_in(client, kov_a.email, "wrong")
    response = sign_in(client, kov_a.email, PASSWORD)
    assert response.status_code == 429
    assert "üheks tunniks" in response.content.decode()


def test_the_lockout_is_per_e_mail(client, kov_a, kov_b):
    for _ in range(5):
        sign_in(client, kov_a.email, "wrong")
    assert sign_in(client, kov_b.email, PASSWORD).status_code == 302


def test_signing_out_takes_a_post(client_for, kov_a):
    client = client_for(kov_a)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_reset_sends_a_link_that_works(client, kov_a):
    client.post(reverse("password_reset"), {"email": kov_a.email})
    [message] = mail.outbox
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Uus-tugev-parool-1", "new_password2": "Uus-tugev-parool-1"},
    )
    assert response.status_code == 302
    kov_a.refresh_from_db()
    assert kov_a.check_password("Uus-tugev-parool-1")


def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
