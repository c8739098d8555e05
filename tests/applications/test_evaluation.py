from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from applications import evaluation
from applications.models import Assignment, Score
from programme.models import County, Municipality
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    UserFactory,
    complete_application,
    scored,
    under_evaluation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    call = CallFactory(
        opens_at=timezone.now() - timedelta(days=60), deadline_at=timezone.now() - timedelta(days=1)
    )
    evaluation.ensure_default_criteria(call)
    return call


@pytest.fixture
def application(call):
    return under_evaluation(call, Municipality.objects.get(name="Rapla vald"))


@pytest.fixture
def second_evaluator(db):
    return UserFactory(role=Role.MINISTRY, full_name="Teine Hindaja")


@pytest.fixture
def county_evaluator(db):
    return UserFactory(
        role=Role.COUNTY_EVALUATOR,
        county=County.objects.get(name="Rapla maakond"),
        full_name="Rapla MTN",
    )


def all_scores(call, value, comment=""):
    return {criterion.pk: (value, comment) for criterion in call.criteria.all()}


class TestCriteria:
    def test_starting_the_evaluation_gives_the_call_the_eight_default_criteria(self, ministry):
        from applications.services import start_evaluation

        call = CallFactory(
            opens_at=timezone.now() - timedelta(days=60),
            deadline_at=timezone.now() - timedelta(days=1),
        )
        submitted = complete_application(
            ApplicationFactory(call=call, status="submitted", submitted_at=call.opens_at)
        )
        start_evaluation(call=call, user=ministry)
        # Started once: nothing waits any more, and the criteria are not given twice.
        with (
            pytest.raises(ValidationError, match="No submitted application waits"),
            translation.override("en"),
        ):
            start_evaluation(call=call, user=ministry)
        evaluation.ensure_default_criteria(call)
        submitted.refresh_from_db()
        assert submitted.status == "under_evaluation"
        names = list(call.criteria.values_list("name_et", flat=True))
        assert len(names) == 8
        assert names[0] == "Initsiatiiv arenguprogrammi rakendamiseks"

    def test_criteria_can_be_edited_until_scoring_starts(
        self, call, application, ministry, client_for
    ):
        evaluation.ensure_default_criteria(call)
        client = client_for(ministry)
        assert client.get(reverse("evaluation_criteria", args=[call.pk])).status_code == 200
        assignment = evaluation.assign_evaluator(
            application=application, evaluator=ministry, assigned_by=ministry
        )
        evaluation.declare_conflict(assignment=assignment, has_conflict=False, user=ministry)
        evaluation.submit_scores(assignment=assignment, scores=all_scores(call, 4), user=ministry)
        response = client.get(reverse("evaluation_criteria", args=[call.pk]))
        assert response.status_code == 302


class TestAssigning:
    def test_a_county_evaluator_gets_only_their_countys_applications(
        self, call, application, county_evaluator, ministry
    ):
        evaluation.assign_evaluator(
            application=application, evaluator=county_evaluator, assigned_by=ministry
        )
        keila = under_evaluation(call, Municipality.objects.get(name="Keila linn"))
        with pytest.raises(ValidationError):
            evaluation.assign_evaluator(
                application=keila, evaluator=county_evaluator, assigned_by=ministry
            )

    def test_municipality_users_cannot_evaluate(self, application, kov_b, ministry):
        with pytest.raises(ValidationError):
            evaluation.assign_evaluator(
                application=application, evaluator=kov_b, assigned_by=ministry
            )


class TestOverview:
    @pytest.fixture
    def applications(self, call):
        """27 applications under evaluation: two pages of the overview, in the order of the
        municipalities' names."""
        return [
            under_evaluation(call, municipality)
            for municipality in Municipality.objects.order_by("name")[:27]
        ]

    def test_the_rows_and_their_forms_come_a_page_at_a_time(
        self, call, applications, ministry, client_for
    ):
        scored(applications[26], ministry, 4)
        client = client_for(ministry, "en")
        first = client.get(reverse("evaluation_overview", args=[call.pk]))
        second = client.get(reverse("evaluation_overview", args=[call.pk]), {"page": 2})
        assert [item.application for item, _form in first.context["rows"]] == applications[:25]
        assert [item.application for item, _form in second.context["rows"]] == applications[25:]
        [(unscored, _form), (scored_item, form)] = second.context["rows"]
        assert unscored.result is None and scored_item.result == Decimal("4")
        # The evaluator already assigned is not offered again.
        assert ministry.pk not in [value for value, _label in form.fields["evaluator"].choices]
        page = second.content.decode()
        assert "Page 2 of 2" in page
        assert f'<select name="assign-{unscored.application.pk}-evaluator"' in page
        assert f'name="assign-{applications[0].pk}-evaluator"' not in page

    def test_assigning_returns_to_the_page_of_the_form(
        self, call, applications, ministry, second_evaluator, client_for
    ):
        client = client_for(ministry, "en")
        application = applications[25]
        assign = reverse("evaluation_assign", args=[application.pk])
        field = f"assign-{application.pk}-evaluator"
        response = client.post(f"{assign}?page=2", {field: second_evaluator.pk})
        overview = reverse("evaluation_overview", args=[call.pk])
        assert response.url == f"{overview}?page=2"
        assert application.assignments.get().evaluator == second_evaluator
        # A page that is no number is dropped: the overview opens on its first page.
        response = client.post(f"{assign}?page=x", {field: ministry.pk})
        assert response.url == overview
        assert application.assignments.count() == 2


class TestScoring:
    @pytest.fixture
    def assignments(self, application, ministry, second_evaluator):
        first = evaluation.assign_evaluator(
            application=application, evaluator=ministry, assigned_by=ministry
        )
        second = evaluation.assign_evaluator(
            application=application, evaluator=second_evaluator, assigned_by=ministry
        )
        return first, second

    def test_scoring_needs_a_declaration_of_no_conflict(
        self, call, assignments, ministry, in_english
    ):
        first, _second = assignments
        with pytest.raises(ValidationError, match="Declare that you have no conflict"):
            evaluation.submit_scores(assignment=first, scores=all_scores(call, 4), user=ministry)

    def test_an_evaluator_with_a_conflict_can_neither_score_nor_see_scores(
        self, call, assignments, ministry, second_evaluator, client_for
    ):
        first, second = assignments
        evaluation.declare_conflict(assignment=second, has_conflict=False, user=second_evaluator)
        evaluation.submit_scores(
            assignment=second, scores=all_scores(call, 4), user=second_evaluator
        )
        evaluation.declare_conflict(assignment=first, has_conflict=True, user=ministry)
        with pytest.raises(ValidationError):
            evaluation.submit_scores(assignment=first, scores=all_scores(call, 4), user=ministry)
        assert not Score.objects.visible_to(ministry).exists()
        page = client_for(ministry).get(reverse("evaluate", args=[first.pk])).content.decode()
        assert "Teine Hindaja" not in page

    def test_only_the_assigned_evaluator_scores(self, call, assignments, second_evaluator):
        first, _second = assignments
        with pytest.raises(PermissionDenied):
            evaluation.declare_conflict(assignment=first, has_conflict=False, user=second_evaluator)

    def test_scores_of_others_show_only_after_submitting_ones_own(
        self, call, assignments, ministry, second_evaluator
    ):
        first, second = assignments
        evaluation.declare_conflict(assignment=first, has_conflict=False, user=ministry)
        evaluation.declare_conflict(assignment=second, has_conflict=False, user=second_evaluator)
        evaluation.submit_scores(
            assignment=second, scores=all_scores(call, 5), user=second_evaluator
        )
        assert not Score.objects.visible_to(ministry).exists()
        evaluation.submit_scores(assignment=first, scores=all_scores(call, 3), user=ministry)
        assert Score.objects.visible_to(ministry).count() == 16

    def test_a_score_below_the_midpoint_needs_a_comment(
        self, call, assignments, ministry, in_english
    ):
        first, _second = assignments
        evaluation.declare_conflict(assignment=first, has_conflict=False, user=ministry)
        with pytest.raises(ValidationError, match="Explain the score below the midpoint"):
            evaluation.submit_scores(assignment=first, scores=all_scores(call, 2), user=ministry)
        evaluation.submit_scores(
            assignment=first, scores=all_scores(call, 2, "Nõrk eelarve"), user=ministry
        )
        assert Assignment.objects.get(pk=first.pk).submitted_at is not None

    def test_the_result_is_the_weighted_mean_and_wide_gaps_need_consensus(
        self, call, application, assignments, ministry, second_evaluator
    ):
        first, second = assignments
        budget = call.criteria.get(order=7)  # quality and realism of the budget
        budget.weight = Decimal("3")
        budget.save()
        for assignment, user, value in [(first, ministry, 5), (second, second_evaluator, 1)]:
            evaluation.declare_conflict(assignment=assignment, has_conflict=False, user=user)
            scores = all_scores(call, 3)
            scores[budget.pk] = (value, "põhjendus")
            evaluation.submit_scores(assignment=assignment, scores=scores, user=user)
        [item] = evaluation.evaluations(call, [application])
        # 7 criteria at 3, the budget (weight 3) at (5+1)/2 = 3: the result is 3.
        assert item.result == Decimal("3")
        assert item.needs_consensus == [budget]
        evaluation.record_consensus(
            application=application, criterion=budget, outcome="Kokku lepitud: 3", user=ministry
        )
        [item] = evaluation.evaluations(call, [application])
        assert item.needs_consensus == []

    def test_after_the_selection_an_unfinished_evaluation_says_it_has_ended(
        self, call, application, assignments, ministry, second_evaluator, client_for
    ):
        first, second = assignments
        evaluation.declare_conflict(assignment=first, has_conflict=False, user=ministry)
        evaluation.submit_scores(assignment=first, scores=all_scores(call, 4), user=ministry)
        evaluation.confirm_selection(call=call, start_years={}, reasons={}, user=ministry)
        page = client_for(second_evaluator, "en").get(reverse("evaluate", args=[second.pk]))
        assert "The evaluation of this application has ended." in page.content.decode()
        assert 'name="declare"' not in page.content.decode()


class TestAccess:
    def test_a_county_evaluator_sees_only_assigned_applications(
        self, call, application, county_evaluator, ministry, client_for
    ):
        client = client_for(county_evaluator)
        assert client.get(reverse("application_detail", args=[application.pk])).status_code == 404
        assignment = evaluation.assign_evaluator(
            application=application, evaluator=county_evaluator, assigned_by=ministry
        )
        assert client.get(reverse("application_detail", args=[application.pk])).status_code == 200
        assert client.get(reverse("evaluate", args=[assignment.pk])).status_code == 200
        assert client.get(reverse("evaluation_overview", args=[call.pk])).status_code == 403
        assert client.get(reverse("selection", args=[call.pk])).status_code == 403

    def test_municipalities_never_see_scores(self, call, application, ministry, kov_a, client_for):
        assignment = evaluation.assign_evaluator(
            application=application, evaluator=ministry, assigned_by=ministry
        )
        evaluation.declare_conflict(assignment=assignment, has_conflict=False, user=ministry)
        evaluation.submit_scores(assignment=assignment, scores=all_scores(call, 4), user=ministry)
        assert not Score.objects.visible_to(kov_a).exists()
        client = client_for(kov_a)
        assert client.get(reverse("evaluate", args=[assignment.pk])).status_code == 404
        assert client.get(reverse("consensus", args=[application.pk])).status_code == 403

    def test_another_evaluators_assignment_is_404(
        self, application, ministry, second_evaluator, client_for
    ):
        assignment = evaluation.assign_evaluator(
            application=application, evaluator=ministry, assigned_by=ministry
        )
        assert (
            client_for(second_evaluator).get(reverse("evaluate", args=[assignment.pk])).status_code
            == 404
        )
