"""Counselling pages per role: who sees which sessions, and what bad input is told."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from counselling import services
from counselling.models import CounsellingSession, NextStep
from programme.models import Municipality, Participation
from tests.counselling.conftest import log, make_participation, step
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def session_form(participation, **changes):
    data = {
        "participation": participation.pk,
        "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "duration_hours": "1.5",
        "format": "online",
        "topics": ["indicators", "stad"],
        "summary": "Seireindikaatorite valik.",
        "attendee_count": "",
        "attendees-TOTAL_FORMS": "2",
        "attendees-INITIAL_FORMS": "0",
        "attendees-0-name": "Tiina Rapla",
        "attendees-0-role": "arendusjuht",
        "attendees-1-name": "",
        "attendees-1-role": "",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-0-description": "Valida kolm indikaatorit",
        "steps-0-owner": "Tiina Rapla",
        "steps-0-due_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "steps-1-description": "",
        "steps-1-owner": "",
        "steps-1-due_on": "",
    }
    return data | changes


def post_session(client, data):
    return client.post(reverse("session_create"), data, follow=True)


class TestLogging:
    def test_a_provider_logs_a_session_through_the_form(self, client_for, provider, participation):
        response = post_session(client_for(provider, "en"), session_form(participation))
        session = CounsellingSession.objects.get()
        assert response.redirect_chain[-1][0] == reverse("session_detail", args=[session.pk])
        assert session.topics == ["indicators", "stad"]
        assert session.next_steps.get().description == "Valida kolm indikaatorit"
        assert "Counselling of Rapla vald" in response.content.decode()

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"duration_hours": "0"}, "The duration must be more than zero hours."),
            ({"duration_hours": "-2"}, "The duration must be more than zero hours."),
            ({"duration_hours": "1.1"}, "Give the duration in quarter hours"),
            ({"duration_hours": "poolteist"}, "Enter the duration in hours"),
            (
                {"held_on": (timezone.localdate() + timedelta(days=2)).isoformat()},
                "A session cannot be logged before it is held",
            ),
            ({"topics": []}, "This field is required."),
            (
                {"attendees-0-name": "", "attendees-0-role": ""},
                "List the attendees by name and role, or give their number.",
            ),
            ({"steps-0-due_on": ""}, "This field is required."),
        ],
    )
    def test_bad_input_is_told_and_nothing_is_saved(
        self, client_for, provider, participation, changes, message
    ):
        data = session_form(participation, **changes)
        response = post_session(client_for(provider, "en"), data)
        page = response.content.decode()
        assert message in page
        assert "Seireindikaatorite valik." in page  # what was typed is shown again
        assert not CounsellingSession.objects.exists()

    def test_an_unassigned_municipality_is_refused_with_a_clear_message(
        self, client_for, provider, participation, unassigned
    ):
        response = post_session(client_for(provider, "en"), session_form(unassigned))
        assert "Choose one of the municipalities assigned to your organisation." in (
            response.content.decode()
        )
        assert not CounsellingSession.objects.exists()

    def test_the_form_offers_only_assigned_municipalities(
        self, client_for, provider, participation, unassigned
    ):
        page = client_for(provider).get(reverse("session_create")).content.decode()
        assert "Rapla vald" in page
        assert "Keila linn" not in page

    @pytest.mark.parametrize("persona", ["kov_a", "ministry"])
    def test_only_providers_log(self, request, client_for, persona):
        client = client_for(request.getfixturevalue(persona))
        assert client.get(reverse("session_create")).status_code == 403

    def test_estonian_messages(self, client_for, provider, participation):
        response = post_session(
            client_for(provider), session_form(participation, duration_hours="0")
        )
        assert "Kestus peab olema suurem kui null tundi." in response.content.decode()


class TestAccess:
    def test_a_provider_never_sees_an_unassigned_municipality(
        self, client_for, provider, participation, unassigned
    ):
        other_provider = UserFactory(role="provider")
        unassigned.service_provider = other_provider.service_provider
        unassigned.save()
        foreign = log(unassigned, other_provider)
        own = log(participation, provider)
        client = client_for(provider, "en")
        listing = client.get(reverse("session_list")).content.decode()
        assert reverse("session_detail", args=[own.pk]) in listing
        assert "Keila linn" not in listing
        for name in ["session_detail", "session_edit"]:
            assert client.get(reverse(name, args=[foreign.pk])).status_code == 404
        assert client.post(reverse("session_answer", args=[foreign.pk])).status_code == 404
        next_step = NextStep.objects.create(
            session=foreign, description="x", owner="y", due_on=timezone.localdate()
        )
        assert (
            client.post(reverse("step_status", args=[next_step.pk]), {"status": "done"})
        ).status_code == 404
        export = client.get(reverse("counselling_export", args=["csv"])).content.decode("utf-8-sig")
        assert "Rapla vald" in export
        assert "Keila linn" not in export
        totals = client.get(reverse("counselling_totals")).content.decode()
        assert "Keila linn" not in totals
        # A municipality reassigned away takes its history with it.
        participation.service_provider = other_provider.service_provider
        participation.save()
        assert client.get(reverse("session_detail", args=[own.pk])).status_code == 404

    def test_a_municipality_reads_only_its_own_sessions(
        self, client_for, provider, participation, kov_a, kov_b
    ):
        session = log(participation, provider)
        assert (
            client_for(kov_a).get(reverse("session_detail", args=[session.pk])).status_code == 200
        )
        response = client_for(kov_b).get(reverse("session_detail", args=[session.pk]))
        assert response.status_code == 404
        assert "Tiina Rapla" not in response.content.decode()
        assert "Rapla vald" not in client_for(kov_b).get(reverse("session_list")).content.decode()

    def test_ministry_staff_see_all_and_cannot_answer(
        self, client_for, provider, participation, ministry
    ):
        session = log(participation, provider)
        client = client_for(ministry, "en")
        assert client.get(reverse("session_detail", args=[session.pk])).status_code == 200
        response = client.post(reverse("session_answer", args=[session.pk]), {"answer": "confirm"})
        assert response.status_code == 403
        assert "Only the municipality counselled confirms a session." in response.content.decode()
        session.refresh_from_db()
        assert session.confirmation == CounsellingSession.Confirmation.AWAITING

    def test_state_changes_refuse_get(self, client_for, provider, participation, kov_a):
        session = log(participation, provider, steps=[step()])
        client = client_for(kov_a)
        assert client.get(reverse("session_answer", args=[session.pk])).status_code == 405
        step_pk = session.next_steps.get().pk
        assert client.get(reverse("step_status", args=[step_pk])).status_code == 405

    def test_only_the_author_corrects(self, client_for, provider, participation, ministry):
        session = log(participation, provider)
        assert (
            client_for(ministry).get(reverse("session_edit", args=[session.pk])).status_code == 403
        )


class TestConfirmationPages:
    def test_the_municipality_disputes_then_confirms(
        self, client_for, provider, participation, kov_a
    ):
        session = log(participation, provider)
        client = client_for(kov_a, "en")
        url = reverse("session_answer", args=[session.pk])
        response = client.post(url, {"answer": "dispute", "comment": ""}, follow=True)
        assert "Say what is wrong with the session when you dispute it." in (
            response.content.decode()
        )
        client.post(url, {"answer": "dispute", "comment": "Kestis tund."})
        session.refresh_from_db()
        assert session.confirmation == CounsellingSession.Confirmation.DISPUTED
        page = client_for(provider, "en").get(reverse("session_edit", args=[session.pk]))
        assert "Kestis tund." in page.content.decode()
        client.post(url, {"answer": "confirm"})
        session.refresh_from_db()
        assert session.confirmation == CounsellingSession.Confirmation.CONFIRMED

    def test_the_provider_corrects_keeping_the_next_steps(
        self, client_for, provider, participation
    ):
        session = log(participation, provider, steps=[step()])
        data = session_form(participation, duration_hours="2", **{"steps-0-description": ""})
        data |= {"steps-0-owner": "", "steps-0-due_on": ""}
        response = client_for(provider).post(reverse("session_edit", args=[session.pk]), data)
        assert response.status_code == 302
        session.refresh_from_db()
        assert str(session.duration_hours) == "2.00"
        assert session.next_steps.count() == 1

    def test_a_step_status_from_the_page(self, client_for, provider, participation, kov_a):
        session = log(participation, provider, steps=[step()])
        next_step = session.next_steps.get()
        client_for(kov_a).post(reverse("step_status", args=[next_step.pk]), {"status": "done"})
        next_step.refresh_from_db()
        assert next_step.status == NextStep.Status.DONE
        assert next_step.status_changed_by == kov_a


class TestTotalsAndExport:
    def test_totals_show_hours_and_overdue_steps(
        self, client_for, provider, participation, ministry
    ):
        today = timezone.localdate()
        log(participation, provider, steps=[step("Hilinenud samm", today - timedelta(days=2))])
        log(participation, provider, duration_hours="0.75", held_on=today)
        page = client_for(ministry, "en").get(reverse("counselling_totals")).content.decode()
        assert "Hilinenud samm" in page
        assert "2.25" in page

    def test_the_long_tables_page_apart(self, client_for, provider, participation, ministry):
        """27 municipalities counselled and 27 overdue steps: each table turns its own pages."""
        today = timezone.localdate()
        others = Municipality.objects.exclude(pk=participation.municipality_id).order_by("name")
        for municipality in others[:26]:
            other = Participation.objects.create(
                municipality=municipality,
                cohort=participation.cohort,
                start_on=participation.start_on,
                end_on=participation.end_on,
                source=Participation.Source.SELECTION,
                service_provider=provider.service_provider,
            )
            log(other, provider)
        log(
            participation,
            provider,
            steps=[step(f"Samm {n:02}", today - timedelta(days=30 - n)) for n in range(27)],
        )
        client = client_for(ministry, "en")
        names = sorted(
            CounsellingSession.objects.values_list(
                "participation__municipality__name", flat=True
            ).distinct()
        )

        def shown(**query):
            page = client.get(reverse("counselling_totals"), query)
            municipalities = [row["key"] for row in page.context["municipality_rows"]]
            steps = [step.description for step in page.context["overdue"].page]
            return page, municipalities, steps

        page, municipalities, steps = shown()
        assert municipalities == names[:25]
        assert steps == [f"Samm {n:02}" for n in range(25)]
        assert "27 next steps are past their due date" in page.content.decode()
        _page, municipalities, steps = shown(municipalities=2)
        assert municipalities == names[25:]
        assert steps == [f"Samm {n:02}" for n in range(25)]
        page, municipalities, steps = shown(steps=2)
        assert municipalities == names[:25]
        assert steps == ["Samm 25", "Samm 26"]
        # Turning one table's page keeps the page the other is on.
        assert page.context["by_municipality"].next_url == "?steps=2&municipalities=2"
        assert [row["key"] for row in page.context["provider_rows"]] == [
            provider.service_provider.name
        ]

    def test_lists_run_the_same_queries_however_many_sessions(
        self, client_for, provider, participation, ministry
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = client_for(ministry)
        pages = [reverse("counselling_totals"), reverse("session_list")]

        def queries() -> list[int]:
            counts = []
            for url in pages:
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200
                counts.append(len(captured))
            return counts

        log(participation, provider, steps=[step()])
        few = queries()
        for _ in range(10):
            log(participation, provider, steps=[step(), step()])
        assert queries() == few

    def test_the_export_lists_attendees_and_steps(self, client_for, provider, participation):
        log(participation, provider, steps=[step()])
        response = client_for(provider).get(reverse("counselling_export", args=["csv"]))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0][0] == "municipality"
        assert rows[1][0] == "Rapla vald"
        assert "Tiina Rapla (arendusjuht)" in rows[1][6]
        assert "Saata tegevuskava mustand" in rows[1][8]
        xlsx = client_for(provider).get(reverse("counselling_export", args=["xlsx"]))
        assert xlsx["Content-Disposition"].startswith("attachment")
        assert (
            client_for(provider).get(reverse("counselling_export", args=["pdf"])).status_code == 404
        )


def test_the_list_filters_by_a_municipality_the_provider_counsels(
    client_for, provider, participation, kov_b
):
    keila = make_participation(kov_b, provider.service_provider)
    log(participation, provider)
    client = client_for(provider)
    found = client.get(reverse("participation_search"), {"q": "keila"}).json()["results"]
    assert found == [{"id": keila.pk, "label": "Keila linn"}]
    page = client.get(reverse("session_list"), {"participation": keila.pk}).content.decode()
    assert f'name="participation" value="{keila.pk}"' in page
    assert "Rapla vald" not in page


@pytest.mark.parametrize("persona", ["ministry", "provider", "kov_a"])
def test_dashboards_show_hours_and_overdue_steps(
    request, client_for, provider, participation, persona
):
    today = timezone.localdate()
    log(participation, provider, steps=[step("Hilinenud samm", today - timedelta(days=1))])
    page = client_for(request.getfixturevalue(persona), "en").get(reverse("dashboard"))
    text = page.content.decode()
    assert "1 session, 1.50 hours." in text
    assert "Hilinenud samm" in text
    assert "1 awaits the municipality's confirmation." in text


def test_another_municipalitys_dashboard_shows_none_of_it(
    client_for, provider, participation, kov_b
):
    make_participation(kov_b)
    log(participation, provider, steps=[step("Hilinenud samm", timezone.localdate())])
    text = client_for(kov_b, "en").get(reverse("dashboard")).content.decode()
    assert "0 sessions, 0.00 hours." in text
    assert "Hilinenud samm" not in text


class TestRefusalsSayWhy:
    def test_a_confirmed_session_is_shown_with_the_reason_and_no_save_button(
        self, client_for, provider, participation, kov_a
    ):
        session = log(participation, provider)
        services.answer_session(session=session, confirm=True, comment="", user=kov_a)
        client = client_for(provider, "en")
        url = reverse("session_edit", args=[session.pk])
        page = client.get(url).content.decode()
        assert "The municipality has confirmed this session; it can no longer change." in page
        assert "Save the session" not in page
        detail = client.get(reverse("session_detail", args=[session.pk])).content.decode()
        assert url not in detail  # no "Correct" button
        response = client.post(url, session_form(participation, summary="Uus kokkuvõte"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "The municipality has confirmed this session; it can no longer change." in page
        assert "Uus kokkuvõte" in page  # what was typed is kept
        session.refresh_from_db()
        assert session.summary == "Arutasime juurpõhjuste analüüsi."

    def test_an_answer_refused_now_keeps_the_comment_beside_the_reason(
        self, client_for, provider, participation, kov_a
    ):
        session = log(participation, provider)
        client = client_for(kov_a, "en")
        url = reverse("session_answer", args=[session.pk])
        client.post(url, {"answer": "confirm"})
        response = client.post(url, {"answer": "dispute", "comment": "Kestis vaid tund."})
        assert response.status_code == 200
        page = response.content.decode()
        assert "This session is already confirmed." in page
        assert "Kestis vaid tund." in page
        session.refresh_from_db()
        assert session.confirmation == CounsellingSession.Confirmation.CONFIRMED

    def test_a_dispute_without_a_comment_comes_back_beside_the_form(
        self, client_for, provider, participation, kov_a
    ):
        session = log(participation, provider)
        response = client_for(kov_a, "en").post(
            reverse("session_answer", args=[session.pk]), {"answer": "dispute", "comment": " "}
        )
        assert response.status_code == 200
        assert "Say what is wrong with the session when you dispute it." in (
            response.content.decode()
        )

    def test_who_reads_but_does_not_keep_the_steps_is_told_why(
        self, client_for, provider, participation, ministry
    ):
        session = log(participation, provider, steps=[step()])
        next_step = session.next_steps.get()
        client = client_for(ministry, "en")
        response = client.post(reverse("step_status", args=[next_step.pk]), {"status": "done"})
        assert response.status_code == 403
        assert "Only the municipality and its provider update a next step." in (
            response.content.decode()
        )
        page = client.get(reverse("session_detail", args=[session.pk])).content.decode()
        assert reverse("step_status", args=[next_step.pk]) not in page
        next_step.refresh_from_db()
        assert next_step.status == NextStep.Status.OPEN


class TestAdmin:
    def test_the_admin_reads_a_session_and_changes_none(
        self, client_for, provider, participation, admin
    ):
        session = log(participation, provider, steps=[step()])
        client = client_for(admin, "en")
        url = reverse("admin:counselling_counsellingsession_change", args=[session.pk])
        response = client.get(url)
        assert response.status_code == 200
        assert 'name="_save"' not in response.content.decode()
        assert client.post(url, {"summary": "Muudetud"}).status_code == 403
        add = reverse("admin:counselling_counsellingsession_add")
        assert client.get(add).status_code == 403
        session.refresh_from_db()
        assert session.summary == "Arutasime juurpõhjuste analüüsi."


class TestHoursChart:
    """The chart of hours per month is given the sessions' hours added up by month."""

    @staticmethod
    def months_from_the_rows(sessions):
        """Hours per (year, month) from the first month with a session to the last, in plain
        Python from the session rows; a month without a session is 0."""
        hours = {}
        for held_on, duration in sessions.values_list("held_on", "duration_hours"):
            key = (held_on.year, held_on.month)
            hours[key] = hours.get(key, Decimal(0)) + duration
        if not hours:
            return []
        (year, month), last = min(hours), max(hours)
        months = []
        while (year, month) <= last:
            months.append(hours.get((year, month), Decimal(0)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def test_each_role_sees_the_hours_of_the_sessions_it_may_see(
        self, client_for, provider, participation, kov_a, kov_b, ministry
    ):
        other = make_participation(kov_b, provider.service_provider)
        today = timezone.localdate()
        for days, hours in [(280, "1.5"), (279, "0.25"), (200, "2"), (190, "0.75"), (3, "12")]:
            log(participation, provider, held_on=today - timedelta(days=days), duration_hours=hours)
        log(other, provider, held_on=today - timedelta(days=100), duration_hours="3.5")
        for user, sessions in [
            (kov_a, CounsellingSession.objects.filter(participation=participation)),
            (kov_b, CounsellingSession.objects.filter(participation=other)),
            (provider, CounsellingSession.objects.all()),
            (ministry, CounsellingSession.objects.all()),
        ]:
            page = client_for(user, "en").get(reverse("counselling_totals"))
            chart = page.context["month_chart"]
            assert [column.value for column in chart.columns] == self.months_from_the_rows(
                sessions
            ), user
            html = page.content.decode()
            assert html.count('class="chart-bar"') == sum(
                1 for hours in self.months_from_the_rows(sessions) if hours
            )
            assert (
                '<title id="hours-per-month-chart-title">Counselling hours per month</title>'
                in (html)
            )

    def test_no_sessions_no_chart(self, client_for, kov_a, participation):
        page = client_for(kov_a, "en").get(reverse("counselling_totals"))
        assert page.context["month_chart"] is None
        assert "hours-per-month-chart" not in page.content.decode()
