"""Files on S3-compatible object storage (SeaweedFS): uploaded into a private bucket, downloaded
only through the views that check access (streamed, or redirected to an address signed for a
minute), deleted with their rows, and backed up and restored with the database."""

import hashlib
import json
import tarfile
import urllib.error
import urllib.request
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from applications.models import CouncilDecision, Status
from conversations.models import Attachment
from privacy import retention
from tests.conversations.conftest import pdf
from tests.counselling.conftest import make_participation
from tests.factories import ApplicationFactory, pdf_bytes
from tests.test_backup import contents, make_backup, scratch_database  # noqa: F401 (fixture)


def _fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), b""


def test_an_upload_is_stored_in_the_bucket_and_leaves_it_only_through_the_view(
    bucket, seaweedfs, client_for, kov_a, kov_b
):
    participation = make_participation(kov_a)
    thread = reverse("conversation", args=[participation.pk])
    client = client_for(kov_a, "en")
    posted = client.post(thread, {"body": "Eelarve", "attachments": [pdf()]})
    assert posted.status_code == 302, posted.content[:3000]
    print("POSTED", posted["Location"])
    stored = Attachment.objects.get()
    assert seaweedfs.keys(bucket) == [stored.file.name]
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing on this machine's disk

    # Nothing in the bucket is readable without the portal's keys.
    status, _headers, _body = _fetch(f"{seaweedfs.endpoint}/{bucket}/{stored.file.name}")
    assert status == 403

    download = reverse("conversation_attachment", args=[participation.pk, stored.pk])
    streamed = client.get(download)
    assert streamed.status_code == 200
    assert b"".join(streamed.streaming_content) == pdf_bytes()
    assert streamed["Content-Type"] == "application/pdf"
    assert streamed["Content-Disposition"] == 'attachment; filename="kokkuvote.pdf"'

    settings.S3_PRESIGNED_DOWNLOADS = True
    redirected = client.get(download)
    assert redirected.status_code == 302
    address = urlsplit(redirected["Location"])
    assert f"{address.scheme}://{address.netloc}" == seaweedfs.endpoint
    assert parse_qs(address.query)["X-Amz-Expires"] == ["60"]
    status, headers, body = _fetch(redirected["Location"])
    assert (status, body) == (200, pdf_bytes())
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'attachment; filename="kokkuvote.pdf"'
    # Another person of another municipality gets no address at all.
    assert client_for(kov_b).get(download).status_code == 404

    stored.file.delete()
    assert seaweedfs.keys(bucket) == []
    assert client.get(download).status_code == 404
    settings.S3_PRESIGNED_DOWNLOADS = False
    assert client.get(download).status_code == 404


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="backup and restore need PostgreSQL (DATABASE_URL=postgres://...)",
)
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_cover_the_bucket(
    bucket,
    seaweedfs,
    settings,
    tmp_path,
    scratch_database,  # noqa: F811
):
    names = [
        default_storage.save("messages/1/a.pdf", ContentFile(pdf_bytes())),
        default_storage.save("ledger/2026/kviitung.bin", ContentFile(bytes(range(256)) * 40)),
    ]
    source_rows, source_ledger = contents(connection.settings_dict["NAME"])
    archive = make_backup(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert {f"media/{name}" for name in names} <= set(tar.getnames())
    assert manifest["media_files"] == 2

    # A new, empty bucket: the restore puts every file back under its own name.
    restored_bucket = f"{bucket}-restored"
    settings.STORAGES = settings.STORAGES | {"default": seaweedfs.storage(restored_bucket)}
    settings.S3_BUCKET = restored_bucket
    call_command("create_bucket", stdout=StringIO())
    stray = default_storage.save("stray.txt", ContentFile(b"not from the backup"))
    # A bucket with files is written over only when forced.
    with pytest.raises(CommandError, match=f"S3 bucket {restored_bucket} holds 1 files already"):
        call_command("restore", archive, into=scratch_database, stdout=StringIO())
    call_command("restore", archive, into=scratch_database, force=True, stdout=StringIO())
    assert contents(scratch_database) == (source_rows, source_ledger)
    assert seaweedfs.keys(restored_bucket) == sorted([*names, stray])
    for name in names:
        original = seaweedfs.client().get_object(Bucket=bucket, Key=name)["Body"].read()
        with default_storage.open(name, "rb") as restored:
            assert restored.read() == original


def test_retention_deletes_a_file_from_the_bucket_with_its_row(
    db, bucket, seaweedfs, settings, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(status=Status.NOT_SELECTED)
    content = pdf_bytes()
    decision = CouncilDecision.objects.create(
        application=application,
        file=ContentFile(content, name="otsus.pdf"),
        original_name="otsus.pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    assert seaweedfs.keys(bucket) == [decision.file.name]
    kept_until = application.call.deadline_at + timedelta(days=settings.RETENTION_NOT_SELECTED_DAYS)
    # The files go once the deletion of their rows commits.
    with django_capture_on_commit_callbacks(execute=True):
        retention.apply(kept_until + timedelta(days=1))
    assert not CouncilDecision.objects.exists()
    assert seaweedfs.keys(bucket) == []
