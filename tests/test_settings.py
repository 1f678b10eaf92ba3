"""Production settings refuse unsafe configuration; security settings hold in every environment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings
from django.urls import reverse

import portal.settings.base as base_settings
from apps.core.roles import Role
from tests.factories import user_with_role

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = secrets.token_urlsafe(45)  # 60 characters


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`manage.py ARGS` in a fresh process with only these settings-related variables."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ENV", "SECURE_SSL_REDIRECT"}
        and not key.startswith("SECURE_HSTS")
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_with_the_default_secret_key():
    result = _manage("check", "--deploy", DJANGO_ENV="production", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("secret", [base_settings.DEFAULT_SECRET_KEY, "short-secret", "a" * 60])
def test_production_refuses_a_weak_secret_key(secret):
    result = _manage("check", "--deploy", DJANGO_ENV="production", ALLOWED_HOSTS="example.org", SECRET_KEY=secret)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("debug", ["1", "true", "on"])
def test_production_refuses_to_start_with_debug_on(debug):
    result = _manage(
        "check", "--deploy", DJANGO_ENV="production", ALLOWED_HOSTS="example.org", SECRET_KEY=GOOD_SECRET, DEBUG=debug
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        ALLOWED_HOSTS="example.org",
        SECRET_KEY=GOOD_SECRET,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_development_settings_still_start_without_a_secret():
    result = _manage("check")
    assert result.returncode == 0, result.stderr


# A page that crashes, then a static file, through the development settings in a fresh process. The view is
# replaced before the URLconf is first imported; Host 127.0.0.1/localhost, as `make run` is reached.
_CRASHING_PAGE = """
import apps.core.views as views
def crash(request):
    raise RuntimeError("a bug in a page")
views.home = crash
from django.conf import settings
from django.test import Client
page = Client(raise_request_exception=False).get("/", HTTP_HOST="127.0.0.1")
body = page.content.decode()
static = Client().get("/static/vendor/bootstrap/css/bootstrap.min.css", HTTP_HOST="localhost")
print("DEBUG", settings.DEBUG)
print("PAGE", page.status_code, "Traceback" in body or "a bug in a page" in body, "Something went wrong" in body)
print("STATIC", static.status_code)
"""


@pytest.mark.parametrize(("debug", "expected"), [({}, "False"), ({"DEBUG": ""}, "False"), ({"DEBUG": "true"}, "True")])
def test_development_settings_keep_debug_off_unless_asked(tmp_path, debug, expected):
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print('DEBUG', settings.DEBUG)",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="",
        **debug,
    )
    assert result.returncode == 0, result.stderr
    assert f"DEBUG {expected}" in result.stdout.splitlines()


def test_development_settings_show_the_portal_500_page_not_the_debug_page(tmp_path):
    result = _manage("shell", "-c", _CRASHING_PAGE, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL="")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "DEBUG False" in lines
    assert "PAGE 500 False True" in lines, result.stdout  # the portal's page, no traceback
    assert "STATIC 200" in lines, result.stdout  # WhiteNoise serves static files with DEBUG off


# --- Security settings -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_csp_header_allows_no_inline_code(client):
    response = client.get("/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'")
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    # Every inline <script> of the page carries the header's nonce, or the browser blocks it.
    # (Django puts a nonce in the header only when a template used it.)
    html = response.content.decode()
    nonce = directives["script-src"].split("'nonce-")[1].split("'")[0] if "'nonce-" in policy else None
    for tag in [t.split(">")[0] for t in html.split("<script")[1:]]:
        if "src=" not in tag:
            assert nonce and f'nonce="{nonce}"' in tag, f"inline script without the CSP nonce: <script{tag}>"


def test_the_password_hasher_is_argon2():
    assert base_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    import argon2  # noqa: F401  (the hasher needs argon2-cffi installed)


def test_login_attempts_are_rate_limited():
    limits = base_settings.ACCOUNT_RATE_LIMITS
    assert isinstance(limits, dict)
    assert limits.get("login_failed")
    assert "signup" in limits and "reset_password" in limits


def test_production_settings_harden_cookies_and_transport():
    env = {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "example.org", "SECRET_KEY": GOOD_SECRET}
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0,"
        " s.PORTAL_REQUIRE_STAFF_MFA, s.DEBUG)"
    )
    result = _manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "True", "True", "True", "True", "False"]


# --- Staff MFA ---------------------------------------------------------------------------------

STAFF = [Role.AGENCY_STAFF, Role.HELPDESK_AGENT, Role.DIVISION_ANALYST, Role.PLATFORM_ADMIN]


@pytest.mark.django_db
@override_settings(PORTAL_REQUIRE_STAFF_MFA=True)
@pytest.mark.parametrize("role", STAFF)
def test_staff_without_totp_are_sent_to_enrol(client, tenant_a, role):
    client.force_login(user_with_role(role, tenant_a if role in {Role.AGENCY_STAFF, Role.HELPDESK_AGENT} else None))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The enrolment page itself (and signing out) stays reachable: no redirect loop.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert response["Location"] != reverse("mfa_activate_totp")
        assert response["Location"].startswith("/accounts/")


@pytest.mark.django_db
@override_settings(PORTAL_REQUIRE_STAFF_MFA=True)
def test_staff_with_totp_work_normally(client, tenant_a):
    user = user_with_role(Role.AGENCY_STAFF, tenant_a)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(user)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
@override_settings(PORTAL_REQUIRE_STAFF_MFA=True)
def test_msme_members_and_visitors_are_not_asked_for_totp(client, tenant_a):
    assert client.get("/").status_code == 200
    client.force_login(user_with_role(Role.MSME_MEMBER, tenant_a))
    assert client.get("/").status_code == 200


@pytest.mark.django_db
@override_settings(PORTAL_REQUIRE_STAFF_MFA=False)
def test_staff_mfa_is_off_unless_required(client, tenant_a):
    client.force_login(user_with_role(Role.AGENCY_STAFF, tenant_a))
    assert client.get("/").status_code == 200
