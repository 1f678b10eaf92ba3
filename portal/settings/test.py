"""Tests: fast hashing, mail kept in memory, the same database and Redis the environment names."""

from portal.settings.base import *  # noqa: F403

DEBUG = False
# A list that keeps its page query must build the same one for the same request (apps.core.lists.KeptPages).
PORTAL_CHECK_KEPT_QUERIES = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_RATE_LIMITS = False
# Tests that need a real worker start one; the rest run tasks in-process.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "apps.tenants.files.PrivateInMemoryStorage"},
}

INSTALLED_APPS = [*INSTALLED_APPS, "tests.tenancy_app"]  # noqa: F405
ROOT_URLCONF = "tests.urls"
# Many anonymous assessments come from 127.0.0.1 in a run; the throttle's own test turns it on.
VISITOR_ASSESSMENT_RATE = None
# A scoped query outside a transaction fails the test that reaches it.
PORTAL_RLS_REQUIRE_TRANSACTION = True
# SMS and WhatsApp messages of the file channel go to a directory of this run, never the checkout's.
OUTREACH_FILE_DIR = __import__("tempfile").mkdtemp(prefix="portal-outreach-")
