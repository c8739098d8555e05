"""SeaweedFS as the S3 server of the storage and scaling tests (tests/scaling/seaweedfs.py),
started once per test session. Each test gets a new private bucket."""

import io
import uuid
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from tests.scaling.seaweedfs import ObjectStore, seaweedfs_server


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ObjectStore]:
    with seaweedfs_server(tmp_path_factory.mktemp("seaweedfs")) as store:
        yield store


@pytest.fixture
def bucket(seaweedfs: ObjectStore, settings) -> Iterator[str]:
    """A new private bucket, the portal's file store for the test."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    settings.S3_BUCKET = name
    settings.STORAGES = settings.STORAGES | {"default": seaweedfs.storage(name)}
    call_command("create_bucket", stdout=io.StringIO())
    yield name
