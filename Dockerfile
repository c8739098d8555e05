FROM python:3.12-slim-bookworm

# WeasyPrint's libraries and the fonts the PDFs use (Estonian letters õ ä ö ü š ž), and
# pg_dump/pg_restore for `make backup` (bookworm's 15, as the postgres:15 service).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install -r requirements.lock
COPY . .
RUN pip install --no-deps . \
    && SECRET_KEY=only-for-collectstatic python manage.py collectstatic --no-input \
    && useradd --system --home /app portal \
    && mkdir -p /data/media \
    && chown portal /data/media

USER portal
ENV MEDIA_ROOT=/data/media
EXPOSE 8000
CMD ["gunicorn", "turvaportaal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
