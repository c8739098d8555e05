"""The training and sharing pages: access per role, bad input, wrong methods, query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import capfirst

from accounts.models import Role
from learning import services
from learning.models import (
    Organiser,
    SharingEvent,
    SharingMaterial,
    Training,
    TrainingParticipant,
    TrainingType,
)
from programme.models import Municipality
from tests.factories import UserFactory
from tests.learning.conftest import (
    add_participant,
    fake_pdf,
    keila,
    make_event,
    make_training,
    participate,
    pdf_file,
    rapla,
    today,
)

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def register(client, training, **data):
    values = {"name": "Mari Maasikas", "kind": "official", "role": "lastekaitsespetsialist"}
    return client.post(reverse("training_register", args=[training.pk]), values | data)


class TestTrainingList:
    @pytest.mark.parametrize("persona", ["kov_a", "kov_b", "provider", "ministry"])
    def test_every_role_sees_the_trainings(self, persona, request, client_for, training):
        page = client_for(request.getfixturevalue(persona), "en").get(reverse("training_list"))
        assert training.title in page.content.decode()

    def test_lists_upcoming_and_past_with_places_left(
        self, client_for, kov_a, training, held_training
    ):
        for name in ["Mari", "Jaan", "Kati"]:
            add_participant(training, rapla(), name)
        page = client_for(kov_a, "en").get(reverse("training_list"))
        assert list(page.context["upcoming"].page) == [training]
        assert list(page.context["past"].page) == [held_training]
        assert "7 / 10" in page.content.decode()

    def test_filters_by_type_and_organiser(self, client_for, kov_a, training, held_training):
        client = client_for(kov_a, "en")
        page = client.get(reverse("training_list"), {"training_type": TrainingType.STAD})
        assert list(page.context["upcoming"].page) == []
        assert list(page.context["past"].page) == [held_training]
        page = client.get(reverse("training_list"), {"organiser": Organiser.TAI})
        assert not page.context["upcoming"].page and not page.context["past"].page

    def test_the_query_count_does_not_grow_with_the_trainings(self, client_for, kov_a, provider):
        client = client_for(kov_a)
        for day in (-5, 5):
            make_training(
                organiser=Organiser.SERVICE_PROVIDER,
                service_provider=provider.service_provider,
                starts_on=today() + timedelta(days=day),
            )
        few = queries(client, reverse("training_list"))
        for day in range(20):
            training = make_training(
                organiser=Organiser.SERVICE_PROVIDER,
                service_provider=provider.service_provider,
                starts_on=today() + timedelta(days=day - 10),
            )
            add_participant(training, rapla(), "Mari")
        assert queries(client, reverse("training_list")) == few

    def test_long_lists_are_paginated(self, client_for, kov_a):
        for day in range(30):
            make_training(starts_on=today() + timedelta(days=day + 1))
        page = client_for(kov_a, "en").get(reverse("training_list"))
        assert len(page.context["upcoming"].page) == 25
        assert "upcoming=2" in page.context["upcoming"].next_url
        second = client_for(kov_a, "en").get(reverse("training_list"), {"upcoming": 2})
        assert len(second.context["upcoming"].page) == 5


class TestTrainingDetail:
    def test_a_municipality_sees_only_its_own_people(
        self, client_for, kov_a, training, participation_a
    ):
        add_participant(training, rapla(), "Mari Maasikas")
        add_participant(training, keila(), "Kalle Kask")
        page = client_for(kov_a, "en").get(reverse("training_detail", args=[training.pk]))
        content = page.content.decode()
        assert "Mari Maasikas" in content and "Kalle Kask" not in content
        assert 'name="name"' in content  # the registration form

    def test_the_provider_sees_its_assigned_municipalities_people(
        self, client_for, provider, training, participation_a, participation_b
    ):
        add_participant(training, rapla(), "Mari Maasikas")
        add_participant(training, keila(), "Kalle Kask")
        content = client_for(provider).get(reverse("training_detail", args=[training.pk])).content
        assert b"Mari Maasikas" in content and b"Kalle Kask" not in content

    def test_the_organising_provider_sees_everyone_registered(
        self, client_for, provider, provider_training
    ):
        add_participant(provider_training, keila(), "Kalle Kask")
        content = (
            client_for(provider)
            .get(reverse("training_detail", args=[provider_training.pk]))
            .content
        )
        assert b"Kalle Kask" in content

    def test_ministry_sees_everyone(self, client_for, ministry, training):
        add_participant(training, rapla(), "Mari Maasikas")
        add_participant(training, keila(), "Kalle Kask")
        content = client_for(ministry).get(reverse("training_detail", args=[training.pk])).content
        assert b"Mari Maasikas" in content and b"Kalle Kask" in content

    def test_an_unknown_training_is_404(self, client_for, kov_a):
        assert client_for(kov_a).get(reverse("training_detail", args=[999])).status_code == 404


class TestRegistrationPages:
    def test_registers_and_redirects(self, client_for, kov_a, training, participation_a):
        response = register(client_for(kov_a, "en"), training)
        assert response.status_code == 302
        assert training.participants.get().name == "Mari Maasikas"

    def test_a_forged_municipality_is_ignored(
        self, client_for, kov_a, training, participation_a, participation_b
    ):
        register(client_for(kov_a), training, municipality=keila().pk)
        assert training.participants.get().municipality == rapla()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"name": ""}, "This field is required."),
            ({"kind": "mayor"}, "Select a valid choice."),
            ({"role": ""}, "This field is required."),
        ],
    )
    def test_bad_input_gets_a_message_and_saves_nothing(
        self, client_for, kov_a, training, participation_a, data, message
    ):
        response = register(client_for(kov_a, "en"), training, **data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not training.participants.exists()

    def test_a_full_training_says_so_and_keeps_what_was_typed(
        self, client_for, kov_a, participation_a
    ):
        training = make_training(capacity=1)
        add_participant(training, keila(), "Kalle Kask")
        response = register(client_for(kov_a, "en"), training, name="Juhan Juurikas")
        content = response.content.decode()
        assert "The training is full: all 1 places are taken." in content
        assert 'value="Juhan Juurikas"' in content
        assert training.participants.count() == 1

    def test_the_same_person_twice_gets_a_clear_message(
        self, client_for, kov_a, training, participation_a
    ):
        add_participant(training, rapla(), "Mari Maasikas")
        response = register(client_for(kov_a, "en"), training, name=" mari maasikas")
        assert "Mari Maasikas is already registered for this training." in response.content.decode()
        assert training.participants.count() == 1

    def test_a_municipality_outside_the_programme_is_refused(self, client_for, kov_b, training):
        response = register(client_for(kov_b, "en"), training)
        assert "Only municipalities taking part" in response.content.decode()
        assert not training.participants.exists()

    def test_registration_after_the_date_is_refused(self, client_for, kov_a, participation_a):
        training = make_training(starts_on=today())
        response = register(client_for(kov_a, "en"), training)
        assert "Registration closed" in response.content.decode()
        assert not training.participants.exists()

    @pytest.mark.parametrize("persona", ["ministry", "provider"])
    def test_only_municipality_users_register(self, persona, request, client_for, training):
        assert register(client_for(request.getfixturevalue(persona)), training).status_code == 403
        assert not training.participants.exists()

    def test_register_and_withdraw_take_a_post(self, client_for, kov_a, training):
        participant = add_participant(training, rapla(), "Mari Maasikas")
        client = client_for(kov_a)
        assert client.get(reverse("training_register", args=[training.pk])).status_code == 405
        withdraw = reverse("training_withdraw", args=[training.pk, participant.pk])
        assert client.get(withdraw).status_code == 405

    def test_withdraws_its_own_person(self, client_for, kov_a, training):
        participant = add_participant(training, rapla(), "Mari Maasikas")
        client_for(kov_a).post(reverse("training_withdraw", args=[training.pk, participant.pk]))
        assert not training.participants.exists()

    @pytest.mark.parametrize(
        ("persona", "status"), [("kov_b", 404), ("ministry", 403), ("provider", 403)]
    )
    def test_another_municipalitys_person_cannot_be_withdrawn(
        self, persona, status, request, client_for, training, participation_a
    ):
        """Another municipality does not see the person; who sees them (ministry staff, A's
        provider) is told that only their own municipality withdraws them."""
        participant = add_participant(training, rapla(), "Mari Maasikas")
        url = reverse("training_withdraw", args=[training.pk, participant.pk])
        response = client_for(request.getfixturevalue(persona), "en").post(url)
        assert response.status_code == status
        if status == 403:
            assert "Only the person&#x27;s own municipality may withdraw them." in (
                response.content.decode()
            )
        assert training.participants.exists()

    def test_withdrawal_on_the_date_is_refused_with_a_message(self, client_for, kov_a):
        training = make_training(starts_on=today())
        participant = add_participant(training, rapla(), "Mari Maasikas")
        response = client_for(kov_a, "en").post(
            reverse("training_withdraw", args=[training.pk, participant.pk]), follow=True
        )
        assert "can no longer be withdrawn" in response.content.decode()
        assert training.participants.exists()


def training_post(**extra):
    return {
        "title": "Ennetuskoolitus",
        "training_type": TrainingType.PREVENTION,
        "organiser": Organiser.TAI,
        "starts_on": (today() + timedelta(days=20)).isoformat(),
        "place": "Tallinn",
        "capacity": "15",
        "description": "",
    } | extra


class TestTrainingForms:
    @pytest.mark.parametrize("persona", ["kov_a", "kov_b"])
    def test_municipalities_do_not_organise(self, persona, request, client_for, training):
        client = client_for(request.getfixturevalue(persona))
        assert client.get(reverse("training_create")).status_code == 403
        assert client.post(reverse("training_create"), training_post()).status_code == 403
        assert client.get(reverse("training_edit", args=[training.pk])).status_code == 403
        assert Training.objects.count() == 1

    def test_ministry_creates_a_training(self, client_for, ministry):
        response = client_for(ministry).post(reverse("training_create"), training_post())
        training = Training.objects.get()
        assert response.url == reverse("training_detail", args=[training.pk])
        assert training.organiser == Organiser.TAI and training.capacity == 15

    def test_a_provider_creates_its_own_providers_training_whatever_it_posts(
        self, client_for, provider
    ):
        other = UserFactory(role=Role.PROVIDER)
        client_for(provider).post(
            reverse("training_create"),
            training_post(organiser=Organiser.PPA, service_provider=other.service_provider.pk),
        )
        training = Training.objects.get()
        assert training.organiser == Organiser.SERVICE_PROVIDER
        assert training.service_provider == provider.service_provider

    def test_a_provider_edits_only_its_own_trainings(
        self, client_for, provider, training, provider_training
    ):
        client = client_for(provider)
        assert client.get(reverse("training_edit", args=[training.pk])).status_code == 403
        assert client.get(reverse("training_edit", args=[provider_training.pk])).status_code == 200
        client.post(
            reverse("training_edit", args=[provider_training.pk]), training_post(title="Uus nimi")
        )
        provider_training.refresh_from_db()
        assert provider_training.title == "Uus nimi"

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"place": ""}, "Give the place, or mark the training as online."),
            ({"capacity": "0"}, "There must be at least one place."),
            ({"capacity": "kümme"}, "Give the number of places as a whole number."),
            ({"organiser": Organiser.OTHER}, "Give the name of the organiser."),
            ({"organiser": Organiser.SERVICE_PROVIDER}, "Choose the service provider"),
            ({"starts_on": "31.02.2026"}, "Enter a valid date."),
        ],
    )
    def test_bad_input_gets_a_message_and_saves_nothing(self, client_for, ministry, data, message):
        response = client_for(ministry, "en").post(
            reverse("training_create"), training_post(**data)
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Training.objects.exists()

    def test_fewer_places_than_registered_is_refused(self, client_for, ministry, training):
        for name in ["Mari", "Jaan"]:
            add_participant(training, rapla(), name)
        response = client_for(ministry, "en").post(
            reverse("training_edit", args=[training.pk]), training_post(capacity="1")
        )
        assert "2 people are already registered" in response.content.decode()
        training.refresh_from_db()
        assert training.capacity == 10


class TestAttendancePage:
    def test_the_organiser_records_attendance(self, client_for, provider, provider_training):
        came = add_participant(provider_training, rapla(), "Mari Maasikas")
        missed = add_participant(provider_training, keila(), "Kalle Kask")
        url = reverse("training_attendance", args=[provider_training.pk])
        client = client_for(provider, "en")
        page = client.get(url).content.decode()
        assert "Mari Maasikas" in page and "Kalle Kask" in page
        client.post(url, {f"p{came.pk}": "yes", f"p{missed.pk}": "no"})
        came.refresh_from_db()
        missed.refresh_from_db()
        assert came.attended is True and missed.attended is False

    @pytest.mark.parametrize("persona", ["kov_a", "provider"])
    def test_others_may_not_record(self, persona, request, client_for, held_training):
        person = add_participant(held_training, rapla(), "Mari Maasikas")
        client = client_for(request.getfixturevalue(persona))
        url = reverse("training_attendance", args=[held_training.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {f"p{person.pk}": "yes"}).status_code == 403
        person.refresh_from_db()
        assert person.attended is None

    def test_before_the_date_it_is_refused(self, client_for, ministry, training):
        person = add_participant(training, rapla(), "Mari Maasikas")
        url = reverse("training_attendance", args=[training.pk])
        client = client_for(ministry, "en")
        assert "Attendance is recorded from the training" in client.get(url).content.decode()
        response = client.post(url, {f"p{person.pk}": "yes"})
        assert "Attendance is recorded from the training" in response.content.decode()
        person.refresh_from_db()
        assert person.attended is None

    def test_a_bad_choice_gets_a_message(self, client_for, ministry, held_training):
        person = add_participant(held_training, rapla(), "Mari Maasikas")
        url = reverse("training_attendance", args=[held_training.pk])
        response = client_for(ministry, "en").post(url, {f"p{person.pk}": "maybe"})
        assert "Select a valid choice." in response.content.decode()
        person.refresh_from_db()
        assert person.attended is None


class TestOverview:
    @pytest.mark.parametrize("persona", ["kov_a", "provider"])
    def test_is_for_programme_staff_only(self, persona, request, client_for):
        client = client_for(request.getfixturevalue(persona))
        assert client.get(reverse("training_overview")).status_code == 403

    def test_counts_the_people_who_attended_per_type(
        self, client_for, ministry, held_training, participation_a, participation_b
    ):
        add_participant(held_training, rapla(), "Mari Maasikas", attended=True)
        add_participant(held_training, rapla(), "Jaan Tamm", attended=True)
        add_participant(held_training, rapla(), "Kati Karu", attended=False)
        add_participant(held_training, keila(), "Kalle Kask", attended=True)
        page = client_for(ministry, "en").get(reverse("training_overview"))
        rows = {row["municipality"]: row for row in page.context["rows"]}
        stad = list(TrainingType).index(TrainingType.STAD)
        assert rows[rapla()]["counts"][stad] == 2 and rows[rapla()]["total"] == 2
        assert [p.name for p in rows[rapla()]["people"]] == ["Jaan Tamm", "Mari Maasikas"]
        assert rows[keila()]["counts"][stad] == 1
        assert page.context["totals"][stad] == 3
        assert "Kati Karu" not in page.content.decode()

    def test_the_query_count_does_not_grow_with_the_rows(self, client_for, ministry, held_training):
        client = client_for(ministry)
        participate(rapla())
        add_participant(held_training, rapla(), "Mari Maasikas", attended=True)
        few = queries(client, reverse("training_overview"))
        for code in ["0296", "0198", "0245", "0305"]:
            municipality = participate_code(code)
            for n in range(3):
                add_participant(held_training, municipality, f"Inimene {n}", attended=True)
        assert queries(client, reverse("training_overview")) == few


def participate_code(code):
    municipality = Municipality.objects.get(ehak_code=code)
    participate(municipality)
    return municipality


def sharing_post(**extra):
    return {
        "title": "Raplamaa kogemuspäev",
        "held_on": (today() - timedelta(days=2)).isoformat(),
        "level": SharingEvent.Level.COUNTY,
        "county": rapla().county.pk,
        "host": "Rapla vald",
        "presenters": [rapla().pk],
        "attendees": [],
        "notes": "",
    } | extra


class TestSharingPages:
    def test_a_municipality_not_in_an_event_gets_404(self, client_for, kov_a, ministry):
        event = services.save_sharing_event(
            event=None,
            user=ministry,
            title="Harjumaa päev",
            held_on=today(),
            level=SharingEvent.Level.NATIONAL,
            county=None,
            host="Keila linn",
            presenters=[keila()],
            attendees=[],
            notes="",
            materials=[pdf_file()],
        )
        material = event.materials.get()
        client = client_for(kov_a)
        assert client.get(reverse("sharing_detail", args=[event.pk])).status_code == 404
        assert client.get(reverse("sharing_edit", args=[event.pk])).status_code == 404
        url = reverse("sharing_material", args=[event.pk, material.pk])
        assert client.get(url).status_code == 404
        assert event.title not in client.get(reverse("sharing_list")).content.decode()

    def test_an_involved_municipality_downloads_the_material_as_an_attachment(
        self, client_for, kov_a, kov_b, ministry
    ):
        event = services.save_sharing_event(
            event=None,
            user=ministry,
            title="Kogemuspäev",
            held_on=today(),
            level=SharingEvent.Level.NATIONAL,
            county=None,
            host="Siseministeerium",
            presenters=[keila()],
            attendees=[rapla()],
            notes="",
            materials=[pdf_file("Ettekanne.pdf")],
        )
        material = event.materials.get()
        response = client_for(kov_a).get(reverse("sharing_material", args=[event.pk, material.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert "Ettekanne.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        # The material's id under another event's address is not found.
        other = make_event(attendees=[rapla()])
        url = reverse("sharing_material", args=[other.pk, material.pk])
        assert client_for(kov_a).get(url).status_code == 404

    def test_the_provider_sees_the_events_of_its_municipalities(
        self, client_for, provider, participation_a
    ):
        rapla_event = make_event(title="Rapla esitleb", presenters=[rapla()])
        keila_event = make_event(title="Keila esitleb", presenters=[keila()])
        client = client_for(provider)
        assert client.get(reverse("sharing_detail", args=[rapla_event.pk])).status_code == 200
        assert client.get(reverse("sharing_detail", args=[keila_event.pk])).status_code == 404
        content = client.get(reverse("sharing_list")).content.decode()
        assert "Rapla esitleb" in content and "Keila esitleb" not in content

    def test_the_list_filters_by_level_county_and_year(self, client_for, ministry):
        county_event = make_event(level=SharingEvent.Level.COUNTY, county=rapla().county)
        national = make_event(held_on=today().replace(year=today().year - 1))
        client = client_for(ministry)

        def listed(**params):
            return list(client.get(reverse("sharing_list"), params).context["listing"].page)

        assert listed(level="county") == [county_event]
        assert listed(county=keila().county.pk) == []
        assert listed(year=today().year - 1) == [national]

    def test_the_list_query_count_does_not_grow(self, client_for, ministry):
        client = client_for(ministry)
        make_event(presenters=[rapla()], attendees=[keila()])
        few = queries(client, reverse("sharing_list"))
        for _ in range(10):
            make_event(presenters=[rapla(), keila()], attendees=[keila()])
        assert queries(client, reverse("sharing_list")) == few

    def test_a_row_shows_its_own_municipalities_and_materials(self, client_for, ministry):
        paide = Municipality.objects.get(ehak_code="0567")
        services.save_sharing_event(
            event=None,
            user=ministry,
            title="Kahe valla päev",
            held_on=today(),
            level=SharingEvent.Level.NATIONAL,
            county=None,
            host="Siseministeerium",
            presenters=[rapla(), keila()],
            attendees=[paide],
            notes="",
            materials=[pdf_file("Üks.pdf"), pdf_file("Teine.pdf")],
        )
        make_event(title="Tühi päev")
        content = client_for(ministry, "en").get(reverse("sharing_list")).content.decode()
        first, empty = content.split("Kahe valla päev")[1], content.split("Tühi päev")[1]
        row = first[: first.index("</tr>")]
        assert "<td>Keila linn, Rapla vald</td>" in row
        assert "<td>Paide linn</td>" in row
        assert '<td class="text-end">2</td>' in row
        row = empty[: empty.index("</tr>")]
        assert row.count("<td></td>") == 2 and '<td class="text-end">0</td>' in row

    def test_a_municipality_records_an_event_with_a_material(self, client_for, kov_a):
        response = client_for(kov_a).post(
            reverse("sharing_create"), sharing_post(materials=[pdf_file()])
        )
        event = SharingEvent.objects.get()
        assert response.url == reverse("sharing_detail", args=[event.pk])
        assert event.recording_municipality == rapla()
        assert event.materials.count() == 1

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"county": ""}, "Choose the county of a county event."),
            ({"level": "national"}, "A national event has no county"),
            ({"presenters": []}, "Your municipality must be among"),
            ({"materials": [fake_pdf()]}, "The file is neither a PDF nor a PNG or JPEG image."),
            ({"held_on": ""}, "This field is required."),
        ],
    )
    def test_bad_input_gets_a_message_and_saves_nothing(self, client_for, kov_a, data, message):
        response = client_for(kov_a, "en").post(reverse("sharing_create"), sharing_post(**data))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not SharingEvent.objects.exists()
        assert not SharingMaterial.objects.exists()

    def test_providers_record_no_events(self, client_for, provider):
        client = client_for(provider)
        assert client.get(reverse("sharing_create")).status_code == 403
        assert client.post(reverse("sharing_create"), sharing_post()).status_code == 403

    def test_only_the_recording_municipality_edits(self, client_for, kov_a, kov_b):
        event = make_event(
            recording_municipality=rapla(), presenters=[rapla()], attendees=[keila()]
        )
        assert client_for(kov_b).get(reverse("sharing_edit", args=[event.pk])).status_code == 403
        client_for(kov_a).post(
            reverse("sharing_edit", args=[event.pk]),
            sharing_post(title="Parandatud", attendees=[keila().pk]),
        )
        event.refresh_from_db()
        assert event.title == "Parandatud"
        assert list(event.attendees.all()) == [keila()]


class TestRefusalsSayWhy:
    def test_a_full_training_offers_no_registration_and_says_why(
        self, client_for, kov_a, participation_a
    ):
        training = make_training(capacity=1)
        add_participant(training, keila(), "Kalle Kask")
        page = client_for(kov_a, "en").get(reverse("training_detail", args=[training.pk]))
        text = page.content.decode()
        assert "The training is full: all 1 places are taken." in text
        assert reverse("training_register", args=[training.pk]) not in text

    def test_a_municipality_outside_the_programme_is_told_why_on_the_page(
        self, client_for, kov_b, training
    ):
        page = client_for(kov_b, "en").get(reverse("training_detail", args=[training.pk]))
        text = page.content.decode()
        assert "Only municipalities taking part in the programme register people" in text
        assert reverse("training_register", args=[training.pk]) not in text

    def test_a_withdrawal_is_offered_only_before_the_training(
        self, client_for, kov_a, participation_a, training
    ):
        held = make_training(starts_on=today())
        before = add_participant(training, rapla(), "Mari Maasikas")
        on_the_day = add_participant(held, rapla(), "Mari Maasikas")
        client = client_for(kov_a, "en")
        page = client.get(reverse("training_detail", args=[training.pk])).content.decode()
        assert reverse("training_withdraw", args=[training.pk, before.pk]) in page
        page = client.get(reverse("training_detail", args=[held.pk])).content.decode()
        assert reverse("training_withdraw", args=[held.pk, on_the_day.pk]) not in page

    def test_the_403_page_says_who_organises(self, client_for, provider, training):
        response = client_for(provider, "en").get(reverse("training_edit", args=[training.pk]))
        assert response.status_code == 403
        assert "Only the training&#x27;s organiser may change it." in response.content.decode()


class TestAdmin:
    def test_the_admin_keeps_trainings_but_registers_and_withdraws_no_one(
        self, client_for, admin, training, participation_a
    ):
        person = add_participant(training, rapla(), "Mari Maasikas")
        client = client_for(admin, "en")
        change = reverse("admin:learning_training_change", args=[training.pk])
        assert client.get(change).status_code == 200
        assert client.get(reverse("admin:learning_trainingparticipant_add")).status_code == 403
        delete = reverse("admin:learning_trainingparticipant_delete", args=[person.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert training.participants.filter(pk=person.pk).exists()


class TestAttendanceCharts:
    """The bars are the people who attended, counted in plain Python from the participant rows:
    each person once per training type (by name, whatever its case) and municipality."""

    @staticmethod
    def people_by_type(rows):
        seen = {(m, kind, name.lower()) for m, kind, name in rows}
        return [sum(1 for _m, k, _n in seen if k == kind.value) for kind in TrainingType]

    @pytest.fixture
    def attendance(self, held_training, participation_a, participation_b):
        other = make_training(
            title="Ennetus II", starts_on=held_training.starts_on - timedelta(days=30)
        )
        add_participant(held_training, rapla(), "Mari Maasikas", attended=True)
        add_participant(held_training, rapla(), "Jaan Tamm", attended=True)
        add_participant(held_training, rapla(), "Kati Karu", attended=False)
        add_participant(held_training, keila(), "Kalle Kask", attended=True)
        add_participant(other, rapla(), "MARI MAASIKAS", attended=True)
        add_participant(other, rapla(), "Mari Maasikas ", attended=None)
        add_participant(other, keila(), "Kalle Kask", attended=True)

    def rows(self, **where):
        return TrainingParticipant.objects.filter(attended=True, **where).values_list(
            "municipality", "training__training_type", "name"
        )

    def test_the_overview_charts_the_people_of_all_municipalities_by_type(
        self, client_for, ministry, attendance
    ):
        page = client_for(ministry, "en").get(reverse("training_overview"))
        chart = page.context["totals_chart"]
        assert [int(row.value) for row in chart.rows] == self.people_by_type(self.rows())
        assert [" ".join(line for _y, line in row.lines) for row in chart.rows] == [
            capfirst(kind.label) for kind in TrainingType
        ]
        assert 'aria-labelledby="trained-by-type-chart-title"' in page.content.decode()

    def test_the_municipality_dashboard_charts_its_own_people_by_type(
        self, client_for, kov_a, attendance
    ):
        page = client_for(kov_a, "en").get(reverse("dashboard"))
        chart = page.context["trained_chart"]
        expected = self.people_by_type(self.rows(municipality=rapla()))
        assert [int(row.value) for row in chart.rows] == expected
        assert sum(expected) == 3  # two prevention (one named twice), one STAD
        assert page.content.decode().count('class="chart-bar"') == 2
