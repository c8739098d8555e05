"""A participation's thread: who reads it, who writes in it, what a message keeps, and files
checked as every other document is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import Action, AuditEvent
from conversations import rules
from conversations.models import Attachment, Message, readable_threads
from programme.models import Participation
from tests.conversations.conftest import pdf, png, png_bytes, post
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db

READERS = {"kov_a", "colleague", "provider", "provider_colleague", "ministry", "ministry_colleague"}
OUTSIDERS = {"kov_b", "other_provider", "admin", "county_evaluator"}


def thread_url(participation: Participation) -> str:
    return reverse("conversation", args=[participation.pk])


def test_the_parties_read_the_thread_and_no_one_else(client_for, people, participation):
    message = post(participation, people["kov_a"], "Kas koolituse kuupäev sobib?", [pdf()])
    file = message.attachments.get()
    for name, person in people.items():
        client = client_for(person, "en")
        page = client.get(thread_url(participation))
        download = client.get(reverse("conversation_attachment", args=[participation.pk, file.pk]))
        visible = set(Message.objects.visible_to(person))
        if name in READERS:
            assert page.status_code == 200, name
            assert "Kas koolituse kuupäev sobib?" in page.content.decode(), name
            assert download.status_code == 200, name
            assert visible == {message}, name
        else:
            assert (page.status_code, download.status_code) == (404, 404), name
            assert "Kas koolituse" not in page.content.decode(), name
            assert visible == set(), name
            assert not Attachment.objects.visible_to(person).exists(), name


def test_another_municipality_sees_only_its_own_thread(client_for, people, participation):
    post(participation, people["kov_a"], "Rapla sõnum")
    keila = Participation.objects.get(municipality=people["kov_b"].municipality)
    post(keila, people["kov_b"], "Keila sõnum")
    page = client_for(people["kov_b"], "en").get(thread_url(keila)).content.decode()
    assert "Keila sõnum" in page and "Rapla sõnum" not in page
    assert list(Message.objects.visible_to(people["kov_b"]).values_list("body", flat=True)) == [
        "Keila sõnum"
    ]
    assert Message.objects.visible_to(people["ministry"]).count() == 2


def test_the_rule_and_the_reading_agree_for_everyone(people, participation):
    """Who may write is who may read: the predicate and readable_threads say the same."""
    for name, person in people.items():
        readable = readable_threads(person).filter(pk=participation.pk).exists()
        assert bool(rules.may_post(person, participation)) == readable == (name in READERS), name


def test_without_a_provider_no_provider_reads_the_thread(people, participation):
    Participation.objects.filter(pk=participation.pk).update(service_provider=None)
    participation.refresh_from_db()
    for name in ("provider", "provider_colleague", "other_provider"):
        assert not rules.may_post(people[name], participation), name
        assert not readable_threads(people[name]).filter(pk=participation.pk).exists(), name


def test_a_provider_reassigned_away_loses_the_thread_and_the_new_one_reads_it_all(
    client_for, people, participation
):
    post(participation, people["provider"], "Kohtumise kokkuvõte")
    Participation.objects.filter(pk=participation.pk).update(
        service_provider=people["other_provider"].service_provider
    )
    assert client_for(people["provider"]).get(thread_url(participation)).status_code == 404
    page = client_for(people["other_provider"], "en").get(thread_url(participation))
    assert page.status_code == 200 and "Kohtumise kokkuvõte" in page.content.decode()


def test_a_message_with_files_is_posted_and_kept_as_an_audit_record(
    client_for, people, participation
):
    client = client_for(people["provider"], "en")
    response = client.post(
        thread_url(participation),
        {"body": "  Saadan kohtumise materjalid.\nVaata üle.  ", "attachments": [pdf(), png()]},
    )
    message = Message.objects.get()
    assert response.status_code == 302
    assert response.url == f"{thread_url(participation)}#message-{message.pk}"
    assert (message.author, message.side, message.body) == (
        people["provider"],
        Message.Side.PROVIDER,
        "Saadan kohtumise materjalid.\nVaata üle.",
    )
    files = list(message.attachments.all())
    assert [(f.original_name, f.file.name[-4:]) for f in files] == [
        ("kokkuvote.pdf", ".pdf"),
        ("skeem.png", ".png"),
    ]
    # Stored under a generated name, with the suffix of the checked content.
    assert all(f.file.name.startswith(f"messages/{participation.pk}/") for f in files)
    assert "kokkuvote" not in files[0].file.name

    posted = AuditEvent.objects.about(message).get()
    assert (posted.actor, posted.action, posted.detail) == (
        people["provider"],
        Action.STATE_CHANGE,
        "message posted",
    )
    assert posted.after["participation"] == participation.pk
    assert [a["name"] for a in posted.after["attachments"]] == ["kokkuvote.pdf", "skeem.png"]
    assert "Saadan" not in str(posted.after)  # the text stays in the thread, out of the log
    uploads = AuditEvent.objects.filter(
        action=Action.UPLOAD, object_type="conversations.attachment"
    )
    assert sorted(uploads.values_list("detail", flat=True)) == ["kokkuvote.pdf", "skeem.png"]

    page = client.get(thread_url(participation)).content.decode()
    assert f'id="message-{message.pk}"' in page
    assert "Saadan kohtumise materjalid." in page and "kokkuvote.pdf" in page


def test_an_attachment_is_downloaded_as_checked_and_recorded(client_for, people, participation):
    message = post(participation, people["ministry"], "Juhend", [pdf("juhend.pdf")])
    file = message.attachments.get()
    response = client_for(people["kov_a"]).get(
        reverse("conversation_attachment", args=[participation.pk, file.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith('attachment; filename="juhend.pdf"')
    assert b"".join(response.streaming_content) == pdf_bytes()
    download = AuditEvent.objects.about(file).get(action=Action.DOWNLOAD)
    assert (download.actor, download.detail) == (people["kov_a"], "juhend.pdf")


def test_an_attachment_is_found_only_under_its_own_thread(client_for, people, participation):
    file = post(participation, people["kov_a"], "Fail", [pdf()]).attachments.get()
    keila = Participation.objects.get(municipality=people["kov_b"].municipality)
    wrong = reverse("conversation_attachment", args=[keila.pk, file.pk])
    assert client_for(people["ministry"]).get(wrong).status_code == 404


def _refused_post(client, participation, files, body="Palun vaata lisatud faile."):
    response = client.post(thread_url(participation), {"body": body, "attachments": files})
    assert response.status_code == 200
    assert not Message.objects.exists() and not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(
        object_type__in=["conversations.message", "conversations.attachment"]
    ).exists()
    page = response.content.decode()
    # What was typed comes back; the files are to be chosen again, and the page says so.
    assert body in page
    assert "choose the files again" in page
    return page


@pytest.mark.parametrize(
    ("file", "reason"),
    [
        (
            SimpleUploadedFile("otsus.pdf", b"not a pdf at all", "application/pdf"),
            "otsus.pdf: The file is neither a PDF nor a PNG or JPEG image.",
        ),
        (
            SimpleUploadedFile("pilt.pdf", png_bytes(), "application/pdf"),
            "pilt.pdf: The file is named as a PDF but is a PNG.",
        ),
        (
            SimpleUploadedFile("tabel.xlsx", b"PK\x03\x04", "application/vnd.ms-excel"),
            "tabel.xlsx: Only PDF, PNG and JPEG files (.pdf, .png, .jpg) are accepted.",
        ),
        (
            SimpleUploadedFile("katki.pdf", b"%PDF-1.7 broken", "application/pdf"),
            "katki.pdf: The PDF file is damaged and cannot be read.",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_name_and_the_reason_and_nothing_is_sent(
    client_for, people, participation, file, reason
):
    page = _refused_post(client_for(people["kov_a"], "en"), participation, [pdf(), file])
    assert reason in page
    # The error summary links to the file field.
    assert 'href="#id_attachments"' in page


def test_a_file_over_the_size_limit_is_refused(client_for, people, participation, settings):
    settings.MAX_UPLOAD_BYTES = 100
    page = _refused_post(client_for(people["kov_a"], "en"), participation, [pdf()])
    assert "kokkuvote.pdf: The file is" in page and "the limit is 100\xa0bytes" in page


def test_more_files_than_a_message_takes_are_refused(client_for, people, participation):
    files = [pdf(f"leht{n}.pdf") for n in range(6)]
    page = _refused_post(client_for(people["kov_a"], "en"), participation, files)
    assert "Attach at most 5 files to one message." in page


def test_an_empty_message_is_refused_and_the_files_are_to_be_chosen_again(
    client_for, people, participation
):
    response = client_for(people["kov_a"], "en").post(
        thread_url(participation), {"body": "   ", "attachments": [pdf()]}
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Message.objects.exists()
    assert 'href="#id_body"' in page and "Write the message." in page
    assert "choose the files again" in page


def test_a_message_too_long_is_refused_as_typed(client_for, people, participation):
    text = "a" * 10_001
    response = client_for(people["kov_a"], "en").post(thread_url(participation), {"body": text})
    assert response.status_code == 200 and not Message.objects.exists()
    assert text in response.content.decode()


def test_outsiders_cannot_post_and_get_what_reading_gets(client_for, people, participation):
    for name in OUTSIDERS:
        response = client_for(people[name]).post(thread_url(participation), {"body": "Tere"})
        assert response.status_code == 404, name
    assert not Message.objects.exists()


def test_the_service_refuses_an_outsider_too(people, participation):
    from turvaportaal.lib.rules import Forbidden

    for name in OUTSIDERS:
        with pytest.raises(Forbidden):
            post(participation, people[name])
    assert not Message.objects.exists()


def test_the_thread_reads_oldest_first_and_pages_back_from_the_newest(
    client_for, people, participation
):
    from conversations.views import MESSAGES_A_PAGE

    for number in range(MESSAGES_A_PAGE + 2):
        post(participation, people["kov_a"], f"Sõnum number {number:03d}.")
    client = client_for(people["ministry"], "en")
    page = client.get(thread_url(participation)).content.decode()
    newest = [f"Sõnum number {n:03d}." for n in range(2, MESSAGES_A_PAGE + 2)]
    positions = [page.index(text) for text in newest]
    assert positions == sorted(positions)
    assert "Sõnum number 001." not in page and "Earlier messages" in page
    earlier = client.get(thread_url(participation) + "?page=2").content.decode()
    assert "Sõnum number 000." in earlier and "Sõnum number 001." in earlier
    assert "Later messages" in earlier


def test_the_thread_page_reads_in_a_fixed_number_of_queries(
    client_for, people, participation, django_assert_max_num_queries
):
    for number in range(6):
        post(participation, people["provider"], f"Sõnum {number}", [pdf(), png()])
    client = client_for(people["kov_a"])
    client.get(thread_url(participation))  # the session warmed
    with django_assert_max_num_queries(12):
        assert client.get(thread_url(participation)).status_code == 200


def test_the_participation_pages_link_to_the_thread(client_for, people, participation):
    url = thread_url(participation)
    rapla = reverse("municipality_detail", args=[participation.municipality.ehak_code])
    for name in ("kov_a", "provider", "ministry"):
        assert url in client_for(people[name]).get(rapla).content.decode(), name
    # Administrators read the municipality's page, but the thread is not theirs.
    assert url not in client_for(people["admin"]).get(rapla).content.decode()
    assert url in client_for(people["ministry"]).get(reverse("participation_list")).content.decode()
    assert (
        url not in client_for(people["admin"]).get(reverse("participation_list")).content.decode()
    )
    for name in ("kov_a", "provider"):
        assert url in client_for(people[name]).get(reverse("dashboard")).content.decode(), name
