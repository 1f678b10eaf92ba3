"""Production: refuses to start with a default secret or DEBUG on; passes `check --deploy`."""

import os

from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool
from portal.settings.base import *  # noqa: F403
from portal.settings.base import DEFAULT_SECRET_KEY, SECRET_KEY

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (DJANGO_ENV=production).")
if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value in production (at least 50 characters).")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Hashed, compressed static files served by WhiteNoise after `collectstatic`.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
LOG_JSON = env_bool("LOG_JSON", True)
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_JSON else "plain"  # noqa: F405
PORTAL_REQUIRE_STAFF_MFA = env_bool("PORTAL_REQUIRE_STAFF_MFA", True)
PORTAL_REQUIRE_RLS_ROLE = env_bool("PORTAL_REQUIRE_RLS_ROLE", True)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
