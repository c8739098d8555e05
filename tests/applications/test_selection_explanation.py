"""A selection decision keeps why as facts and words it when read, in the reader's language."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from applications import evaluation
from applications.models import SelectionDecision
from programme.models import Municipality
from tests.factories import CallFactory, scored, under_evaluation

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("applications.migrations.0004_selection_reason_kept_as_facts")

SELECTED = {
    "en": "Selected, rank 1, starts in 2023.",
    "et": "Valitud (järjestuses 1. koht), alustab 2023. aastal.",
}
LEFT_OUT = {
    "en": "Not selected: all places (2023: 1) went to applications with higher results.",
    "et": "Ei valitud: kõik kohad (2023: 1) said kõrgema tulemusega taotlused.",
}


def decided_call(ministry, django_capture_on_commit_callbacks, **choices):
    call = CallFactory(
        stage=1,
        opens_at=timezone.now() - timedelta(days=60),
        deadline_at=timezone.now() - timedelta(days=1),
        years={2023: 1},
    )
    for name, score in [("Tallinn", 5), ("Keila linn", 3)]:
        application = under_evaluation(
            call, Municipality.objects.get(name=name), preferred_year=2023
        )
        scored(application, ministry, score)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation.confirm_selection(call=call, user=ministry, **choices)
    return call


def test_the_decisions_are_worded_in_the_readers_language(
    ministry, client_for, django_capture_on_commit_callbacks
):
    call = decided_call(ministry, django_capture_on_commit_callbacks, start_years={}, reasons={})
    decisions = SelectionDecision.objects.order_by("-result")
    assert [(d.reason_code, d.worded_explanation) for d in decisions] == [
        ("selected", ""),
        ("places_filled", ""),
    ]
    for language in ("et", "en"):
        page = client_for(ministry, language).get(reverse("selection", args=[call.pk]))
        text = page.content.decode()
        assert SELECTED[language] in text and LEFT_OUT[language] in text
        other = "en" if language == "et" else "et"
        assert SELECTED[other] not in text
    # The applicants are told in Estonian, the programme's language.
    [told] = [m for m in mail.outbox if "Keila" in m.subject]
    assert LEFT_OUT["et"] in told.body


def test_a_change_by_the_ministry_is_worded_in_the_readers_language(
    ministry, client_for, django_capture_on_commit_callbacks
):
    call = decided_call(
        ministry,
        django_capture_on_commit_callbacks,
        start_years={},
        reasons={},
    )
    keila = SelectionDecision.objects.get(application__municipality__name="Keila linn")
    SelectionDecision.objects.filter(pk=keila.pk).update(change_reason="Tallinn loobus")
    keila.refresh_from_db()
    with translation.override("en"):
        assert keila.explanation == "Decided by the ministry: Tallinn loobus"
    with translation.override("et"):
        assert keila.explanation == "Ministeeriumi otsus: Tallinn loobus"
    page = client_for(ministry, "en").get(reverse("selection", args=[call.pk])).content.decode()
    assert "Decided by the ministry: Tallinn loobus" in page


@pytest.mark.parametrize(
    ("worded", "code", "english"),
    [
        (
            "Valitud (järjestuses 3. koht), alustab 2026. aastal: eelistatud aasta 2025 kohad "
            "said kõrgema tulemusega taotlused.",
            "selected",
            None,
        ),
        (
            "Not selected: the result 1.500000 is below the minimum of 2.",
            "below_minimum",
            "Not selected: the result 1.5 is below the minimum of 2.",
        ),
        (
            "Ei valitud: maakonna (Harju maakond) koha sai kõrgema tulemusega Tallinn. "
            "Võrdse tulemuse korral otsustab järjestuse esitamise aeg: varem esitatud taotlus "
            "on eespool.",
            "county_filled",
            "Not selected: Harju maakond's place went to Tallinn with a higher result. "
            "Equal results are ranked by submission time: the earlier ranks higher.",
        ),
        (
            "Ei valitud: kõik kohad (2025: 2, 2026: 1) said kõrgema tulemusega taotlused.",
            "places_filled",
            "Not selected: all places (2025: 2, 2026: 1) went to applications with higher results.",
        ),
    ],
)
def test_the_migration_reads_worded_decisions_back_into_facts(
    ministry, django_capture_on_commit_callbacks, worded, code, english
):
    decided_call(ministry, django_capture_on_commit_callbacks, start_years={}, reasons={})
    decision = SelectionDecision.objects.get(application__municipality__name="Keila linn")
    SelectionDecision.objects.filter(pk=decision.pk).update(
        reason_code="", reason_facts={}, worded_explanation=worded
    )
    MIGRATION.read_into_facts(apps, None)
    decision.refresh_from_db()
    assert decision.reason_code == code
    if code != "below_minimum":  # worded in Estonian
        with translation.override("et"):
            assert decision.explanation == worded
    if english is not None:
        with translation.override("en"):
            assert decision.explanation == english


def test_a_worded_decision_the_rules_never_said_is_kept_as_worded_and_back(
    ministry, django_capture_on_commit_callbacks
):
    decided_call(ministry, django_capture_on_commit_callbacks, start_years={}, reasons={})
    tallinn = SelectionDecision.objects.get(application__municipality__name="Tallinn")
    keila = SelectionDecision.objects.get(application__municipality__name="Keila linn")
    SelectionDecision.objects.filter(pk=keila.pk).update(
        reason_code="", reason_facts={}, worded_explanation="Otsustatud koosolekul."
    )
    MIGRATION.read_into_facts(apps, None)
    keila.refresh_from_db()
    assert keila.reason_code == "" and keila.explanation == "Otsustatud koosolekul."
    # Migrating back words the kept facts in Estonian, as the column held them before.
    MIGRATION.word_again(apps, None)
    tallinn.refresh_from_db()
    assert tallinn.worded_explanation == SELECTED["et"]
