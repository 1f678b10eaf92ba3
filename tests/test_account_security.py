"""Sign-in and API-token security: the admin signs in through allauth (rate limits, MFA), staff need TOTP
for the API too, and tokens expire and die with the password or the membership they act in."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

import portal.settings.base as base_settings
from apps.accounts.models import ApiToken
from apps.accounts.services import api_token_create
from apps.core.roles import Role
from apps.tenants.context import tenant_context
from tests.factories import PASSWORD, MsmeFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/?next=/admin/"
ME = "/api/v1/me/"
MSMES = "/api/v1/msmes/"
TOKENS = "/accounts/tokens/"


def token_client(key: str) -> Client:
    return Client(headers={"Authorization": f"Token {key}"})


def _enrol_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _post_admin_login_form(client: Client, email: str, password: str):
    """What a browser does at the admin's login URL: open it, follow where it leads, post the form there."""
    page = client.get(ADMIN_LOGIN, follow=True)
    url = page.redirect_chain[-1][0] if page.redirect_chain else ADMIN_LOGIN
    return client.post(url, {"username": email, "login": email, "password": password})


@pytest.fixture
def rate_limits_on():
    """settings/test.py turns allauth's rate limits off; these tests need the real ones (kept in the cache)."""
    cache.clear()
    with override_settings(ACCOUNT_RATE_LIMITS=base_settings.ACCOUNT_RATE_LIMITS):
        yield
    cache.clear()


# --- 1. The Django admin signs in through allauth ----------------------------------------------


def test_the_admin_login_url_sends_to_the_portal_sign_in_with_next(client):
    response = client.get(ADMIN_LOGIN)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == ["/admin/"]
    # Posting to the admin's own login URL signs nobody in.
    admin = user_with_role(Role.PLATFORM_ADMIN)
    response = client.post(ADMIN_LOGIN, {"username": admin.email, "password": PASSWORD})
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_an_admin_with_totp_cannot_reach_the_admin_with_the_password_alone(client, tenant_a):
    admin = user_with_role(Role.PLATFORM_ADMIN)
    secret = _enrol_totp(admin)
    with tenant_context(tenant_a):
        MsmeFactory(name="Secret Tenant Enterprise")

    _post_admin_login_form(client, admin.email, PASSWORD)
    response = client.get("/admin/registry/msme/")
    assert response.status_code == 302, "the admin opened with the password alone"
    assert "Secret Tenant Enterprise" not in response.content.decode()

    # The second step, then the admin opens.
    response = client.get(reverse("mfa_authenticate"))
    assert response.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    response = client.get("/admin/registry/msme/")
    assert response.status_code == 200
    assert "Secret Tenant Enterprise" in response.content.decode()


def test_an_admin_session_that_skipped_mfa_cannot_enter_the_admin(client):
    admin = user_with_role(Role.PLATFORM_ADMIN)
    _enrol_totp(admin)
    client.force_login(admin)  # a session with no MFA step, as Django's own admin login made
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")
    assert SESSION_KEY not in client.session
    assert client.get("/admin/").status_code == 302


def test_an_admin_without_totp_still_signs_in_where_mfa_is_not_required(client):
    admin = user_with_role(Role.PLATFORM_ADMIN)
    response = _post_admin_login_form(client, admin.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Signed in, the admin's login URL goes straight on.
    response = client.get(ADMIN_LOGIN)
    assert (response.status_code, response["Location"]) == (302, "/admin/")


@override_settings(PORTAL_REQUIRE_STAFF_MFA=True)
def test_where_staff_mfa_is_required_an_admin_without_totp_is_sent_to_enrol(client):
    client.force_login(UserFactory(is_staff=True))  # Django-admin staff with no portal role
    response = client.get("/admin/", follow=True)
    assert reverse("mfa_activate_totp") in [url for url, _status in response.redirect_chain]


def test_a_signed_in_non_staff_user_is_refused_at_the_admin_login(client, tenant_a):
    client.force_login(user_with_role(Role.AGENCY_STAFF, tenant_a))
    assert client.get(ADMIN_LOGIN).status_code == 403


def test_wrong_passwords_through_the_admin_login_are_throttled(client, rate_limits_on):
    admin = user_with_role(Role.PLATFORM_ADMIN)
    responses = [_post_admin_login_form(client, admin.email, "wrong-password") for _ in range(25)]
    refused = [i for i, r in enumerate(responses) if "Too many failed login attempts" in r.content.decode()]
    assert refused and refused[0] <= 5, [r.status_code for r in responses]
    # Locked out: even the right password does not sign in now.
    _post_admin_login_form(client, admin.email, PASSWORD)
    assert SESSION_KEY not in client.session
    assert client.get("/admin/").status_code == 302


# --- 2. Staff need TOTP for API tokens and the API -----------------------------------------------


@override_settings(PORTAL_REQUIRE_STAFF_MFA=True)
def test_staff_without_totp_cannot_mint_a_token(client, tenant_a):
    user = user_with_role(Role.AGENCY_STAFF, tenant_a)
    client.force_login(user)
    page = client.get(TOKENS)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Set up an authenticator app" in text
    assert reverse("mfa_activate_totp") in text
    response = client.post(TOKENS, {"name": "CRM sync", "expires_in": "90"})
    assert response.status_code == 403
    assert not ApiToken.objects.filter(user=user).exists()
    with pytest.raises(PermissionDenied):
        api_token_create(user=user, membership=user.memberships.get(), name="service call")


@override_settings(PORTAL_REQUIRE_STAFF_MFA=True)
def test_staff_with_totp_and_members_mint_tokens(client, tenant_a):
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    _enrol_totp(staff)
    client.force_login(staff)
    response = client.post(TOKENS, {"name": "CRM sync", "expires_in": "90"})
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=staff).count() == 1
    member = user_with_role(Role.MSME_MEMBER, tenant_a)
    client.force_login(member)
    client.post(TOKENS, {"name": "My books", "expires_in": "never"})
    assert ApiToken.objects.filter(user=member).count() == 1


@override_settings(PORTAL_REQUIRE_STAFF_MFA=True)
def test_a_staff_token_of_a_user_without_totp_is_refused(tenant_a):
    user = user_with_role(Role.AGENCY_STAFF, tenant_a)
    with override_settings(PORTAL_REQUIRE_STAFF_MFA=False):  # made before the rule, or before TOTP was removed
        _token, key = api_token_create(user=user, membership=user.memberships.get(), name="old")
    with tenant_context(tenant_a):
        MsmeFactory(name="Listed Enterprise")
    for url in (MSMES, ME):
        response = token_client(key).get(url)
        assert response.status_code == 403, (url, response.content)
        assert response["Content-Type"].startswith("application/json")
        assert "authenticator" in response.json()["detail"]
        assert reverse("mfa_activate_totp") in response.json()["detail"]
        assert "Listed Enterprise" not in response.content.decode()
    _enrol_totp(user)
    assert token_client(key).get(MSMES).status_code == 200


@override_settings(PORTAL_REQUIRE_STAFF_MFA=True)
def test_the_session_api_refuses_staff_without_totp(client, tenant_a):
    client.force_login(user_with_role(Role.AGENCY_STAFF, tenant_a))
    response = client.get(MSMES)
    assert response.status_code == 403
    assert "authenticator" in response.json()["detail"]
    member = user_with_role(Role.MSME_MEMBER, tenant_a)
    client.force_login(member)
    assert client.get(ME).status_code == 200


# --- 3. Tokens expire, and die with the password or the membership ------------------------------


@pytest.fixture
def staff(tenant_a):
    return user_with_role(Role.AGENCY_STAFF, tenant_a)


def test_a_token_can_expire(staff, monkeypatch):
    _token, key = api_token_create(
        user=staff, membership=staff.memberships.get(), name="short", lifetime=timedelta(days=30)
    )
    assert token_client(key).get(ME).status_code == 200  # and now in the cache (apps.accounts.token_cache)
    later = timezone.now() + timedelta(days=30, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = token_client(key).get(ME)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_the_tokens_page_offers_expiry_and_shows_it(client, staff):
    client.force_login(staff)
    assert client.post(TOKENS, {"name": "monthly", "expires_in": "30"}).status_code == 200
    token = ApiToken.objects.get(user=staff)
    assert token.expires_at is not None
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)
    client.post(TOKENS, {"name": "forever", "expires_in": "never"})
    assert ApiToken.objects.get(user=staff, name="forever").expires_at is None
    client.post(TOKENS, {"name": "default"})  # no choice sent: 90 days
    default = ApiToken.objects.get(user=staff, name="default").expires_at - timezone.now()
    assert timedelta(days=89, hours=23) < default <= timedelta(days=90)
    response = client.post(TOKENS, {"name": "odd", "expires_in": "7000"})
    assert response.status_code == 400
    assert not ApiToken.objects.filter(name="odd").exists()

    token.last_used_at = timezone.now() - timedelta(days=2)
    token.save(update_fields=["last_used_at"])
    ApiToken.objects.filter(name="forever").update(expires_at=timezone.now() - timedelta(days=1))
    response = client.get(TOKENS)
    text = response.content.decode()
    assert "Expires" in text
    assert ">expired<" in text
    assert date_format(timezone.localtime(token.expires_at), "SHORT_DATETIME_FORMAT") in text
    assert date_format(timezone.localtime(token.last_used_at), "SHORT_DATETIME_FORMAT") in text


def test_changing_the_password_revokes_every_token(client, staff):
    _token, key = api_token_create(user=staff, membership=staff.memberships.get(), name="a")
    _token, other_key = api_token_create(user=staff, membership=None, name="b")
    client.force_login(staff)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-new-horse-battery-9", "password2": "a-new-horse-battery-9"},
    )
    assert response.status_code == 302, response.content
    assert token_client(key).get(ME).status_code == 401
    assert token_client(other_key).get(ME).status_code == 401
    assert all(token.revoked_at for token in ApiToken.objects.filter(user=staff))


def test_a_password_reset_revokes_every_token(client, staff):
    from django.core import mail

    _token, key = api_token_create(user=staff, membership=staff.memberships.get(), name="a")
    client.post(reverse("account_reset_password"), {"email": staff.email})
    link = next(word for word in mail.outbox[-1].body.split() if "/password/reset/key/" in word)
    response = client.get(urlsplit(link).path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else urlsplit(link).path
    response = client.post(form_url, {"password1": "a-new-horse-battery-9", "password2": "a-new-horse-battery-9"})
    assert response.status_code == 302, response.content
    assert token_client(key).get(ME).status_code == 401


def test_set_password_anywhere_revokes_tokens_but_a_hash_upgrade_does_not(staff):
    _token, key = api_token_create(user=staff, membership=None, name="a")
    # Django checks a password and re-hashes it when the hasher changes: not a password change.
    with override_settings(
        PASSWORD_HASHERS=[
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
            "django.contrib.auth.hashers.MD5PasswordHasher",
        ]
    ):
        assert staff.check_password(PASSWORD)
    staff.refresh_from_db()
    assert staff.password.startswith("pbkdf2_")
    assert token_client(key).get(ME).status_code == 200
    # The admin's password form, `manage.py changepassword`: set_password, then save.
    staff.set_password("another-horse-battery-8")
    staff.save()
    assert token_client(key).get(ME).status_code == 401


def test_a_token_dies_with_its_membership(staff, tenant_a):
    membership = staff.memberships.get()
    _token, key = api_token_create(user=staff, membership=membership, name="a")
    _token, other_key = api_token_create(user=staff, membership=None, name="no agency")
    membership.delete()
    assert token_client(key).get(ME).status_code == 401
    assert token_client(other_key).get(ME).status_code == 200


def test_a_token_of_a_deactivated_agency_is_refused(staff, tenant_a):
    _token, key = api_token_create(user=staff, membership=staff.memberships.get(), name="a")
    tenant_a.is_active = False
    tenant_a.save(update_fields=["is_active"])
    response = token_client(key).get(ME)
    assert response.status_code == 401, response.content


@pytest.mark.django_db
def test_the_daily_task_deletes_the_expired_sessions_and_keeps_the_others():
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from apps.accounts.tasks import clear_expired_sessions

    now = timezone.now()
    Session.objects.create(session_key="e" * 32, session_data="", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="l" * 32, session_data="", expire_date=now + timedelta(days=1))
    clear_expired_sessions.delay()
    assert set(Session.objects.values_list("session_key", flat=True)) == {"l" * 32}
    assert settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]["task"] == clear_expired_sessions.name
