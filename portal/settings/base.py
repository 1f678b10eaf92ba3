"""Settings shared by every environment. Everything secret or site-specific comes from the environment."""

import os
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from portal.env import env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# A development-only key; production.py refuses to start with it.
DEFAULT_SECRET_KEY = "dev-insecure-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEFAULT_SECRET_KEY
DEBUG = env_bool("DEBUG", False)
# Each list page read by a kept query is built anew too and compared (apps.core.lists.KeptPages): on in tests.
PORTAL_CHECK_KEPT_QUERIES = DEBUG
# A list's kept page query runs as a prepared statement on PostgreSQL (apps.tenants.backends.postgresql): off
# behind a connection pooler that does not keep prepared statements (PgBouncer in transaction mode before 1.21).
PORTAL_PREPARED_LIST_QUERIES = env_bool("PORTAL_PREPARED_LIST_QUERIES", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin, signed into through allauth (apps/accounts/admin_site.py).
    "apps.accounts.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "apps.core",
    "apps.tenants",
    "apps.accounts",
    "apps.registry",
    "apps.guidance",
    "apps.diagnostics",
    "apps.plan",
    "apps.helpdesk",
    "apps.outreach",
    "apps.events",
    "apps.surveys",
    "apps.news",
    "apps.reminders",
    "apps.programmes",
    "apps.stories",
    "apps.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.core.middleware.RequestIdMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages only: static files are answered above by WhiteNoise (README, "Static files and compression").
    # BREACH is no risk to the CSRF token, which Django masks afresh in every response. Django's
    # GZipMiddleware, deflating with ISA-L at its fastest level (apps.core.compression).
    "apps.core.middleware.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.ApiTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.tenants.middleware.TenantMiddleware",
    "apps.accounts.middleware.StaffMfaMiddleware",
]

# Benchmarks only: bench/pages.py serves `bench.urls` (portal.urls plus its bare reference views) this way.
ROOT_URLCONF = os.environ.get("PORTAL_ROOT_URLCONF") or "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "apps.core.context_processors.portal",
                "apps.tenants.context_processors.tenant",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# No DATABASE_URL: SQLite in the repository, so `make run` works on a bare machine.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
# PostgreSQL through Django's backend that knows the tenant-owned tables' primary keys (id, tenant_id).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "apps.tenants.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, sessions, Celery ------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")


def redis_cache(location: str) -> dict[str, object]:
    """The cache settings for a Redis at `location`. It fails soft (apps/core/cache.py): while Redis is down
    the cache is empty and forgets writes, so sessions come from the database and rate limits let requests
    through. Short timeouts, so a Redis that does not answer costs a page about a second, not five."""
    return {
        "BACKEND": "apps.core.cache.FailSoftRedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "portal",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# cached_db: a Redis restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker, tasks run in-process so the portal works with nothing else running.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker whose broker went away keeps trying to reconnect however long Redis is down (Celery's default gives up
# after 100 tries, about 45 minutes, and the worker exits); the outreach sweep resumes the campaigns once it is
# back (tests/outreach/test_redis_outage.py).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# The task in hand when the broker goes away runs to its end (Celery 6 would cancel it): its work is recorded in
# the database as it goes, and cancelling it mid-batch would leave rows to re-send after the stale window.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# Workers on queues of their own, each scaled apart (docker-compose.yml): a big campaign never delays a password
# reset, nor the nightly statistics a ticket's e-mail. A worker started without --queues serves all five.
# `imports` takes the big import files only (apps/registry/importing/jobs.py picks the queue per file).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "imports", "outreach", "statistics", "email")]
CELERY_TASK_ROUTES = {
    "outreach.campaign_*": {"queue": "outreach"},
    "outreach.outbox_drain": {"queue": "outreach"},
    "events.write_messages": {"queue": "outreach"},
    "events.send_registration_messages": {"queue": "outreach"},
    "news.notify_followers": {"queue": "outreach"},
    "dashboards.*": {"queue": "statistics"},
    "accounts.send_email": {"queue": "email"},
    "helpdesk.send_ticket_email": {"queue": "email"},
    "helpdesk.send_session_reminder": {"queue": "email"},
    "reminders.send_pending": {"queue": "email"},
}
# Long tasks (imports): a worker process takes one task at a time, so queued work is not held by a busy one.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    # Sessions past their expiry, as `manage.py clearsessions` removes them.
    "clear-expired-sessions": {
        "task": "accounts.clear_expired_sessions",
        "schedule": 24 * 60 * 60,
    },
    "purge-unclaimed-visitor-assessments": {
        "task": "diagnostics.purge_unclaimed_visitor_assessments",
        "schedule": 24 * 60 * 60,
    },
    "purge-expired-import-files": {
        "task": "registry.purge_expired_import_files",
        "schedule": 24 * 60 * 60,
    },
    "fail-stale-import-jobs": {
        "task": "registry.fail_stale_import_jobs",
        "schedule": 5 * 60,
    },
    "helpdesk-sla-sweep": {
        "task": "helpdesk.sla_sweep",
        "schedule": 5 * 60,
    },
    # E-mail replies to tickets; does nothing when neither HELPDESK_MAILDIR nor HELPDESK_IMAP_URL is set. A run
    # not started within the minute is dropped: the next one reads the same mailbox.
    "helpdesk-fetch-mail": {
        "task": "helpdesk.fetch_mail",
        "schedule": 60,
        "options": {"expires": 55},
    },
    "helpdesk-purge-refused-emails": {
        "task": "helpdesk.purge_refused_emails",
        "schedule": 24 * 60 * 60,
    },
    "helpdesk-counselling-reminders": {
        "task": "helpdesk.counselling_reminders",
        "schedule": 15 * 60,
    },
    # IP deadline reminders (apps.reminders): planned once a day, retried every half hour after temporary failures.
    "reminders-daily": {
        "task": "reminders.daily",
        "schedule": 24 * 60 * 60,
    },
    "reminders-send-retries": {
        "task": "reminders.send_retries",
        "schedule": 30 * 60,
    },
    # Events: the reminder the day before, and the feedback request once the event has ended.
    "events-send-reminders": {
        "task": "events.send_reminders",
        "schedule": 60 * 60,
    },
    "events-request-feedback": {
        "task": "events.request_feedback",
        "schedule": 60 * 60,
    },
    # Starts the scheduled campaigns that are due, resumes interrupted ones, retries deliveries after backoff.
    "outreach-sweep": {
        "task": "outreach.sweep",
        "schedule": 60,
        "options": {"expires": 55},
    },
    # The outbox (events' and news' messages): what the kick at commit missed, and rows a dead worker left.
    "outreach-outbox-sweep": {
        "task": "outreach.outbox_sweep",
        "schedule": 60,
        "options": {"expires": 55},
    },
    # Statistics: each tenant's MSMEs counted into the summary tables by what changed, once a night.
    "dashboards-rollup-nightly": {
        "task": "dashboards.rollup_all",
        "schedule": crontab(hour=2, minute=30),
    },
}
# How long before a ticket's due time its assignee is warned.
HELPDESK_SLA_WARNING_MINUTES = int(os.environ.get("HELPDESK_SLA_WARNING_MINUTES", "60"))
# Days the record of a refused e-mail (its sender and subject, never its body) is kept for the operators' review.
HELPDESK_REFUSED_EMAIL_RETENTION_DAYS = int(os.environ.get("HELPDESK_REFUSED_EMAIL_RETENTION_DAYS", "90"))
# Visitors' diagnostic results: how many an anonymous client may submit through the API, and how long an
# unclaimed one is kept.
VISITOR_ASSESSMENT_RATE = os.environ.get("VISITOR_ASSESSMENT_RATE", "60/hour") or None
VISITOR_ASSESSMENT_RETENTION_DAYS = int(os.environ.get("VISITOR_ASSESSMENT_RETENTION_DAYS", "30"))
CELERY_TIMEZONE = "UTC"

# --- MSME import limits --------------------------------------------------------
# A file is refused (with a reason) beyond these, so that one upload cannot hold the import worker
# for long or fill the database with its errors.
IMPORT_MAX_UPLOAD_MB = int(os.environ.get("IMPORT_MAX_UPLOAD_MB", "20"))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
IMPORT_MAX_COLUMNS = 100  # the contract has 16 columns
IMPORT_MAX_CELL_CHARS = 1000
IMPORT_MAX_ERRORS = 1000  # errors stored per job; the rest are counted
# An XLSX file is a zip: what its parts would take once unpacked, and how much smaller they may be packed.
IMPORT_MAX_XLSX_UNPACKED_MB = int(os.environ.get("IMPORT_MAX_XLSX_UNPACKED_MB", "300"))
IMPORT_MAX_XLSX_RATIO = 100
# Seconds an import task may run: then it stops and its job fails with the reason (a hard kill a minute later).
IMPORT_TIME_LIMIT = int(os.environ.get("IMPORT_TIME_LIMIT", "900"))
# Files up to this size run on the default queue, where small jobs never wait behind a big file;
# bigger ones on the "imports" queue, which its own worker serves.
IMPORT_SMALL_FILE_MB = float(os.environ.get("IMPORT_SMALL_FILE_MB", "1"))
IMPORT_SMALL_TIME_LIMIT = 120
# A job queued this long was never picked up (broker down, message lost): the beat sweep fails it.
IMPORT_QUEUED_TIMEOUT_MINUTES = int(os.environ.get("IMPORT_QUEUED_TIMEOUT_MINUTES", "60"))
# Undoing an import that has more MSMEs in the registry than this runs as a task on the imports queue (its page
# shows the progress); up to it, in the request. Each removed MSME costs one to two milliseconds on PostgreSQL
# (its delete event, and the receivers of its deletion): the request took 0.7-1.4 s for 500, 2.7 s for 2,000.
IMPORT_UNDO_IN_REQUEST_MAX_ROWS = int(os.environ.get("IMPORT_UNDO_IN_REQUEST_MAX_ROWS", "500"))

# --- Authentication ----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Messages ride in the session: the privacy notice names the session, CSRF and language cookies only.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MSME IP portal] "
# E-mails in the user's language, each with a branded HTML part (apps.accounts.adapter).
ACCOUNT_ADAPTER = "apps.accounts.adapter.PortalAccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MSME IP portal"
# Production turns this on: staff roles must enrol TOTP before they work.
PORTAL_REQUIRE_STAFF_MFA = env_bool("PORTAL_REQUIRE_STAFF_MFA", False)
# Production turns this on: the web server and Celery refuse to start connected as a database role that
# row-level security does not apply to (apps.tenants.checks); in development they only warn.
PORTAL_REQUIRE_RLS_ROLE = env_bool("PORTAL_REQUIRE_RLS_ROLE", False)
# Requests and tasks run in one transaction with the tenant scope set once (apps.tenants.rls). A scoped
# query outside any transaction is a path that escaped it: with this on (development, tests) it raises;
# off (production) it is logged as an error and runs in a transaction of its own.
PORTAL_RLS_REQUIRE_TRANSACTION = env_bool("PORTAL_RLS_REQUIRE_TRANSACTION", DEBUG)

# --- E-mail ---------------------------------------------------------------
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    from portal.email_url import email_settings_from_url

    globals().update(email_settings_from_url(EMAIL_URL))
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "MSME IP portal <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's address as users reach it: links in e-mails.
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")

# Outreach: the backend of each channel a message can be sent on (apps.outreach.channels). SMS and WhatsApp
# have no provider here: their messages go to JSON-lines files in OUTREACH_FILE_DIR (or the console).
OUTREACH_CHANNEL_BACKENDS = {
    "email": os.environ.get("OUTREACH_EMAIL_BACKEND", "apps.outreach.channels.EmailChannel"),
    "sms": os.environ.get("OUTREACH_SMS_BACKEND", "apps.outreach.channels.FileChannel"),
    "whatsapp": os.environ.get("OUTREACH_WHATSAPP_BACKEND", "apps.outreach.channels.FileChannel"),
}
OUTREACH_FILE_DIR = os.environ.get("OUTREACH_FILE_DIR", str(BASE_DIR / "var" / "outreach"))
# Campaign sending (apps.outreach.sending): messages per second per channel, across all workers (0: no limit).
OUTREACH_RATE_LIMITS = {
    "email": int(os.environ.get("OUTREACH_EMAIL_RATE", "100")),
    "sms": int(os.environ.get("OUTREACH_SMS_RATE", "20")),
    "whatsapp": int(os.environ.get("OUTREACH_WHATSAPP_RATE", "20")),
}
# Deliveries a worker takes and sends at once; tries before a delivery that keeps failing for now is failed;
# seconds after which a delivery left 'sending' (its worker died) is put back in the queue.
OUTREACH_BATCH_SIZE = int(os.environ.get("OUTREACH_BATCH_SIZE", "200"))
OUTREACH_MAX_ATTEMPTS = int(os.environ.get("OUTREACH_MAX_ATTEMPTS", "5"))
OUTREACH_STALE_SENDING_SECONDS = int(os.environ.get("OUTREACH_STALE_SENDING_SECONDS", "600"))
# How long one sending task sends before it hands on to a new task (so that a worker is never held for long).
OUTREACH_SEND_TASK_SECONDS = float(os.environ.get("OUTREACH_SEND_TASK_SECONDS", "60"))
# Days an unsubscribe link in a campaign message keeps working.
OUTREACH_UNSUBSCRIBE_MAX_AGE_DAYS = int(os.environ.get("OUTREACH_UNSUBSCRIBE_MAX_AGE_DAYS", "730"))

# --- Helpdesk e-mail ---------------------------------------------------------
# The domains of the helpdesk's signed reply addresses (reply+<token>@<domain>) and Message-IDs, comma separated;
# the first is used for new mail, all are accepted on replies (keep an old one while moving to a new one). Mail
# to these domains must be delivered to the mailbox below. Default: the domain of DEFAULT_FROM_EMAIL.
HELPDESK_REPLY_DOMAINS = env_list(
    "HELPDESK_REPLY_DOMAINS", [parseaddr(DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"]
)
# Where replies arrive: a local Maildir (development, or a server's delivery agent writing one) ...
HELPDESK_MAILDIR = os.environ.get("HELPDESK_MAILDIR", "")
# ... and/or an IMAP folder, imaps://user:password@host:993/INBOX (percent-encode special characters; imap://
# uses STARTTLS when the server offers it). Empty: no IMAP.
HELPDESK_IMAP_URL = os.environ.get("HELPDESK_IMAP_URL", "")
# Messages read per mailbox and run (the beat task runs every minute), so a flood is worked through in steps.
HELPDESK_MAIL_BATCH = int(os.environ.get("HELPDESK_MAIL_BATCH", "50"))
# A larger message is refused (and recorded) without being read whole.
HELPDESK_MAIL_MAX_BYTES = int(os.environ.get("HELPDESK_MAIL_MAX_BYTES", str(25 * 1024 * 1024)))
# Attachments per message; a message with more is refused.
HELPDESK_MAIL_MAX_ATTACHMENTS = int(os.environ.get("HELPDESK_MAIL_MAX_ATTACHMENTS", "20"))
# The largest file a ticket keeps (pages, API and e-mail); a larger one is refused.
HELPDESK_ATTACHMENT_MAX_BYTES = int(os.environ.get("HELPDESK_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))

# --- Internationalisation ------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates with a month name in each language ("4 Dec 2026"): portal/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from npm (package-lock.json) into node_modules/, never a CDN.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
]
# Uploaded files belong to one tenant and may hold personal data: they live in the "private" storage,
# a directory that no URL serves (apps.tenants.files; downloads go through views that check scope).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT") or BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "apps.tenants.files.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}
# Serve from the finders too, so a development server needs no collectstatic. Found this way, files are
# served uncompressed: WhiteNoise only serves the .gz/.br copies that collectstatic writes (production.py).
WHITENOISE_USE_FINDERS = True
# Nothing is served from here (no /media/ route, in development either).
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
# Days an uploaded import file is kept; a daily beat task deletes older ones (the job keeps its counts and errors).
IMPORT_FILE_RETENTION_DAYS = int(os.environ.get("IMPORT_FILE_RETENTION_DAYS", "30"))

# --- Security headers (every environment, so problems show in development) ---------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- REST framework and the API schema -----------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies only, bounded in size and depth: a form cannot say null, nor nest the diagnostic's
    # answers (the import names its own parser).
    "DEFAULT_PARSER_CLASSES": ["apps.core.api.parsers.PortalJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.PortalPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "apps.tenants.api_errors.exception_handler",
    # Proxies in front of the portal: throttles trust X-Forwarded-For only that far (0: REMOTE_ADDR alone).
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MSME IP one-stop portal API",
    "DESCRIPTION": "Registry, diagnostics, helpdesk and statistics for MSMEs and the agencies that serve them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Separate request components (e.g. MsmeRequest): they leave out read-only fields and say which text
    # fields may not be blank, which the shared component cannot.
    "COMPONENT_SPLIT_REQUEST": True,
    # An import job's status shows in two components (the list's and the detail's job): one enum, named.
    "ENUM_NAME_OVERRIDES": {
        "ImportJobStatusEnum": "apps.registry.models.ImportJob.Status",
        "TicketStatusEnum": "apps.helpdesk.models.Status",
        "SurveyStatusEnum": "apps.surveys.models.Survey.Status",
        "CampaignStatusEnum": "apps.outreach.models.Campaign.Status",
        "EventStatusEnum": "apps.events.models.Event.Status",
        "RegistrationStatusEnum": "apps.events.models.Registration.Status",
        "ProgrammeStageEnum": "apps.programmes.models.Stage",
        "GreenStageEnum": "apps.programmes.models.GreenStage",
        "LanguageEnum": "portal.settings.base.LANGUAGES",
        # A campaign's message may be in any language an MSME may prefer (the registry's list), not only these.
        "RegistryLanguageEnum": "apps.registry.rules.LANGUAGE_CHOICES",
    },
}

# --- Logging: JSON lines with the request id ---------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOG_JSON = env_bool("LOG_JSON", False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "apps.core.logging.RequestIdFilter"},
        "client_error_traceback": {"()": "apps.core.logging.ClientErrorTracebackFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "client_error_traceback"],
            "formatter": "json" if LOG_JSON else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own loggers would otherwise print each line twice (their handler and the root's).
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}

# --- Needs surveys -----------------------------------------------------------
# How long an MSME's signed answer link (apps.surveys.links) stays valid, in days.
SURVEYS_LINK_MAX_AGE_DAYS = int(os.environ.get("SURVEYS_LINK_MAX_AGE_DAYS", "90"))
# --- News and consultations (apps.news) ---------------------------------------
# How many comments one member may write in an hour (each waits for moderation).
NEWS_COMMENTS_PER_HOUR = int(os.environ.get("NEWS_COMMENTS_PER_HOUR", "5"))
