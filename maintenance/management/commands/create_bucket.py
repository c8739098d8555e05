from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create the object storage bucket S3_BUCKET if it is missing; private, as every bucket "
        "is made. Run once when a deployment is set up (docker-compose's migrate does)."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.S3_BUCKET:
            self.stdout.write("S3_BUCKET is not set: files are stored under MEDIA_ROOT.")
            return
        bucket = default_storage.bucket  # type: ignore[attr-defined]
        try:
            bucket.meta.client.head_bucket(Bucket=bucket.name)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
                raise CommandError(f"Bucket {bucket.name}: {error}") from error
            bucket.create()
            self.stdout.write(self.style.SUCCESS(f"Created bucket {bucket.name}."))
        else:
            self.stdout.write(f"Bucket {bucket.name} exists.")
