"""The ministry's review of a quarterly update: accepted, or returned with a comment, corrected
and sent again; each step recorded, and the people who must act told."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from actionplans import services
from actionplans.models import ProgressUpdate
from audit.models import AuditEvent
from notifications.models import Kind, Notification
from programme.models import Cohort, Participation
from tests.factories import UserFactory
from turvaportaal.lib.rules import Forbidden

pytestmark = pytest.mark.django_db


@pytest.fixture
def participation(kov_a, provider):
    return Participation.objects.create(
        municipality=kov_a.municipality,
        cohort=Cohort.objects.create(stage=2, start_year=2026),
        start_on=date(2026, 1, 1),
        end_on=date(2027, 12, 31),
        source=Participation.Source.IMPORT,
        service_provider=provider.service_provider,
    )


@pytest.fixture
def plan(participation):
    return services.start_plan(participation=participation)


@pytest.fixture
def update(plan):
    return plan.updates.first()


@pytest.fixture
def colleague(db):
    """A second person of Rapla vald, told of what the ministry decides."""
    return UserFactory(role=Role.MUNICIPALITY, email="mart@rapla.example")


def fresh(update: ProgressUpdate) -> ProgressUpdate:
    return ProgressUpdate.objects.get(pk=update.pk)


def told(kind: Kind) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_the_whole_cycle_submit_return_correct_resubmit_accept(
    update, kov_a, colleague, ministry, admin, provider, in_english
):
    def awaiting() -> list[ProgressUpdate]:
        return list(ProgressUpdate.objects.awaiting_review())

    assert not fresh(update).is_awaiting_review and not awaiting()

    services.submit_update(update=update, narrative="Koolitus toimus.", user=kov_a)
    sent = fresh(update)
    assert sent.is_awaiting_review and awaiting() == [sent]
    assert sent.status == ProgressUpdate.Status.AWAITING_REVIEW
    assert told(Kind.UPDATE_SUBMITTED) == {ministry.email}  # ministry staff, not the admin

    with pytest.raises(ValidationError, match="Write what should change."):
        services.return_update(update=update, comment="  ", user=ministry)
    services.return_update(update=update, comment="Lisa osalejate arv.", user=ministry)
    returned = fresh(update)
    assert not returned.is_awaiting_review and not awaiting()
    assert returned.is_returned and list(ProgressUpdate.objects.returned()) == [returned]
    assert (returned.review_comment, returned.reviewed_by) == ("Lisa osalejate arv.", ministry)
    notice = Notification.objects.get(kind=Kind.UPDATE_RETURNED, recipient=kov_a)
    assert notice.note == "Lisa osalejate arv."
    assert told(Kind.UPDATE_RETURNED) == {kov_a.email, colleague.email}
    # Returned is not accepted: the ministry waits for the corrected update.
    with pytest.raises(ValidationError, match="The update is returned"):
        services.accept_update(update=update, user=ministry)

    services.submit_update(update=update, narrative="Koolitus toimus, 25 osalejat.", user=kov_a)
    resent = fresh(update)
    assert resent.is_awaiting_review and awaiting() == [resent]
    assert resent.narrative == "Koolitus toimus, 25 osalejat."
    assert not ProgressUpdate.objects.returned().exists()
    assert Notification.objects.filter(kind=Kind.UPDATE_SUBMITTED, recipient=ministry).count() == 2

    services.accept_update(update=update, user=admin)
    accepted = fresh(update)
    assert accepted.status == ProgressUpdate.Status.ACCEPTED and not accepted.is_awaiting_review
    assert (accepted.review, accepted.review_comment, accepted.reviewed_by) == (
        "accepted",
        "",
        admin,
    )
    assert told(Kind.UPDATE_ACCEPTED) == {kov_a.email, colleague.email}
    # Nobody outside the municipality and the ministry heard of it; the provider reads the plan
    # but is not the one to act.
    assert provider.email not in told(Kind.UPDATE_ACCEPTED) | told(Kind.UPDATE_RETURNED)

    with pytest.raises(ValidationError, match="accepted by the ministry"):
        services.submit_update(update=update, narrative="Veel", user=kov_a)
    with pytest.raises(ValidationError, match="accepted already"):
        services.return_update(update=update, comment="Hilja", user=ministry)

    steps = list(
        AuditEvent.objects.about(update).order_by("at", "pk").values_list("actor", "detail")
    )
    assert steps == [
        (kov_a.pk, "progress update submitted"),
        (ministry.pk, "progress update returned"),
        (kov_a.pk, "progress update submitted again"),
        (admin.pk, "progress update accepted"),
    ]
    returned_record = AuditEvent.objects.about(update).get(detail="progress update returned")
    assert returned_record.before["status"] == "awaiting_review"
    assert returned_record.after == {
        "status": "returned",
        "submitted_at": returned_record.after["submitted_at"],
        "comment": "Lisa osalejate arv.",
    }


def test_only_the_ministry_reviews_and_only_the_municipality_sends(update, kov_a, provider):
    services.submit_update(update=update, narrative="Tehtud", user=kov_a)
    for person in (kov_a, provider):
        with pytest.raises(Forbidden):
            services.accept_update(update=update, user=person)
        with pytest.raises(Forbidden):
            services.return_update(update=update, comment="x", user=person)
    assert fresh(update).review == ""


def test_the_updates_page_shows_each_status_and_the_ministry_s_comment(
    client_for, plan, kov_a, ministry, provider
):
    first, second, third = list(plan.updates.all())[:3]
    for update in (first, second, third):
        services.submit_update(update=update, narrative=f"Kvartal {update.pk}", user=kov_a)
    services.return_update(update=second, comment="Palun täpsemalt.", user=ministry)
    services.accept_update(update=third, user=ministry)
    url = reverse("plan_updates", args=[plan.pk])

    own = client_for(kov_a, "en").get(url).content.decode()
    assert "Waiting for the ministry&#x27;s review" in own
    assert "Returned with a comment" in own and "Accepted" in own
    assert "Palun täpsemalt." in own and "Correct the update and send it again" in own
    # The returned narrative is in the box, to be corrected rather than retyped.
    assert f">Kvartal {second.pk}</textarea>" in own
    assert reverse("plan_update_review", args=[plan.pk, first.pk]) not in own

    staff = client_for(ministry, "en").get(url).content.decode()
    assert reverse("plan_update_review", args=[plan.pk, first.pk]) in staff
    assert reverse("plan_update_review", args=[plan.pk, second.pk]) not in staff
    assert reverse("plan_update_review", args=[plan.pk, third.pk]) not in staff
    assert "Palun täpsemalt." in staff

    counsellor = client_for(provider, "en").get(url).content.decode()
    assert "Palun täpsemalt." in counsellor and "plan_update_review" not in counsellor
    assert 'name="narrative"' not in counsellor


def test_the_ministry_returns_and_accepts_on_the_review_page(client_for, update, kov_a, ministry):
    services.submit_update(update=update, narrative="Tehtud", user=kov_a)
    url = reverse("plan_update_review", args=[update.plan_id, update.pk])
    client = client_for(ministry, "en")
    page = client.get(url).content.decode()
    assert "Tehtud" in page and "Accept the update" in page

    empty = client.post(url, {"return": "1", "comment": "  "})
    assert empty.status_code == 200 and 'href="#id_comment"' in empty.content.decode()
    assert fresh(update).review == ""

    response = client.post(url, {"return": "1", "comment": "Lisa numbrid."})
    assert response.url == reverse("plan_updates", args=[update.plan_id]) + f"#update-{update.pk}"
    assert fresh(update).is_returned
    # Returned: the page says why there is nothing to decide now, and a POST changes nothing.
    again = client.get(url).content.decode()
    assert "the municipality corrects it and sends it again" in again
    refused = client.post(url, {"accept": "1"})
    assert refused.status_code == 200 and "Nothing was decided" in refused.content.decode()
    assert fresh(update).is_returned

    corrected = client_for(kov_a).post(
        reverse("plan_updates", args=[update.plan_id]),
        {"update": update.pk, "narrative": "Tehtud, numbritega."},
    )
    assert corrected.status_code == 302 and fresh(update).is_awaiting_review
    assert client.post(url, {"accept": "1"}).status_code == 302
    assert fresh(update).status == ProgressUpdate.Status.ACCEPTED


def test_who_may_not_review_gets_403_or_404(client_for, update, kov_a, kov_b, provider):
    services.submit_update(update=update, narrative="Tehtud", user=kov_a)
    url = reverse("plan_update_review", args=[update.plan_id, update.pk])
    for person in (kov_a, provider):
        assert client_for(person).get(url).status_code == 403
        assert client_for(person).post(url, {"accept": "1"}).status_code == 403
    assert client_for(kov_b).get(url).status_code == 404
    assert fresh(update).is_awaiting_review
    other_plan_update = reverse("plan_update_review", args=[update.plan_id, 10**9])
    assert client_for(kov_a).get(other_plan_update).status_code == 404


def test_the_queues_show_updates_waiting_for_review_and_returned(
    client_for, plan, kov_a, ministry, in_english
):
    first, second = list(plan.updates.all())[:2]
    for update in (first, second):
        services.submit_update(update=update, narrative="Tehtud", user=kov_a)
    services.return_update(update=second, comment="Täpsemalt", user=ministry)
    url = reverse("plan_updates", args=[plan.pk])

    queue = {
        task.label: (task.count, task.url)
        for task in client_for(ministry, "en").get(reverse("dashboard")).context["queue"]
    }
    assert queue["Quarterly updates waiting for review: Rapla vald"] == (1, url)
    mine = {
        task.label: (task.count, task.url)
        for task in client_for(kov_a, "en").get(reverse("dashboard")).context["queue"]
    }
    assert mine["Quarterly updates returned with comments"] == (1, url)


def test_the_awaiting_review_queryset_and_property_agree(plan, kov_a, ministry):
    updates = list(plan.updates.all())[:4]
    for update in updates[1:]:
        services.submit_update(update=update, narrative="Tehtud", user=kov_a)
    services.return_update(update=updates[2], comment="x", user=ministry)
    services.accept_update(update=updates[3], user=ministry)
    listed = set(ProgressUpdate.objects.awaiting_review().values_list("pk", flat=True))
    assert listed == {u.pk for u in ProgressUpdate.objects.all() if u.is_awaiting_review}
    assert listed == {updates[1].pk}
