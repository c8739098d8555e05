"""The training rules, as the services and QuerySets apply them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Role
from learning import services
from learning.models import Organiser, Training, TrainingParticipant, TrainingType
from tests.factories import UserFactory
from tests.learning.conftest import add_participant, keila, make_training, rapla, today
from turvaportaal.lib.rules import Forbidden

pytestmark = pytest.mark.django_db


def register(training, user, name="Mari Maasikas", **extra):
    return services.register_participant(
        training=training,
        user=user,
        name=name,
        kind=extra.get("kind", TrainingParticipant.Kind.OFFICIAL),
        role=extra.get("role", "lastekaitsespetsialist"),
    )


def training_fields(**extra):
    return {
        "title": "Ennetuskoolitus",
        "training_type": TrainingType.PREVENTION,
        "organiser": Organiser.TAI,
        "service_provider": None,
        "organiser_name": "",
        "starts_on": today() + timedelta(days=30),
        "place": "Tallinn",
        "is_online": False,
        "capacity": 20,
        "description": "",
    } | extra


class TestRegistration:
    def test_registers_a_person_for_the_users_own_municipality(
        self, training, kov_a, participation_a
    ):
        participant = register(training, kov_a, name="  Mari   Maasikas ")
        assert participant.municipality == rapla()
        assert participant.name == "Mari Maasikas"
        assert participant.registered_by == kov_a
        assert participant.attended is None

    def test_refuses_when_the_places_are_taken(self, kov_a, participation_a, in_english):
        training = make_training(capacity=2)
        register(training, kov_a, name="Mari Maasikas")
        register(training, kov_a, name="Jaan Tamm")
        with pytest.raises(ValidationError, match="The training is full: all 2 places are taken."):
            register(training, kov_a, name="Kati Karu")
        assert training.participants.count() == 2

    def test_places_are_shared_by_all_municipalities(
        self, kov_a, kov_b, participation_a, participation_b, in_english
    ):
        training = make_training(capacity=1)
        register(training, kov_b, name="Kalle Kask")
        with pytest.raises(ValidationError, match="The training is full"):
            register(training, kov_a)

    @pytest.mark.parametrize("days", [0, -1, -30])
    def test_refuses_registration_on_or_after_the_training_date(
        self, kov_a, participation_a, in_english, days
    ):
        training = make_training(starts_on=today() + timedelta(days=days))
        with pytest.raises(ValidationError, match="Registration closed"):
            register(training, kov_a)
        assert not training.participants.exists()

    def test_the_day_before_is_the_last_day_to_register(self, kov_a, participation_a):
        training = make_training(starts_on=today() + timedelta(days=1))
        register(training, kov_a)
        assert training.participants.count() == 1

    @pytest.mark.parametrize("again", ["Mari Maasikas", "mari maasikas", "  MARI MAASIKAS  "])
    def test_refuses_the_same_person_twice_with_a_clear_message(
        self, training, kov_a, participation_a, in_english, again
    ):
        register(training, kov_a, name="Mari Maasikas")
        with pytest.raises(ValidationError) as refused:
            register(training, kov_a, name=again)
        assert refused.value.messages == ["Mari Maasikas is already registered for this training."]
        assert training.participants.count() == 1

    def test_a_name_with_estonian_letters_is_compared_without_case(
        self, training, kov_a, participation_a, in_english
    ):
        register(training, kov_a, name="Õie Ääremaa")
        with pytest.raises(ValidationError, match="Õie Ääremaa is already registered"):
            register(training, kov_a, name="õie äärEMAA")

    def test_another_municipality_may_register_a_namesake(
        self, training, kov_a, kov_b, participation_a, participation_b
    ):
        register(training, kov_a, name="Mari Maasikas")
        register(training, kov_b, name="Mari Maasikas")
        assert training.participants.count() == 2

    def test_the_database_refuses_a_duplicate_name_as_well(self, training):
        add_participant(training, rapla(), "Mari Maasikas")
        with pytest.raises(IntegrityError), transaction.atomic():
            add_participant(training, rapla(), "MARI MAASIKAS")

    def test_refuses_a_municipality_outside_the_programme(self, training, kov_b, in_english):
        with pytest.raises(Forbidden, match="Only municipalities taking part"):
            register(training, kov_b)
        assert not training.participants.exists()

    @pytest.mark.parametrize("persona", ["ministry", "provider", "admin"])
    def test_only_municipality_users_register(self, training, persona, request, in_english):
        with pytest.raises(Forbidden, match="Only municipality users register"):
            register(training, request.getfixturevalue(persona))

    def test_refuses_an_empty_name_or_role(self, training, kov_a, participation_a, in_english):
        with pytest.raises(ValidationError, match="Give the person's name."):
            register(training, kov_a, name="   ")
        with pytest.raises(ValidationError, match="Give the person's role."):
            register(training, kov_a, role=" ")
        assert not training.participants.exists()


class TestWithdrawal:
    def test_the_municipality_withdraws_its_own_person_before_the_training(
        self, training, kov_a, participation_a
    ):
        participant = register(training, kov_a)
        services.withdraw_participant(participant=participant, user=kov_a)
        assert not training.participants.exists()

    def test_refuses_to_withdraw_on_the_training_date(self, kov_a, in_english):
        training = make_training(starts_on=today())
        participant = add_participant(training, rapla(), "Mari Maasikas")
        with pytest.raises(ValidationError, match="can no longer be withdrawn"):
            services.withdraw_participant(participant=participant, user=kov_a)
        assert training.participants.exists()

    def test_refuses_another_municipalitys_person(self, training, kov_b, in_english):
        participant = add_participant(training, rapla(), "Mari Maasikas")
        with pytest.raises(Forbidden, match="Only the person's own municipality"):
            services.withdraw_participant(participant=participant, user=kov_b)
        assert training.participants.exists()


class TestAttendance:
    def test_ministry_records_attendance_after_the_training(self, held_training, ministry):
        came = add_participant(held_training, rapla(), "Mari Maasikas")
        missed = add_participant(held_training, keila(), "Kalle Kask")
        changed = services.record_attendance(
            training=held_training, user=ministry, attendance={came.pk: True, missed.pk: False}
        )
        assert changed == 2
        came.refresh_from_db()
        missed.refresh_from_db()
        assert came.attended is True and missed.attended is False
        assert came.recorded_by == ministry and came.recorded_at is not None

    def test_attendance_can_be_recorded_on_the_training_date(self, provider_training, provider):
        person = add_participant(provider_training, rapla(), "Mari Maasikas")
        services.record_attendance(
            training=provider_training, user=provider, attendance={person.pk: True}
        )
        person.refresh_from_db()
        assert person.attended is True

    def test_refuses_attendance_before_the_training_date(self, training, ministry, in_english):
        person = add_participant(training, rapla(), "Mari Maasikas")
        with pytest.raises(ValidationError, match="Attendance is recorded from the training"):
            services.record_attendance(
                training=training, user=ministry, attendance={person.pk: True}
            )
        person.refresh_from_db()
        assert person.attended is None

    def test_refuses_a_provider_that_does_not_organise_the_training(
        self, held_training, provider, in_english
    ):
        person = add_participant(held_training, rapla(), "Mari Maasikas")
        with pytest.raises(Forbidden, match="Only the training's organiser"):
            services.record_attendance(
                training=held_training, user=provider, attendance={person.pk: True}
            )
        other = UserFactory(role=Role.PROVIDER)
        provider_run = make_training(
            organiser=Organiser.SERVICE_PROVIDER,
            service_provider=other.service_provider,
            starts_on=today(),
        )
        with pytest.raises(Forbidden, match="Only the training's organiser"):
            services.record_attendance(training=provider_run, user=provider, attendance={})

    def test_refuses_a_municipality_user(self, held_training, kov_a, in_english):
        person = add_participant(held_training, rapla(), "Mari Maasikas")
        with pytest.raises(Forbidden, match="Only the training's organiser"):
            services.record_attendance(
                training=held_training, user=kov_a, attendance={person.pk: True}
            )

    def test_refuses_someone_of_another_training(self, held_training, training, ministry):
        stranger = add_participant(training, rapla(), "Mari Maasikas")
        with pytest.raises(ValidationError):
            services.record_attendance(
                training=held_training, user=ministry, attendance={stranger.pk: True}
            )

    def test_a_record_can_be_set_back_to_not_recorded(self, held_training, ministry):
        person = add_participant(held_training, rapla(), "Mari Maasikas", attended=True)
        services.record_attendance(
            training=held_training, user=ministry, attendance={person.pk: None}
        )
        person.refresh_from_db()
        assert person.attended is None


class TestSavingTrainings:
    def test_ministry_creates_a_training_by_any_organiser(self, ministry):
        saved = services.save_training(
            training=None,
            user=ministry,
            **training_fields(organiser=Organiser.OTHER, organiser_name="Tartu Ülikool"),
        )
        assert saved.organiser_display == "Tartu Ülikool"
        assert saved.created_by == ministry

    def test_a_provider_user_always_organises_as_its_own_provider(self, provider):
        other = UserFactory(role=Role.PROVIDER)
        saved = services.save_training(
            training=None,
            user=provider,
            **training_fields(
                organiser=Organiser.SERVICE_PROVIDER, service_provider=other.service_provider
            ),
        )
        assert saved.organiser == Organiser.SERVICE_PROVIDER
        assert saved.service_provider == provider.service_provider
        saved = services.save_training(
            training=None, user=provider, **training_fields(organiser=Organiser.PPA)
        )
        assert saved.service_provider == provider.service_provider

    def test_a_provider_user_edits_only_its_own_providers_trainings(
        self, provider, training, in_english
    ):
        with pytest.raises(Forbidden, match="Only the training's organiser may change it."):
            services.save_training(training=training, user=provider, **training_fields())

    def test_a_municipality_user_organises_nothing(self, kov_a, in_english):
        with pytest.raises(Forbidden, match="Only ministry staff and service providers"):
            services.save_training(training=None, user=kov_a, **training_fields())
        assert not Training.objects.exists()

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"organiser": Organiser.SERVICE_PROVIDER}, "Choose the service provider"),
            (
                {"organiser": Organiser.OTHER, "organiser_name": " "},
                "Give the name of the organiser.",
            ),
            ({"place": "", "is_online": False}, "Give the place, or mark the training as online."),
            ({"capacity": 0}, "greater than or equal to 1"),
        ],
    )
    def test_refuses_an_incomplete_training(self, ministry, in_english, fields, message):
        with pytest.raises(ValidationError, match=message):
            services.save_training(training=None, user=ministry, **training_fields(**fields))
        assert not Training.objects.exists()

    def test_an_online_training_needs_no_place(self, ministry):
        saved = services.save_training(
            training=None, user=ministry, **training_fields(place="", is_online=True)
        )
        assert saved.is_online and saved.place == ""

    def test_only_the_chosen_organisers_details_are_kept(self, ministry, provider):
        saved = services.save_training(
            training=None,
            user=ministry,
            **training_fields(
                organiser=Organiser.PPA,
                service_provider=provider.service_provider,
                organiser_name="Keegi",
            ),
        )
        assert saved.service_provider is None and saved.organiser_name == ""

    def test_places_cannot_drop_below_those_registered(self, training, ministry, in_english):
        for name in ["Mari", "Jaan", "Kati"]:
            add_participant(training, rapla(), name)
        with pytest.raises(ValidationError, match="3 people are already registered"):
            services.save_training(training=training, user=ministry, **training_fields(capacity=2))
        services.save_training(training=training, user=ministry, **training_fields(capacity=3))
        training.refresh_from_db()
        assert training.capacity == 3


class TestQuerySets:
    def test_upcoming_starts_today_in_date_order(self, db):
        later = make_training(starts_on=today() + timedelta(days=9))
        now = make_training(starts_on=today())
        make_training(starts_on=today() - timedelta(days=1))
        assert list(Training.objects.upcoming(today())) == [now, later]

    def test_every_signed_in_user_sees_every_training(self, training, kov_b, provider):
        for user in (kov_b, provider):
            assert list(Training.objects.visible_to(user)) == [training]

    def test_attended_is_only_those_recorded_as_attending(self, held_training):
        came = add_participant(held_training, rapla(), "Mari", attended=True)
        add_participant(held_training, rapla(), "Jaan", attended=False)
        add_participant(held_training, rapla(), "Kati")
        assert list(TrainingParticipant.objects.attended()) == [came]

    def test_participants_are_visible_by_role(
        self,
        training,
        provider_training,
        kov_a,
        kov_b,
        ministry,
        provider,
        participation_a,
        participation_b,
    ):
        mari = add_participant(training, rapla(), "Mari")
        kalle = add_participant(training, keila(), "Kalle")
        # Keila is not assigned to the provider, but this training is the provider's own.
        kadri = add_participant(provider_training, keila(), "Kadri")
        assert set(TrainingParticipant.objects.visible_to(ministry)) == {mari, kalle, kadri}
        assert set(TrainingParticipant.objects.visible_to(kov_a)) == {mari}
        assert set(TrainingParticipant.objects.visible_to(kov_b)) == {kalle, kadri}
        assert set(TrainingParticipant.objects.visible_to(provider)) == {mari, kadri}
        stranger = UserFactory(role=Role.PROVIDER)
        assert not TrainingParticipant.objects.visible_to(stranger).exists()
        evaluator = UserFactory(role=Role.COUNTY_EVALUATOR, county=rapla().county)
        assert not TrainingParticipant.objects.visible_to(evaluator).exists()

    def test_training_summary_counts_people_once_per_type(self, held_training, provider_training):
        other_stad = make_training(
            training_type=TrainingType.STAD, starts_on=today() - timedelta(days=40)
        )
        add_participant(held_training, rapla(), "Mari Maasikas", attended=True)
        add_participant(other_stad, rapla(), "mari maasikas", attended=True)
        add_participant(other_stad, rapla(), "Jaan Tamm", attended=True)
        add_participant(held_training, rapla(), "Kati Karu", attended=False)
        add_participant(provider_training, rapla(), "Kati Karu", attended=True)
        add_participant(held_training, keila(), "Kalle Kask", attended=True)
        summary = {row.training_type: row for row in services.training_summary(rapla())}
        assert list(summary) == [kind.value for kind in TrainingType]
        assert (summary["stad"].people, summary["stad"].trainings) == (2, 2)
        assert (summary["case_management"].people, summary["case_management"].trainings) == (1, 1)
        assert (summary["prevention"].people, summary["prevention"].trainings) == (0, 0)
