"""Criteria in two languages, with what each judges in the application and a description of
every score; the scoring page shows both beside the criterion."""

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation

from applications import evaluation
from applications.models import Assignment, BudgetLine, Criterion
from applications.reference import describe_default_criteria
from programme.models import Municipality
from tests.applications.test_evaluation import application as application
from tests.applications.test_evaluation import call as call
from tests.factories import CallFactory, UserFactory, under_evaluation

pytestmark = pytest.mark.django_db

# The heading of the applicant's answer beside a criterion.
ANSWER = "The application's answer"
DATA = Path(__file__).resolve().parents[2] / "applications" / "data"


@pytest.fixture
def assignment(application, ministry):
    assignment = evaluation.assign_evaluator(
        application=application, evaluator=ministry, assigned_by=ministry
    )
    evaluation.declare_conflict(assignment=assignment, has_conflict=False, user=ministry)
    return assignment


def rows(filename):
    with (DATA / filename).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class TestDefaultCriteria:
    def test_each_default_criterion_has_both_names_its_subject_and_a_description_a_score(
        self, call
    ):
        levels = rows("default_criterion_levels.csv")
        expected = {
            row["subject"]: (row["name_et"], row["name_en"], int(row["order"]))
            for row in rows("default_criteria.csv")
        }
        criteria = list(call.criteria.all())
        assert {c.subject: (c.name_et, c.name_en, c.order) for c in criteria} == expected
        for criterion in criteria:
            mine = sorted(
                (int(r["score"]), r["description_et"], r["description_en"])
                for r in levels
                if r["subject"] == criterion.subject
            )
            assert [score for score, _et, _en in mine] == list(range(criterion.scale_max + 1))
            assert criterion.levels_et == [et for _score, et, _en in mine]
            assert criterion.levels_en == [en for _score, _et, en in mine]

    def test_the_six_qualities_judge_their_answers_and_the_last_two_the_budget_and_plan(self, call):
        subjects = list(call.criteria.values_list("subject", flat=True))
        assert subjects == [
            "initiative",
            "safety_contribution",
            "leadership_support",
            "daily_work_readiness",
            "strategic_use",
            "part_of_daily_work",
            "budget",
            "activities",
        ]

    def test_criteria_made_before_get_what_the_defaults_know(self, call):
        other = CallFactory()
        made = {
            "estonian": Criterion.objects.create(
                call=other, name_et="Eelarve kvaliteet ja realistlikkus", order=1
            ),
            # Made while the catalogue had no Estonian for it.
            "english": Criterion.objects.create(
                call=other, name_et="Quality of the activity plan", order=2
            ),
            "small scale": Criterion.objects.create(
                call=other, name_et="Tegevuskava kvaliteet", scale_max=3, order=3
            ),
            "own": Criterion.objects.create(call=other, name_et="Kogukonna kaasamine", order=4),
        }
        describe_default_criteria(Criterion)
        for criterion in made.values():
            criterion.refresh_from_db()
        assert made["estonian"].subject == "budget"
        assert made["estonian"].name_en == "Quality and realism of the budget"
        assert len(made["estonian"].levels_et) == len(made["estonian"].levels_en) == 6
        assert made["english"].subject == "activities"
        assert made["english"].name_et == "Tegevuskava kvaliteet"
        assert made["english"].name_en == "Quality of the activity plan"
        # Six descriptions do not fit a scale of 0 to 3: none are given.
        assert made["small scale"].subject == "activities"
        assert made["small scale"].levels_et == []
        own = made["own"]
        assert (own.subject, own.name_en, own.levels_et, own.levels_en) == ("", "", [], [])


class TestLanguage:
    def test_a_criterion_reads_in_the_readers_language_and_in_estonian_without_english(self):
        criterion = Criterion(
            name_et="Eesmärgid",
            name_en="Goals",
            description_et="Kas eesmärgid on selged",
            levels_et=["puudub", "nõrk"],
            scale_max=2,
        )
        with translation.override("en"):
            assert criterion.name == str(criterion) == "Goals"
            assert criterion.description == "Kas eesmärgid on selged"
            assert criterion.levels == [(0, "puudub"), (1, "nõrk"), (2, "")]
        with translation.override("et"):
            assert criterion.name == "Eesmärgid"
        criterion.name_en = ""
        criterion.levels_en = ["none", "weak", "good"]
        with translation.override("en"):
            assert criterion.name == "Eesmärgid"
            assert criterion.levels == [(0, "none"), (1, "weak"), (2, "good")]

    def test_the_evaluation_pages_name_the_criteria_in_the_readers_language(
        self, call, application, ministry, client_for
    ):
        evaluation.submit_scores(
            assignment=_declared(application, ministry),
            scores={c.pk: (4, "") for c in call.criteria.all()},
            user=ministry,
        )
        english = client_for(ministry, "en")
        estonian = client_for(ministry, "et")
        for url in (
            reverse("evaluation_overview", args=[call.pk]),
            reverse("consensus", args=[application.pk]),
        ):
            english_page = english.get(url).content.decode()
            estonian_page = estonian.get(url).content.decode()
            for criterion in call.criteria.all():
                assert criterion.name_en in english_page.replace("&#x27;", "'")
                assert criterion.name_et in estonian_page
            assert "Quality of the activity plan" not in estonian_page


def _declared(application, user):
    assignment = evaluation.assign_evaluator(
        application=application, evaluator=user, assigned_by=user
    )
    evaluation.declare_conflict(assignment=assignment, has_conflict=False, user=user)
    return assignment


class TestScoringPage:
    def test_each_criterion_shows_the_answer_it_judges_and_its_level_descriptions(
        self, call, application, assignment, ministry, client_for
    ):
        Criterion.objects.create(call=call, name_et="Üldmulje", order=20)
        application.initiative = "Meie vald tahab <turvalisemaks> saada."
        application.save(update_fields=["initiative"])
        page = client_for(ministry, "en").get(reverse("evaluate", args=[assignment.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        fieldsets = html.split("<fieldset")[1:]
        by_criterion = {c.pk: c for c in call.criteria.all()}
        shown = {}
        for fieldset in fieldsets:
            found = re.search(r'name="score_(\d+)"', fieldset)
            assert found
            shown[int(found.group(1))] = fieldset
        assert set(shown) == set(by_criterion)
        for pk, fieldset in shown.items():
            criterion = by_criterion[pk]
            assert (ANSWER in fieldset) == bool(criterion.subject), criterion.name_et
            # Every level's description is the hint of its radio button.
            for score, text in enumerate(criterion.levels_en):
                radio = re.search(
                    rf'<input type="radio" name="score_{pk}" value="{score}"[^>]*>', fieldset
                )
                assert radio, (criterion.name_et, score)
                hint_id = re.search(r'aria-describedby="([^"]+)"', radio.group(0)).group(1)
                hint = re.search(rf'<div id="{hint_id}"[^>]*>([^<]*)</div>', fieldset)
                assert hint and hint.group(1) == text.replace("'", "&#x27;").replace('"', "&quot;")
        initiative = shown[call.criteria.get(subject="initiative").pk]
        assert "Meie vald tahab &lt;turvalisemaks&gt; saada." in initiative

    def test_the_budget_criterion_shows_the_lines_and_their_total(
        self, call, application, assignment, ministry, client_for
    ):
        BudgetLine.objects.create(
            application=application, category="training", description="Koolitus", amount="1234.56"
        )
        html = client_for(ministry).get(reverse("evaluate", args=[assignment.pk])).content
        budget = html.decode().split(f'name="score_{call.criteria.get(subject="budget").pk}"')[0]
        budget = budget.rsplit("<fieldset", 1)[1]
        total = BudgetLine.objects.filter(application=application).aggregate(t=Sum("amount"))["t"]
        assert total == Decimal("21234.56")
        assert "21\xa0234,56\xa0€" in budget or "21 234,56 €" in budget
        for description in BudgetLine.objects.filter(application=application).values_list(
            "description", flat=True
        ):
            assert description in budget

    def test_no_answers_are_read_before_the_declaration(
        self, call, application, ministry, client_for
    ):
        assignment = evaluation.assign_evaluator(
            application=application, evaluator=ministry, assigned_by=ministry
        )
        html = client_for(ministry, "en").get(reverse("evaluate", args=[assignment.pk])).content
        assert ANSWER not in html.decode()


class TestEditingCriteria:
    def post(self, call, **changes):
        criteria = list(call.criteria.all())
        data = {
            "minimum_result": str(call.minimum_result),
            "consensus_margin": str(call.consensus_margin),
            "criteria-TOTAL_FORMS": str(len(criteria)),
            "criteria-INITIAL_FORMS": str(len(criteria)),
            "criteria-MIN_NUM_FORMS": "0",
            "criteria-MAX_NUM_FORMS": "100",
        }
        for index, criterion in enumerate(criteria):
            data.update(
                {
                    f"criteria-{index}-id": str(criterion.pk),
                    f"criteria-{index}-name_et": criterion.name_et,
                    f"criteria-{index}-name_en": criterion.name_en,
                    f"criteria-{index}-description_et": criterion.description_et,
                    f"criteria-{index}-description_en": criterion.description_en,
                    f"criteria-{index}-subject": criterion.subject,
                    f"criteria-{index}-levels_et": "\n".join(criterion.levels_et),
                    f"criteria-{index}-levels_en": "\n".join(criterion.levels_en),
                    f"criteria-{index}-weight": str(criterion.weight),
                    f"criteria-{index}-scale_max": str(criterion.scale_max),
                    f"criteria-{index}-order": str(criterion.order),
                }
            )
        data.update(changes)
        return data

    def test_the_ministry_writes_both_languages_and_a_description_a_score(
        self, call, ministry, client_for
    ):
        url = reverse("evaluation_criteria", args=[call.pk])
        data = self.post(
            call,
            **{
                "criteria-0-name_en": "Initiative",
                "criteria-0-scale_max": "2",
                "criteria-0-levels_et": "puudub\n\nhea\n\n",
                "criteria-0-levels_en": "none\nsome\ngood",
                "criteria-0-subject": "motivation",
            },
        )
        response = client_for(ministry).post(url, data)
        assert response.status_code == 302
        first = call.criteria.first()
        assert first.name_en == "Initiative"
        assert first.subject == "motivation"
        assert first.levels_et == ["puudub", "", "hea"]
        assert first.levels_en == ["none", "some", "good"]
        with translation.override("et"):
            assert first.levels == [(0, "puudub"), (1, ""), (2, "hea")]

    def test_more_descriptions_than_scores_are_refused_and_the_text_kept(
        self, call, ministry, client_for
    ):
        url = reverse("evaluation_criteria", args=[call.pk])
        typed = "null\nüks\nkaks\nkolm"
        data = self.post(call, **{"criteria-0-scale_max": "2", "criteria-0-levels_et": typed})
        response = client_for(ministry, "en").post(url, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "give at most 3 level descriptions" in html
        assert typed in html
        assert call.criteria.first().scale_max == 5

    def test_the_edit_page_opens_with_every_criterions_fields(self, call, ministry, client_for):
        html = client_for(ministry).get(reverse("evaluation_criteria", args=[call.pk])).content
        html = html.decode()
        for name in ("name_et", "name_en", "subject", "levels_et", "levels_en"):
            assert f'name="criteria-0-{name}"' in html
        first = call.criteria.first()
        assert first.levels_et[5] in html


class TestBulkAssignment:
    @pytest.fixture
    def applications(self, call):
        return [
            under_evaluation(call, Municipality.objects.get(name=name))
            for name in ("Rapla vald", "Keila linn", "Tallinn")
        ]

    def test_every_chosen_evaluator_is_assigned_to_every_ticked_application(
        self, call, applications, ministry, client_for
    ):
        colleague = UserFactory(role="ministry", full_name="Kolleeg")
        rapla, keila, tallinn = applications
        # Already assigned, and a conflict of interest declared: reported, not made again.
        evaluation.assign_evaluator(application=keila, evaluator=ministry, assigned_by=ministry)
        conflicted = evaluation.assign_evaluator(
            application=rapla, evaluator=colleague, assigned_by=ministry
        )
        evaluation.declare_conflict(assignment=conflicted, has_conflict=True, user=colleague)
        before = set(Assignment.objects.values_list("application_id", "evaluator_id"))
        response = client_for(ministry, "en").post(
            reverse("evaluation_assign_many", args=[call.pk]),
            {"applications": [rapla.pk, keila.pk], "evaluators": [ministry.pk, colleague.pk]},
        )
        assert response.status_code == 200
        after = set(Assignment.objects.values_list("application_id", "evaluator_id"))
        assert after - before == {(rapla.pk, ministry.pk), (keila.pk, colleague.pk)}
        assert not any(pair[0] == tallinn.pk for pair in after)
        html = response.content.decode()
        assert "2 assignments were made." in html
        assert "This evaluator is already assigned to the application." in html
        assert "This evaluator declared a conflict of interest with the application." in html

    def test_a_county_evaluator_of_another_county_is_reported_per_application(
        self, call, applications, ministry
    ):
        rapla, keila, _tallinn = applications
        county_evaluator = UserFactory(
            role="county_evaluator", county=rapla.municipality.county, full_name="Rapla MTN"
        )
        with translation.override("en"):
            outcomes = evaluation.assign_evaluators(
                applications=[rapla, keila], evaluators=[county_evaluator], assigned_by=ministry
            )
        made = {o.application: (o.is_assigned, o.reason) for o in outcomes}
        assert made[rapla] == (True, "")
        assert made[keila][0] is False
        assert "own county" in made[keila][1]
        assert list(Assignment.objects.values_list("application_id", "evaluator_id")) == [
            (rapla.pk, county_evaluator.pk)
        ]

    def test_nothing_chosen_shows_the_overview_with_the_reason_and_the_ticks_kept(
        self, call, applications, ministry, client_for
    ):
        rapla = applications[0]
        response = client_for(ministry, "en").post(
            reverse("evaluation_assign_many", args=[call.pk]) + "?page=1",
            {"applications": [rapla.pk]},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Choose at least one evaluator." in html
        assert re.search(rf'value="{rapla.pk}" id="bulk-application-{rapla.pk}" checked', html)
        assert not Assignment.objects.exists()

    def test_only_the_ministry_assigns_and_only_by_post(
        self, call, applications, kov_a, ministry, client_for
    ):
        url = reverse("evaluation_assign_many", args=[call.pk])
        assert client_for(ministry).get(url).status_code == 405
        data = {"applications": [applications[0].pk], "evaluators": [ministry.pk]}
        assert client_for(kov_a).post(url, data).status_code == 403
        assert not Assignment.objects.exists()

    def test_an_application_of_another_call_is_not_taken(
        self, call, applications, ministry, client_for
    ):
        other = under_evaluation(CallFactory(), Municipality.objects.get(name="Tartu linn"))
        response = client_for(ministry, "en").post(
            reverse("evaluation_assign_many", args=[call.pk]),
            {"applications": [other.pk], "evaluators": [ministry.pk]},
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert not Assignment.objects.exists()
