"""The experience-sharing rules, as the service and QuerySets apply them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from learning import services
from learning.models import SharingEvent, SharingMaterial
from tests.factories import UserFactory
from tests.learning.conftest import (
    fake_pdf,
    keila,
    make_event,
    participate,
    pdf_file,
    png_file,
    rapla,
    today,
)
from turvaportaal.lib.rules import Forbidden
from turvaportaal.lib.uploads import sha256_of

pytestmark = pytest.mark.django_db


def event_fields(**extra):
    return {
        "title": "Raplamaa kogemuspäev",
        "held_on": today() - timedelta(days=3),
        "level": SharingEvent.Level.COUNTY,
        "county": rapla().county,
        "host": "Rapla vald",
        "presenters": [rapla()],
        "attendees": [keila()],
        "notes": "",
        "materials": [],
    } | extra


class TestLevelAndCounty:
    def test_a_county_event_needs_its_county(self, ministry, in_english):
        with pytest.raises(ValidationError, match="Choose the county of a county event."):
            services.save_sharing_event(event=None, user=ministry, **event_fields(county=None))
        assert not SharingEvent.objects.exists()

    def test_a_national_event_has_no_county(self, ministry, in_english):
        with pytest.raises(ValidationError, match="A national event has no county"):
            services.save_sharing_event(
                event=None, user=ministry, **event_fields(level=SharingEvent.Level.NATIONAL)
            )
        saved = services.save_sharing_event(
            event=None,
            user=ministry,
            **event_fields(level=SharingEvent.Level.NATIONAL, county=None),
        )
        assert saved.county is None and saved.recording_municipality is None


class TestWhoRecords:
    def test_a_municipality_in_both_lists_is_kept_as_a_presenter(self, ministry):
        saved = services.save_sharing_event(
            event=None, user=ministry, **event_fields(attendees=[rapla(), keila()])
        )
        assert list(saved.presenters.all()) == [rapla()]
        assert list(saved.attendees.all()) == [keila()]

    def test_a_municipality_user_records_an_event_it_was_at(self, kov_a):
        saved = services.save_sharing_event(
            event=None, user=kov_a, **event_fields(presenters=[], attendees=[rapla()])
        )
        assert saved.recording_municipality == rapla()
        assert saved.recorded_by == kov_a

    def test_a_municipality_user_cannot_record_an_event_it_was_not_at(self, kov_a, in_english):
        with pytest.raises(ValidationError, match="Your municipality must be among"):
            services.save_sharing_event(
                event=None, user=kov_a, **event_fields(presenters=[keila()], attendees=[])
            )
        assert not SharingEvent.objects.exists()

    def test_a_provider_records_no_events(self, provider, in_english):
        with pytest.raises(Forbidden, match="Only ministry staff and municipality users"):
            services.save_sharing_event(event=None, user=provider, **event_fields())

    def test_only_the_recording_municipality_and_ministry_edit(
        self, kov_a, kov_b, ministry, in_english
    ):
        event = services.save_sharing_event(event=None, user=kov_a, **event_fields())
        # Keila attended, but Rapla recorded it.
        with pytest.raises(Forbidden, match="Only the municipality that recorded"):
            services.save_sharing_event(event=event, user=kov_b, **event_fields(title="Muudetud"))
        services.save_sharing_event(event=event, user=ministry, **event_fields(title="Muudetud"))
        services.save_sharing_event(event=event, user=kov_a, **event_fields(title="Uuesti"))
        event.refresh_from_db()
        assert event.title == "Uuesti"
        assert event.recording_municipality == rapla()


class TestMaterials:
    def test_a_material_is_checked_by_content_and_nothing_is_saved(self, ministry, in_english):
        with pytest.raises(ValidationError, match="ettekanne.pdf: The file is neither a PDF"):
            services.save_sharing_event(
                event=None, user=ministry, **event_fields(materials=[png_file(), fake_pdf()])
            )
        assert not SharingEvent.objects.exists()
        assert not SharingMaterial.objects.exists()

    def test_materials_are_stored_under_a_generated_name_with_their_hash(self, ministry):
        upload = pdf_file("../../etc/Ettekanne 1.pdf")
        event = services.save_sharing_event(
            event=None, user=ministry, **event_fields(materials=[upload, png_file()])
        )
        pdf, png = event.materials.all()
        assert pdf.original_name == "Ettekanne 1.pdf"
        assert pdf.sha256 == sha256_of(upload) and pdf.size == upload.size
        assert pdf.uploaded_by == ministry
        assert "Ettekanne" not in pdf.file.name and pdf.file.name.endswith(".pdf")
        assert png.file.name.endswith(".png")
        assert pdf.file.read().startswith(b"%PDF-")

    def test_a_material_can_be_removed(self, ministry, django_capture_on_commit_callbacks):
        event = services.save_sharing_event(
            event=None, user=ministry, **event_fields(materials=[pdf_file()])
        )
        material = event.materials.get()
        storage, name = material.file.storage, material.file.name
        with django_capture_on_commit_callbacks(execute=True):
            services.save_sharing_event(
                event=event, user=ministry, **event_fields(remove_materials=[material])
            )
        assert not event.materials.exists()
        assert not storage.exists(name)


class TestQuerySets:
    def test_held_is_on_or_before_the_day(self, db):
        past = make_event(held_on=today())
        make_event(held_on=today() + timedelta(days=1))
        assert list(SharingEvent.objects.held(today())) == [past]

    def test_involving_lists_each_event_once(self, db):
        both = make_event(presenters=[rapla()], attendees=[rapla(), keila()])
        attended = make_event(attendees=[rapla()])
        make_event(presenters=[keila()])
        assert sorted(e.pk for e in SharingEvent.objects.involving(rapla())) == sorted(
            [both.pk, attended.pk]
        )

    def test_events_are_visible_by_role(self, kov_a, kov_b, provider, ministry, participation_a):
        presented = make_event(presenters=[rapla()])
        attended = make_event(attendees=[rapla()])
        recorded = make_event(recording_municipality=rapla())
        keila_only = make_event(presenters=[keila()], attendees=[keila()])
        nobody = make_event()
        everything = {presented, attended, recorded, keila_only, nobody}
        assert set(SharingEvent.objects.visible_to(ministry)) == everything
        assert set(SharingEvent.objects.visible_to(kov_a)) == {presented, attended, recorded}
        assert set(SharingEvent.objects.visible_to(kov_b)) == {keila_only}
        # The provider is assigned Rapla only.
        assert set(SharingEvent.objects.visible_to(provider)) == {presented, attended, recorded}
        participate(keila(), provider.service_provider)
        assert set(SharingEvent.objects.visible_to(provider)) == everything - {nobody}
        assert not SharingEvent.objects.visible_to(UserFactory(role=Role.PROVIDER)).exists()

    def test_materials_follow_their_event(self, kov_a, kov_b, ministry):
        event = services.save_sharing_event(
            event=None, user=ministry, **event_fields(attendees=[], materials=[pdf_file()])
        )
        assert SharingMaterial.objects.visible_to(kov_a).count() == 1
        assert not SharingMaterial.objects.visible_to(kov_b).exists()
        assert event.materials.count() == 1
