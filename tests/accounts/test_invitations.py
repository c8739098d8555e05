import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts import services
from accounts.models import Invitation, Role, User
from tests.factories import UserFactory
from turvaportaal.lib.rules import Forbidden

pytestmark = pytest.mark.django_db


def invite(client, django_capture_on_commit_callbacks, **fields):
    data = {
        "email": "uus.inimene@elva.example",
        "full_name": "Uus Inimene",
        "position": "Turvalisuse spetsialist",
        "role": Role.MUNICIPALITY,
        "municipality": "",
        "service_provider": "",
        "language": "et",
    } | fields
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("invite"), data)


def link_in(message) -> str:
    return re.search(r"http://\S+/accounts/invitation/\S+/", message.body).group(0)


def elva():
    from programme.models import Municipality

    return Municipality.objects.get(name="Elva vald")


class TestInviting:
    def test_ministry_staff_invite_a_municipality_user_by_e_mail(
        self, ministry, client_for, django_capture_on_commit_callbacks
    ):
        response = invite(
            client_for(ministry), django_capture_on_commit_callbacks, municipality=elva().pk
        )
        assert response.status_code == 302
        user = User.objects.get(email="uus.inimene@elva.example")
        assert user.municipality == elva() and user.role == Role.MUNICIPALITY
        assert not user.has_usable_password()
        assert user.invitation.invited_by == ministry
        [message] = mail.outbox
        assert message.to == ["uus.inimene@elva.example"]
        assert message.subject == "Kutse Turvaportaali"
        assert "Mari Ministeerium" in message.body
        assert "/accounts/invitation/" in link_in(message)

    def test_the_e_mail_speaks_the_invited_persons_language(
        self, ministry, client_for, django_capture_on_commit_callbacks
    ):
        invite(
            client_for(ministry),
            django_capture_on_commit_callbacks,
            role=Role.MINISTRY,
            language="en",
        )
        assert mail.outbox[0].subject == "Your invitation to Turvaportaal"

    def test_the_plain_text_e_mail_is_not_html_escaped_and_links_to_the_site(
        self, ministry, client_for, django_capture_on_commit_callbacks, settings
    ):
        settings.SITE_URL = "https://turvaportaal.example"
        invite(
            client_for(ministry),
            django_capture_on_commit_callbacks,
            role=Role.MINISTRY,
            full_name="Mari-Liis O'Neill & Co",
        )
        body = mail.outbox[0].body
        assert "Mari-Liis O'Neill & Co" in body
        assert "&amp;" not in body and "&#x27;" not in body
        assert "https://turvaportaal.example/accounts/invitation/" in body

    def test_a_municipality_user_needs_a_municipality(
        self, ministry, client_for, django_capture_on_commit_callbacks
    ):
        response = invite(client_for(ministry), django_capture_on_commit_callbacks)
        assert response.status_code == 200
        assert "Valige omavalitsus" in response.content.decode()
        assert 'value="uus.inimene@elva.example"' in response.content.decode()
        assert not User.objects.filter(email="uus.inimene@elva.example").exists()
        assert mail.outbox == []

    def test_an_existing_e_mail_is_refused_in_any_case(
        self, ministry, kov_a, client_for, django_capture_on_commit_callbacks
    ):
        response = invite(
            client_for(ministry),
            django_capture_on_commit_callbacks,
            email="TIINA@rapla.example",
            municipality=elva().pk,
        )
        assert response.status_code == 200
        assert (
            "selle e-posti aadressiga kasutaja on juba olemas" in response.content.decode().lower()
        )
        assert mail.outbox == []

    def test_ministry_staff_cannot_invite_an_administrator(
        self, ministry, client_for, django_capture_on_commit_callbacks
    ):
        response = invite(client_for(ministry), django_capture_on_commit_callbacks, role=Role.ADMIN)
        assert response.status_code == 200
        assert not User.objects.filter(email="uus.inimene@elva.example").exists()

    def test_an_admin_can_invite_an_administrator(
        self, admin, client_for, django_capture_on_commit_callbacks
    ):
        invite(client_for(admin), django_capture_on_commit_callbacks, role=Role.ADMIN)
        assert User.objects.get(email="uus.inimene@elva.example").role == Role.ADMIN

    @pytest.mark.parametrize("persona", ["kov_a", "provider"])
    def test_only_ministry_staff_and_admins_may_invite(self, persona, request, client_for):
        client = client_for(request.getfixturevalue(persona))
        assert client.get(reverse("invite")).status_code == 403
        assert client.post(reverse("invite"), {"email": "x@example.org"}).status_code == 403
        assert client.get(reverse("people")).status_code == 403

    def test_the_refusal_says_why(self, kov_a, client_for):
        response = client_for(kov_a, "en").get(reverse("invite"))
        assert response.status_code == 403
        assert "Only ministry staff and administrators invite people." in response.content.decode()

    def test_the_service_keeps_to_who_invites_whom(self, ministry):
        """The form offers only the roles of INVITABLE_ROLES; the workflow refuses the rest."""
        with (
            translation.override("en"),
            pytest.raises(Forbidden, match="does not invite a person as administrator"),
        ):
            services.invite_user(
                invited_by=ministry, email="ulem@sim.example", full_name="Ülem", role=Role.ADMIN
            )
        assert not User.objects.filter(email="ulem@sim.example").exists()


def invited(email: str, **dates) -> Invitation:
    return Invitation.objects.create(
        user=UserFactory(role=Role.MUNICIPALITY, email=email),
        expires_at=timezone.now() + timedelta(days=7),
        **dates,
    )


class TestSendingANewLink:
    def test_only_ministry_staff_and_admins_send_one_and_the_refusal_says_why(
        self, kov_a, client_for
    ):
        # A colleague of the municipality user: one they see, and still may not invite.
        invitation = invited("uus@rapla.example")
        response = client_for(kov_a, "en").post(reverse("invitation_resend", args=[invitation.pk]))
        assert response.status_code == 403
        page = response.content.decode()
        assert "Only ministry staff and administrators send invitations." in page
        assert Invitation.objects.get().sent_at is None

    def test_an_accepted_invitation_gets_no_new_link_and_no_button(
        self, ministry, client_for, django_capture_on_commit_callbacks
    ):
        accepted = invited("tulnud@rapla.example", accepted_at=timezone.now())
        pending = invited("uus@rapla.example")
        client = client_for(ministry, "en")
        page = client.get(reverse("people")).content.decode()
        assert reverse("invitation_resend", args=[pending.pk]) in page
        assert reverse("invitation_resend", args=[accepted.pk]) not in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("invitation_resend", args=[accepted.pk]), follow=True)
        assert "This invitation has already been accepted." in response.content.decode()
        assert mail.outbox == []


class TestAccepting:
    @pytest.fixture
    def link(self, ministry, client_for, django_capture_on_commit_callbacks):
        invite(client_for(ministry), django_capture_on_commit_callbacks, municipality=elva().pk)
        return link_in(mail.outbox[-1]).removeprefix("http://127.0.0.1:8000")

    def test_the_link_sets_a_password_once(self, client, link):
        assert client.get(link).status_code == 200
        response = client.post(
            link, {"new_password1": "Tugev-parool-2026", "new_password2": "Tugev-parool-2026"}
        )
        assert response.status_code == 302
        user = User.objects.get(email="uus.inimene@elva.example")
        assert user.check_password("Tugev-parool-2026")
        assert user.invitation.accepted_at is not None
        assert client.get(link).status_code == 404

    def test_a_weak_password_is_refused_and_the_link_stays_valid(self, client, link):
        response = client.post(link, {"new_password1": "12345", "new_password2": "12345"})
        assert response.status_code == 200
        assert "liiga lühike" in response.content.decode()
        assert client.get(link).status_code == 200

    def test_an_expired_link_is_refused(self, client, link):
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        response = client.get(link)
        assert response.status_code == 404
        assert "ei kehti enam" in response.content.decode()

    def test_a_new_link_replaces_the_old_one(
        self, ministry, client, client_for, link, django_capture_on_commit_callbacks
    ):
        invitation = Invitation.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            client_for(ministry).post(reverse("invitation_resend", args=[invitation.pk]))
        new_link = link_in(mail.outbox[-1]).removeprefix("http://127.0.0.1:8000")
        assert new_link != link
        assert client.get(link).status_code == 404
        assert client.get(new_link).status_code == 200

    def test_a_made_up_token_is_refused(self, client, link):
        assert client.get(reverse("invitation_accept", args=["made-up"])).status_code == 404
