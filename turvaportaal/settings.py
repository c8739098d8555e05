"""Turvaportaal settings: one module, every value from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
# The portal's own address, for links in e-mails sent outside a request (invitations): a
# deployment must say it, or every link would point at the server's own loopback address.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured("SITE_URL must be set when DEBUG is off.")
# Where an applicant files a challenge (vaie) to a selection decision; the decision e-mail says.
CHALLENGE_ADDRESS = env.str("CHALLENGE_ADDRESS", default="info@siseministeerium.ee")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Trigram (GIN) indexes for the icontains searches; inactive on SQLite.
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's widget templates, for the form renderer over the project's templates.
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "turvaportaal",
    "accounts",
    "programme",
    "applications",
    "actionplans",
    "grants",
    "counselling",
    "learning",
    "practices",
    "reports",
    "notifications",
    "inquiries",
    "conversations",
    "agreements",
    "closing",
    "privacy",
    "evaluation",
    "dashboards",
    "demo",
    "maintenance",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "turvaportaal.middleware.EstonianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in pages and every download: Cache-Control: no-store.
    "turvaportaal.middleware.NoStoreMiddleware",
    # Records refused access (403, and 404 on a real route) and where each record came from.
    "audit.middleware.AuditMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a staff session that has run out says so on the sign-in page.
    "accounts.middleware.StaffSessionMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Inside the headers above, ahead of every view and sign-in check (which run at the view).
    "turvaportaal.middleware.NulAddressMiddleware",
    # Axes must come last: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "turvaportaal.urls"
WSGI_APPLICATION = "turvaportaal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
            "libraries": {
                "main_menu": "turvaportaal.lib.menu",
            },
        },
    },
    # Plain-text e-mails: the same templates, not HTML-escaped ("Mari & Jüri", not "&amp;").
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Django's renderer with Bootstrap's classes and a field template (turvaportaal/lib/forms.py).
FORM_RENDERER = "turvaportaal.lib.forms.FormRenderer"

# Unset DATABASE_URL: a SQLite file for the demo run. Production and CI use PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Each worker keeps its connection between requests: opening one costs PostgreSQL a process
# and the request several milliseconds. A connection that broke meanwhile (the database was
# restarted) is noticed and replaced when the next request starts.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=600))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer gives the 503 page within seconds, not after the
    # operating system's TCP timeout of minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: an account in its growing delay is refused before any password is tried.
    "accounts.throttle.AccountDelayBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = int(timedelta(hours=24).total_seconds())
INVITATION_VALID_FOR = timedelta(days=env.int("INVITATION_VALID_DAYS", default=7))

# Ministry staff and admins (User.is_second_factor_required) sign in with a TOTP code as well,
# and their sessions end after 30 minutes without a request and 12 hours after signing in. The
# other roles keep Django's session of two weeks (SESSION_COOKIE_AGE).
STAFF_SESSION_IDLE = timedelta(minutes=30)
STAFF_SESSION_MAX = timedelta(hours=12)
OTP_TOTP_ISSUER = "Turvaportaal"
# Wrong codes in a row double the wait before the next try: 1, 2, 4, 8 ... seconds.
OTP_TOTP_THROTTLE_FACTOR = 1
# The Django admin lists TOTP devices without their secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Brute-force protection: five wrong passwords for one e-mail from one address lock that
# combination for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.access.login_attempt_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind the deployment's reverse proxy the client address is in X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# Sign-in with Estonian eID through TARA, RIA's authentication service (accounts/tara.py).
# Unset issuer or client id: the sign-in page offers no eID button. The redirect URI is the one
# registered with RIA; by default the portal's own callback under SITE_URL.
TARA_ISSUER = env.str("TARA_ISSUER", default="").rstrip("/")
TARA_CLIENT_ID = env.str("TARA_CLIENT_ID", default="")
TARA_CLIENT_SECRET = env.str("TARA_CLIENT_SECRET", default="")
TARA_SCOPES = env.str("TARA_SCOPES", default="openid idcard mid smartid eidas")
TARA_REDIRECT_URI = env.str("TARA_REDIRECT_URI", default=f"{SITE_URL}/accounts/tara/callback/")
# Seconds to wait for TARA's server before telling the person it is unavailable.
TARA_TIMEOUT = env.float("TARA_TIMEOUT", default=5.0)
# Staff (User.is_second_factor_required) signing in with eID at the low level of assurance, where
# it is not a second factor: "totp" asks for their app's code, "refuse" turns them away.
TARA_LOW_ASSURANCE_STAFF = env.str("TARA_LOW_ASSURANCE_STAFF", default="totp")
if TARA_LOW_ASSURANCE_STAFF not in ("totp", "refuse"):
    raise ImproperlyConfigured('TARA_LOW_ASSURANCE_STAFF must be "totp" or "refuse".')
# Roles (accounts.models.Role values) who may not sign in with a password, only with eID.
PASSWORD_SIGN_IN_OFF_FOR = env.list("PASSWORD_SIGN_IN_OFF_FOR", default=[])


# How long personal data is kept before it is deleted or anonymised (privacy/retention.py; the
# README's retention section is that table): days, and years for the ESF+ rule.
def _retention(name: str, default: int) -> int:
    value = env.int(name, default=default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be a positive whole number.")
    return value


RETENTION_INVITATION_DAYS = _retention("RETENTION_INVITATION_DAYS", 30)
RETENTION_SIGN_IN_ATTEMPT_DAYS = _retention("RETENTION_SIGN_IN_ATTEMPT_DAYS", 90)
RETENTION_NOT_SELECTED_DAYS = _retention("RETENTION_NOT_SELECTED_DAYS", 730)
RETENTION_DEACTIVATED_ACCOUNT_DAYS = _retention("RETENTION_DEACTIVATED_ACCOUNT_DAYS", 365)
RETENTION_PROGRAMME_YEARS = _retention("RETENTION_PROGRAMME_YEARS", 5)
# Where people send access requests, feedback on accessibility and questions about their data.
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", default="info@siseministeerium.ee")
# The key of the stable pseudonyms that replace a person in the audit log and the ledger.
PSEUDONYM_KEY = env.str("PSEUDONYM_KEY", default=SECRET_KEY)
# Password reset: e-mails a person gets an hour, and requests an address may make an hour.
PASSWORD_RESET_PER_ACCOUNT = env.int("PASSWORD_RESET_PER_ACCOUNT", default=3)
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=20)
# Wrong passwords for one account from any address, in an hour, before each further try must
# wait: 2, 4, 8 ... seconds, at most SIGN_IN_DELAY_MAX_SECONDS.
SIGN_IN_DELAY_AFTER = env.int("SIGN_IN_DELAY_AFTER", default=10)
SIGN_IN_DELAY_MAX_SECONDS = env.int("SIGN_IN_DELAY_MAX_SECONDS", default=300)

LANGUAGE_CODE = "et"
LANGUAGES = [("et", _("Estonian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["turvaportaal.formats"]
TIME_ZONE = "Europe/Tallinn"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are never served from a public URL (there is no MEDIA_URL route, in production
# or here): views that check access stream them.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Where `make backup` (manage.py backup) writes its archives.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "backups")))
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# PEM certificates of the certification authorities that may issue a signer's certificate in a
# digitally signed container (the SK ESTEID CAs): a signer issued by another is refused. Unset:
# any issuer; the signatures' integrity is checked either way (turvaportaal/lib/signatures.py).
SIGNATURE_TRUSTED_CA_FILE = env.str("SIGNATURE_TRUSTED_CA_FILE", default="")
if SIGNATURE_TRUSTED_CA_FILE and not Path(SIGNATURE_TRUSTED_CA_FILE).is_file():
    raise ImproperlyConfigured("SIGNATURE_TRUSTED_CA_FILE names no file.")
# Large uploads go to a temporary file, not memory; the form still sees the whole file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Files on S3-compatible object storage (SeaweedFS, MinIO, a cloud's S3) when S3_BUCKET is set,
# so that every web process and worker sees the same files; unset, they stay under MEDIA_ROOT.
# The bucket stays private: downloads pass through the views that check access, streamed, or
# (S3_PRESIGNED_DOWNLOADS) redirected to a signed address valid for a minute.
S3_BUCKET = env.str("S3_BUCKET", default="")
S3_PRESIGNED_DOWNLOADS = env.bool("S3_PRESIGNED_DOWNLOADS", default=False)


def object_storage(
    bucket: str,
    endpoint_url: str,
    access_key: str,
    secret_key: str,
    region: str = "us-east-1",
    addressing_style: str = "path",
) -> dict[str, Any]:
    """The STORAGES entry of a bucket on S3-compatible object storage."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region,
            "access_key": access_key,
            "secret_key": secret_key,
            "addressing_style": addressing_style,
            "signature_version": "s3v4",
            # No ACL of its own: an object is as private as the bucket.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            # As on disk: a name in use gets another, never overwritten.
            "file_overwrite": False,
            # A download larger than this is spooled to a temporary file, not kept in memory.
            "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
        },
    }


if S3_BUCKET:
    STORAGES["default"] = object_storage(
        S3_BUCKET,
        endpoint_url=env.str("S3_ENDPOINT_URL", default=""),
        access_key=env.str("S3_ACCESS_KEY_ID", default=""),
        secret_key=env.str("S3_SECRET_ACCESS_KEY", default=""),
        region=env.str("S3_REGION", default="us-east-1"),
        addressing_style=env.str("S3_ADDRESSING_STYLE", default="path"),
    )

FILTERS_EMPTY_CHOICE_LABEL = _("All")
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: EMAIL_URL such as smtp+tls://user:password@smtp.example.ee:587; unset prints messages
# on the console.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email["EMAIL_HOST"],
    "port": _email["EMAIL_PORT"],
    "username": _email["EMAIL_HOST_USER"],
    "password": _email["EMAIL_HOST_PASSWORD"],
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": 30,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith(".smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Turvaportaal <turvaportaal@siseministeerium.ee>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Redis: broker and cache when REDIS_URL is set; otherwise tasks run in-process.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A runaway render is stopped by the task's time limit; a worker child that has grown past this
# (in KiB) is replaced after its task.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=600_000)
# A worker rendering a report renews its lease every REPORT_HEARTBEAT; a report whose lease has
# not been renewed for REPORT_LEASE has lost its worker (killed, its machine gone) and is sent
# again by the requeue schedule below (every minute): taken up again within about two minutes.
REPORT_HEARTBEAT = timedelta(seconds=env.int("REPORT_HEARTBEAT_SECONDS", default=15))
REPORT_LEASE = 4 * REPORT_HEARTBEAT
# A message a worker took and has not acknowledged goes back to the queue after this long. It is
# longer than any task may run (the quarterly report's 10 minutes), so that no task still running
# is delivered twice; a report is taken up again sooner, by its lease.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(timedelta(minutes=15).total_seconds())}
# Each scheduled task is sent once however many beat processes run (turvaportaal/beat.py).
CELERY_BEAT_SCHEDULER = "turvaportaal.beat:SingleSendScheduler"
CELERY_BEAT_SCHEDULE = {
    "remind-progress-updates": {
        "task": "actionplans.tasks.remind_progress_updates",
        "schedule": crontab(hour=7, minute=0),
    },
    "remind-plan-years": {
        "task": "actionplans.tasks.remind_plan_years",
        "schedule": crontab(hour=7, minute=5),
    },
    "send-quarterly-programme-report": {
        "task": "reports.tasks.send_quarterly_programme_report",
        "schedule": crontab(day_of_month=1, month_of_year="1,4,7,10", hour=6, minute=0),
    },
    "remind-call-deadlines": {
        "task": "applications.tasks.remind_call_deadlines",
        "schedule": crontab(hour=7, minute=5),
    },
    "send-daily-digests": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=30),
    },
    "requeue-stalled-reports": {
        "task": "reports.tasks.requeue_stalled_reports",
        "schedule": crontab(minute="*"),
    },
    "import-official-statistics": {
        "task": "evaluation.tasks.import_official_statistics",
        "schedule": crontab(day_of_month=2, hour=3, minute=30),
    },
    "apply-retention": {
        "task": "privacy.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=15),
    },
}

# Statistics Estonia's PxWeb API (evaluation/pxweb.py): its address, and how often and after how
# long (doubling, in seconds) an overloaded or failing server is asked again.
STATISTICS_ESTONIA_API_URL = env.str(
    "STATISTICS_ESTONIA_API_URL", default="https://andmed.stat.ee/api/v1/en/"
)
STATISTICS_ESTONIA_RETRIES = env.int("STATISTICS_ESTONIA_RETRIES", default=4)
STATISTICS_ESTONIA_BACKOFF = env.float("STATISTICS_ESTONIA_BACKOFF", default=2.0)

# Security headers. check --deploy passes with DEBUG off; see tests/test_deployment.py.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(timedelta(days=365).total_seconds())
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint tells every step of every render at INFO; its warnings still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
