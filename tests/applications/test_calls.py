from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from applications.models import Application, Status
from programme.models import Call, Municipality
from tests.factories import ApplicationFactory, CallFactory, complete_application

pytestmark = pytest.mark.django_db
TALLINN = ZoneInfo("Europe/Tallinn")


def first_call_deadline() -> datetime:
    return datetime(2023, 5, 10, 10, 0, tzinfo=TALLINN)


class TestDeadline:
    def test_a_call_is_open_until_a_second_before_its_deadline(self):
        call = CallFactory(
            deadline_at=first_call_deadline(), opens_at=first_call_deadline() - timedelta(days=30)
        )
        assert call.is_open(first_call_deadline() - timedelta(seconds=1))

    def test_at_ten_oclock_sharp_the_call_is_closed(self):
        call = CallFactory(
            deadline_at=first_call_deadline(), opens_at=first_call_deadline() - timedelta(days=30)
        )
        assert not call.is_open(first_call_deadline())
        assert call.is_past_deadline(first_call_deadline())

    def test_the_deadline_is_estonian_time_in_summer(self):
        # 10:00 in Tallinn in May is 07:00 UTC (EEST, UTC+3).
        assert first_call_deadline().astimezone(ZoneInfo("UTC")).hour == 7

    def test_a_call_is_not_open_before_it_opens(self):
        call = CallFactory(opens_at=timezone.now() + timedelta(days=1))
        assert not call.is_open()
        assert call not in Call.objects.open()


def call_form_data(**overrides):
    data = {
        "stage": "1",
        "title": "Turvalisuse arenguprogramm, I etapp",
        "description": "Esimene konkurss",
        "opens_at": "2023-04-04T10:00",
        "deadline_at": "2023-05-10T10:00",
        "grant_amount": "35000.00",
        "programme_months": "24",
        "years-TOTAL_FORMS": "2",
        "years-INITIAL_FORMS": "0",
        "years-0-year": "2023",
        "years-0-places": "4",
        "years-1-year": "2024",
        "years-1-places": "4",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-starts_at": "2023-04-19T10:00",
        "sessions-0-link": "",
        "sessions-1-starts_at": "2023-04-20T10:00",
        "sessions-1-link": "",
    }
    return data | overrides


class TestMinistryEditsCalls:
    def test_ministry_staff_create_the_first_call_in_the_portal(self, client_for, ministry):
        response = client_for(ministry).post(reverse("call_create"), call_form_data())
        assert response.status_code == 302
        call = Call.objects.get()
        assert call.deadline_at == first_call_deadline()
        assert call.grant_amount == 35000
        assert call.total_places == 8
        assert call.start_year_choices == [2023, 2024]
        assert call.info_sessions.count() == 2
        assert call.created_by == ministry

    def test_a_deadline_before_the_opening_is_refused(self, client_for, ministry):
        response = client_for(ministry, "en").post(
            reverse("call_create"), call_form_data(deadline_at="2023-04-01T10:00")
        )
        assert response.status_code == 200
        assert "The deadline must be after the opening time." in response.content.decode()
        assert not Call.objects.exists()

    def test_a_call_needs_start_years_each_once(self, client_for, ministry):
        client = client_for(ministry, "en")
        response = client.post(reverse("call_create"), call_form_data(**{"years-1-year": "2023"}))
        assert "Please correct the duplicate data for year" in response.content.decode()
        response = client.post(
            reverse("call_create"),
            call_form_data(
                **{
                    "years-0-year": "",
                    "years-0-places": "",
                    "years-1-year": "",
                    "years-1-places": "",
                }
            ),
        )
        assert "Give at least one start year with its places." in response.content.decode()
        assert not Call.objects.exists()

    def test_editing_keeps_the_call_and_changes_its_places(self, client_for, ministry):
        call = CallFactory(years={2025: 4})
        year = call.start_years.get()
        data = call_form_data(
            opens_at=timezone.localtime(call.opens_at).strftime("%Y-%m-%dT%H:%M"),
            deadline_at=timezone.localtime(call.deadline_at).strftime("%Y-%m-%dT%H:%M"),
            **{
                "years-TOTAL_FORMS": "1",
                "years-INITIAL_FORMS": "1",
                "years-0-id": str(year.pk),
                "years-0-year": "2025",
                "years-0-places": "5",
                "years-1-year": "",
                "years-1-places": "",
            },
        )
        response = client_for(ministry).post(reverse("call_edit", args=[call.pk]), data)
        assert response.status_code == 302
        assert call.start_years.get().places == 5

    def test_dates_are_typed_as_estonians_write_them(self, client_for, ministry):
        data = call_form_data(
            opens_at="04.04.2023 10:00",
            deadline_at="10.05.2023 10:00",
            **{"sessions-0-starts_at": "19.04.2023 10:00", "sessions-1-starts_at": ""},
        )
        response = client_for(ministry).post(reverse("call_create"), data)
        assert response.status_code == 302
        call = Call.objects.get()
        assert call.deadline_at == first_call_deadline()
        form = client_for(ministry).get(reverse("call_edit", args=[call.pk])).content.decode()
        assert 'value="10.05.2023 10:00"' in form and 'value="19.04.2023 10:00"' in form

    def test_an_information_session_in_year_1_is_refused(self, client_for, ministry):
        """Saved, it broke the call's pages for good: a time in year 1 cannot be shown in
        Estonian time."""
        data = call_form_data(**{"sessions-0-starts_at": "0001-01-01T10:00"})
        response = client_for(ministry, "en").post(reverse("call_create"), data)
        assert response.status_code == 200
        assert "Give a date between the years 2000 and 2100." in response.content.decode()
        assert not Call.objects.exists()

    @pytest.mark.parametrize("persona", ["kov_a", "provider"])
    def test_only_ministry_staff_manage_calls(self, persona, request, client_for):
        client = client_for(request.getfixturevalue(persona))
        call = CallFactory()
        for url in [
            reverse("call_list"),
            reverse("call_create"),
            reverse("call_edit", args=[call.pk]),
            reverse("call_overview", args=[call.pk]),
        ]:
            assert client.get(url).status_code == 403
        assert client.post(reverse("call_create"), call_form_data()).status_code == 403


class TestMovingADeadline:
    """A call's deadline is not moved into the past, and once applications are in, a move
    needs a reason and every applicant is told."""

    def edit(self, client, call, deadline, **extra):
        year = call.start_years.get()
        data = call_form_data(
            opens_at=timezone.localtime(call.opens_at).strftime("%Y-%m-%dT%H:%M"),
            deadline_at=deadline,
            **{
                "years-TOTAL_FORMS": "1",
                "years-INITIAL_FORMS": "1",
                "years-0-id": str(year.pk),
                "years-0-year": str(year.year),
                "years-0-places": str(year.places),
                "sessions-TOTAL_FORMS": "0",
            },
        )
        return client.post(reverse("call_edit", args=[call.pk]), data | extra)

    def test_a_deadline_is_not_moved_into_the_past(self, client_for, ministry):
        call = CallFactory(years={2027: 4})
        yesterday = timezone.localtime() - timedelta(days=1)
        response = self.edit(client_for(ministry, "en"), call, yesterday.strftime("%Y-%m-%dT%H:%M"))
        assert "The deadline cannot be in the past." in response.content.decode()
        assert Call.objects.get().deadline_at == call.deadline_at

    def test_with_applications_in_a_move_needs_a_reason_and_tells_every_applicant(
        self, client_for, ministry, kov_a, django_capture_on_commit_callbacks
    ):
        call = CallFactory(years={2027: 4})
        handed_in = complete_application(ApplicationFactory(call=call))
        Application.objects.filter(pk=handed_in.pk).update(status=Status.SUBMITTED)
        draft = ApplicationFactory(
            call=call, municipality=Municipality.objects.get(ehak_code="0296")
        )
        Application.objects.filter(pk=draft.pk).update(contact_email="kontakt@keila.example")
        later = timezone.localtime(call.deadline_at) + timedelta(days=7)
        client = client_for(ministry, "en")
        refused = self.edit(client, call, later.strftime("%Y-%m-%dT%H:%M"))
        assert "say why the deadline moves" in refused.content.decode()
        assert Call.objects.get().deadline_at == call.deadline_at

        # First the confirmation: what moves, and whom it tells; nothing is saved yet.
        reason = {"deadline_change_reason": "Infopäev lükkus edasi."}
        asked = self.edit(client, call, later.strftime("%Y-%m-%dT%H:%M"), **reason)
        page = asked.content.decode()
        assert "Move the deadline?" in page
        assert "The 2 applicants below are told by e-mail at once" in page
        assert "Keila linn (kontakt@keila.example)" in page
        assert Call.objects.get().deadline_at == call.deadline_at and not mail.outbox
        # The answers ride along in the page, to be sent again as they were.
        assert 'type="hidden" name="deadline_change_reason" value="Infopäev lükkus edasi."' in page
        back = self.edit(client, call, later.strftime("%Y-%m-%dT%H:%M"), **reason, back="")
        assert "Infopäev lükkus edasi." in back.content.decode()
        assert Call.objects.get().deadline_at == call.deadline_at

        with django_capture_on_commit_callbacks(execute=True):
            moved = self.edit(
                client, call, later.strftime("%Y-%m-%dT%H:%M"), **reason, confirmed=""
            )
        assert moved.status_code == 302
        assert sorted(m.to[0] for m in mail.outbox) == [
            "kontakt@keila.example",
            "kontakt@rapla.example",
        ]
        body = mail.outbox[0].body
        with translation.override("et"):
            new = date_format(later.replace(second=0, microsecond=0), "DATETIME_FORMAT")
        assert new in body and "Infopäev lükkus edasi." in body
