#!/bin/sh
# SeaweedFS for docker-compose.yml: master, volume, filer and the S3 gateway in one container.
# The S3 gateway knows one identity, the portal's keys from .env; anonymous requests are refused.
set -eu
cat > /tmp/s3.json <<JSON
{"identities": [{"name": "turvaportaal",
  "credentials": [{"accessKey": "${S3_ACCESS_KEY_ID}", "secretKey": "${S3_SECRET_ACCESS_KEY}"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
exec weed server -dir=/data -s3 -s3.config=/tmp/s3.json -s3.port=8333 \
    -master.volumeSizeLimitMB=1024 -volume.max=0
