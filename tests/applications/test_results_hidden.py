"""A ministry member who also evaluates in a call keeps their duties there (assigning, the
criteria) while their own scoring is unfinished; the results, the other evaluators' scores and
the proposal stay hidden from them, the page says why and links to their evaluations still to
do (applications.see_results).

The defect this answers: a staff member who assigned themself as an evaluator was refused the
evaluation overview with "not for your role", the real reason only in the log."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications import evaluation
from applications.models import Assignment, ConsensusRecord, SelectionDecision
from programme.models import Municipality
from tests.factories import CallFactory, UserFactory, scored, under_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    call = CallFactory(
        stage=2,
        opens_at=timezone.now() - timedelta(days=60),
        deadline_at=timezone.now() - timedelta(days=1),
        years={2027: 1},
    )
    evaluation.ensure_default_criteria(call)
    return call


@pytest.fixture
def colleague(db):
    """Another ministry evaluator, who has scored."""
    return UserFactory(role=Role.MINISTRY, full_name="Teine Hindaja")


@pytest.fixture
def paide(call, colleague):
    """Scored by the colleague: 4 on every criterion."""
    application = under_evaluation(call, Municipality.objects.get(name="Paide linn"))
    scored(application, colleague, 4)
    return application


@pytest.fixture
def hiiumaa(call, colleague):
    application = under_evaluation(call, Municipality.objects.get(name="Hiiumaa vald"))
    scored(application, colleague, 3)
    return application


def assign_myself(client, application, ministry):
    """The ministry member assigns themself on the overview, as the defect's staff member did."""
    field = f"assign-{application.pk}-evaluator"
    response = client.post(
        reverse("evaluation_assign", args=[application.pk]), {field: ministry.pk}
    )
    assert response.status_code == 302
    return Assignment.objects.get(application=application, evaluator=ministry)


def score(assignment, user, value):
    evaluation.declare_conflict(assignment=assignment, has_conflict=False, user=user)
    scores = {criterion.pk: (value, "") for criterion in assignment.application.call.criteria.all()}
    evaluation.submit_scores(assignment=assignment, scores=scores, user=user)


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


class TestWhileTheirOwnScoringIsUnfinished:
    def test_the_overview_opens_without_the_results_and_says_why(
        self, call, paide, hiiumaa, ministry, client_for
    ):
        client = client_for(ministry, "en")
        mine = assign_myself(client, hiiumaa, ministry)
        response = client.get(reverse("evaluation_overview", args=[call.pk]))
        assert response.status_code == 200
        page = text(response)
        assert "Finish your own evaluations of this call first: 1 left." in page
        assert "the other evaluators' scores are hidden from you" in page
        assert f'href="{reverse("evaluate", args=[mine.pk])}">Hiiumaa vald</a>' in page
        # Paide's result (4.00) is neither on the page nor in its context.
        assert [item.result for item, _form in response.context["rows"]] == [None, None]
        assert "4.00" not in page and "3.00" not in page
        assert reverse("consensus", args=[paide.pk]) not in page
        # Their duties do not wait: the assign forms are there.
        assert f'name="assign-{paide.pk}-evaluator"' in page

    def test_the_count_names_every_evaluation_left(
        self, call, paide, hiiumaa, ministry, client_for
    ):
        client = client_for(ministry, "en")
        assign_myself(client, paide, ministry)
        assign_myself(client, hiiumaa, ministry)
        page = text(client.get(reverse("evaluation_overview", args=[call.pk])))
        assert "Finish your own evaluations of this call first: 2 left." in page
        for assignment in Assignment.objects.filter(evaluator=ministry):
            assert reverse("evaluate", args=[assignment.pk]) in page

    def test_the_selection_page_shows_no_proposal_and_confirms_nothing(
        self, call, paide, hiiumaa, ministry, client_for
    ):
        client = client_for(ministry, "en")
        assign_myself(client, hiiumaa, ministry)
        response = client.get(reverse("selection", args=[call.pk]))
        assert response.status_code == 200
        page = text(response)
        assert "Finish your own evaluations of this call first: 1 left." in page
        assert "rank 1" not in page and "Confirm the selection" not in page
        assert "The proposal has the highest total result" not in page
        assert "proposal" not in response.context
        response = client.post(reverse("selection", args=[call.pk]), {})
        assert response.status_code == 200
        assert not SelectionDecision.objects.exists()

    def test_the_consensus_page_shows_no_scores_and_records_nothing(
        self, call, paide, hiiumaa, ministry, colleague, client_for
    ):
        client = client_for(ministry, "en")
        assign_myself(client, hiiumaa, ministry)
        response = client.get(reverse("consensus", args=[paide.pk]))
        assert response.status_code == 200
        page = text(response)
        assert "Finish your own evaluations of this call first: 1 left." in page
        assert "Teine Hindaja" not in page and "4/5" not in page
        criterion = call.criteria.first()
        client.post(
            reverse("consensus", args=[paide.pk]),
            {"criterion": criterion.pk, "outcome": "Kokku lepitud"},
        )
        assert not ConsensusRecord.objects.exists()

    def test_once_their_scores_are_in_everything_shows(
        self, call, paide, hiiumaa, ministry, client_for
    ):
        client = client_for(ministry, "en")
        score(assign_myself(client, hiiumaa, ministry), ministry, 5)
        response = client.get(reverse("evaluation_overview", args=[call.pk]))
        page = text(response)
        assert "Finish your own evaluations" not in page
        assert [item.result for item, _form in response.context["rows"]] == [4, 4]
        page = text(client.get(reverse("selection", args=[call.pk])))
        assert "Selected, rank 1, starts in 2027." in page and "Continue to confirm" in page

    def test_a_declared_conflict_hides_the_results_until_the_selection_is_confirmed(
        self, call, paide, hiiumaa, ministry, colleague, client_for
    ):
        client = client_for(ministry, "en")
        mine = assign_myself(client, hiiumaa, ministry)
        evaluation.declare_conflict(assignment=mine, has_conflict=True, user=ministry)
        page = text(client.get(reverse("evaluation_overview", args=[call.pk])))
        assert "You declared a conflict of interest with an application of this call" in page
        assert reverse("my_evaluations") in page
        # Another member of the ministry confirms; then the decisions are for everyone.
        evaluation.confirm_selection(call=call, start_years={}, reasons={}, user=colleague)
        page = text(client.get(reverse("selection", args=[call.pk])))
        assert "Confirmed selection" in page and "Paide linn" in page


def test_a_ministry_member_who_does_not_evaluate_in_the_call_sees_the_results(
    call, paide, hiiumaa, ministry, client_for
):
    other_call = CallFactory(opens_at=call.opens_at, deadline_at=call.deadline_at, years={2027: 1})
    # Unfinished in another call: that call's scoring is no reason to hide this one's.
    Assignment.objects.create(
        application=under_evaluation(other_call, Municipality.objects.get(name="Tallinn")),
        evaluator=ministry,
    )
    response = client_for(ministry, "en").get(reverse("evaluation_overview", args=[call.pk]))
    assert response.context["hidden"] is None
    assert [item.result for item, _form in response.context["rows"]] == [3, 4]


def test_a_county_evaluator_is_not_let_into_the_overview(call, paide, client_for):
    county_evaluator = UserFactory(
        role=Role.COUNTY_EVALUATOR, county=paide.municipality.county, full_name="Järva MTN"
    )
    Assignment.objects.create(application=paide, evaluator=county_evaluator)
    client = client_for(county_evaluator, "en")
    assert client.get(reverse("evaluation_overview", args=[call.pk])).status_code == 403
    assert client.get(reverse("selection", args=[call.pk])).status_code == 403
