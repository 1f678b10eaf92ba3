"""The pages of the portal's frame: home, error pages, API tokens, the switch page and allauth's pages in our layout."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import path

from apps.accounts.models import ApiToken, hash_token_key
from apps.accounts.services import api_token_create
from apps.core.roles import Role
from portal.urls import urlpatterns as portal_urlpatterns
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- A tiny URLconf: the portal's pages plus views that fail on purpose --------------------------


def forbidden_with_reason(request):
    raise PermissionDenied("Only agency staff may open the MSME registry.")


def forbidden_plain(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test-forbidden/", forbidden_with_reason),
    path("test-forbidden-plain/", forbidden_plain),
    path("test-broken/", broken),
    *portal_urlpatterns,
]
handler403 = "apps.core.views.permission_denied"

with_failing_views = override_settings(ROOT_URLCONF=__name__)


# --- Helpers -------------------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)


def assert_in_portal_layout(text: str) -> None:
    """Our frame, with its hooks, and nothing the Content-Security-Policy would block."""
    assert '<a class="visually-hidden-focusable skip-link" href="#main">' in text
    assert '<main id="main"' in text
    assert re.search(r"<nav[^>]*>.*<ul[^>]*id=\"main-nav\"", text, re.S)
    assert 'id="language-select"' in text
    assert 'href="/static/css/portal.css"' in text
    assert not INLINE_SCRIPT.search(text), INLINE_SCRIPT.search(text).group(0)
    assert not INLINE_STYLE.search(text), INLINE_STYLE.search(text).group(0)


def labelled_inputs_are_labelled(text: str) -> None:
    """Every visible form control has a <label for=...>."""
    ids = re.findall(r"<(?:input|select|textarea)\b(?![^>]*type=\"(?:hidden|submit)\")[^>]*\bid=\"([^\"]+)\"", text)
    assert ids, "no form controls found"
    for control_id in ids:
        assert f'for="{control_id}"' in text, f"control #{control_id} has no label"


# --- Home ------------------------------------------------------------------------------------------


def test_home_page_explains_the_portal_to_a_visitor(client):
    response = client.get("/")

    assert response.status_code == 200
    text = response.content.decode()
    assert_in_portal_layout(text)
    assert "What intellectual property might your business have?" in text
    for offer in ("Learn what protects what", "Check your IP maturity", "Get an action plan", "Keep track of your IP"):
        assert offer in text
    assert "helpdesk" in text
    assert 'href="/accounts/signup/"' in text
    assert 'id="current-role"' not in text
    assert "Content-Security-Policy" in response.headers


def test_home_page_shows_the_signed_in_role_and_agency(client, login_as, tenant_a):
    login_as(Role.MSME_MEMBER, tenant_a)

    text = client.get("/").content.decode()

    role = re.search(r'<span[^>]*id="current-role"[^>]*>(.*?)</span>', text, re.S)
    assert role
    assert "MSME member" in role.group(1)
    assert "Agency A" in role.group(1)
    assert "Your workspace" in text
    assert 'action="/accounts/logout/"' in text


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (None, True),
        (Role.MSME_MEMBER, True),
        (Role.AGENCY_STAFF, False),
        (Role.HELPDESK_AGENT, False),
        (Role.DIVISION_ANALYST, False),
    ],
)
def test_home_page_offers_a_business_s_own_tools_only_to_those_who_can_use_them(
    client, login_as, tenant_a, role, offered
):
    if role is not None:
        login_as(role, tenant_a if role is not Role.DIVISION_ANALYST else None)

    text = client.get("/").content.decode()

    for link in ('href="/registry/mine/"', 'href="/reminders/"', 'href="/helpdesk/"'):
        assert (link in text) is offered, link
    assert "Open my business" in text if offered else "Open my business" not in text
    assert 'href="/guidance/calculators/"' in text


def test_navigation_entries_carry_their_url_name(client, login_as):
    login_as(Role.PLATFORM_ADMIN)

    text = client.get("/").content.decode()

    nav = re.search(r'<ul[^>]*id="main-nav"[^>]*>(.*?)</ul>', text, re.S)
    assert nav
    assert 'data-nav="admin:index"' in nav.group(1)


# --- Error pages -------------------------------------------------------------------------------------


def test_unknown_address_shows_our_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    text = response.content.decode()
    assert "Page not found" in text
    assert "There is no page at this address" in text
    assert 'href="/"' in text
    assert_in_portal_layout(text)


@with_failing_views
def test_403_page_gives_the_reason_and_lets_a_visitor_sign_in(client):
    response = client.get("/test-forbidden/")

    assert response.status_code == 403
    text = response.content.decode()
    assert "You cannot open this page" in text
    assert "Only agency staff may open the MSME registry." in text
    assert 'href="/accounts/login/?next=/test-forbidden/"' in text
    assert_in_portal_layout(text)


@with_failing_views
def test_403_page_tells_a_signed_in_user_their_role_and_what_to_do(client, login_as, tenant_a):
    login_as(Role.MSME_MEMBER, tenant_a)

    response = client.get("/test-forbidden-plain/")

    assert response.status_code == 403
    text = response.content.decode()
    assert "This page belongs to another role or another agency than yours." in text
    assert "You are signed in as MSME member." in text
    assert "You are working in Agency A." in text
    assert "ask your agency&#x27;s administrator" in text or "ask your agency's administrator" in text


@with_failing_views
def test_403_page_offers_to_switch_agency_to_a_member_of_several(client, login_as, tenant_a, tenant_b):
    user = login_as(Role.AGENCY_STAFF, tenant_a)
    MembershipFactory(user=user, tenant=tenant_b, role=Role.AGENCY_STAFF.value)

    text = client.get("/test-forbidden-plain/").content.decode()

    assert 'href="/tenants/switch/?next=/test-forbidden-plain/"' in text


@with_failing_views
def test_500_page_stands_alone(client):
    client.raise_request_exception = False

    response = client.get("/test-broken/")

    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong on our side" in text
    assert "vendor/bootstrap/css/bootstrap.min.css" in text


def test_500_template_renders_without_a_request():
    text = render_to_string("500.html")

    assert "Something went wrong on our side" in text
    assert '<html lang="en" dir="ltr"' in text
    assert not INLINE_SCRIPT.search(text)
    assert not INLINE_STYLE.search(text)


# --- API tokens -------------------------------------------------------------------------------------

TOKENS_URL = "/accounts/tokens/"


def new_token_key(text: str) -> str | None:
    match = re.search(r'<code id="new-token-key"[^>]*>([^<]+)</code>', text)
    return match.group(1) if match else None


def test_tokens_page_needs_a_signed_in_user(client):
    response = client.get(TOKENS_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_tokens_page_lists_nothing_at_first(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)

    response = client.get(TOKENS_URL)

    assert response.status_code == 200
    text = response.content.decode()
    assert "You have no API tokens yet." in text
    assert new_token_key(text) is None
    assert_in_portal_layout(text)
    labelled_inputs_are_labelled(text)


@pytest.mark.parametrize("name", ["", "   "])
def test_token_with_a_blank_name_is_refused(client, login_as, tenant_a, name):
    login_as(Role.AGENCY_STAFF, tenant_a)

    response = client.post(TOKENS_URL, {"name": name})

    assert response.status_code == 400
    text = response.content.decode()
    assert 'class="form-control is-invalid"' in text
    assert 'id="name-errors"' in text
    assert 'aria-invalid="true"' in text
    assert new_token_key(text) is None
    assert not ApiToken.objects.exists()


def test_token_key_is_shown_once(client, login_as, tenant_a):
    user = login_as(Role.AGENCY_STAFF, tenant_a)

    response = client.post(TOKENS_URL, {"name": "CRM synchronisation"})

    assert response.status_code == 200
    key = new_token_key(response.content.decode())
    assert key
    token = ApiToken.objects.get()
    assert token.user == user
    assert token.name == "CRM synchronisation"
    assert token.membership.tenant == tenant_a
    assert token.key_hash == hash_token_key(key)
    assert key not in str(ApiToken.objects.values_list())  # only the hash is stored

    again = client.get(TOKENS_URL).content.decode()
    assert new_token_key(again) is None
    assert key not in again
    assert "CRM synchronisation" in again
    assert f"{token.prefix}…" in again


def test_token_can_be_revoked(client, login_as, tenant_a):
    user = login_as(Role.AGENCY_STAFF, tenant_a)
    token, _key = api_token_create(user=user, membership=user.memberships.get(), name="Old script")

    response = client.post(f"/accounts/tokens/{token.id}/revoke/", follow=True)

    assert response.redirect_chain == [(TOKENS_URL, 302)]
    token.refresh_from_db()
    assert token.revoked_at is not None
    text = response.content.decode()
    assert "The token was revoked." in text
    assert f'action="/accounts/tokens/{token.id}/revoke/"' not in text
    assert "revoked" in text


def test_revoking_a_token_needs_post(client, login_as, tenant_a):
    user = login_as(Role.AGENCY_STAFF, tenant_a)
    token, _key = api_token_create(user=user, membership=None, name="Script")

    assert client.get(f"/accounts/tokens/{token.id}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_someone_elses_token_is_404(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    other = UserFactory()
    MembershipFactory(user=other, tenant=tenant_a, role=Role.AGENCY_STAFF.value)
    token, _key = api_token_create(user=other, membership=other.memberships.get(), name="Theirs")

    response = client.post(f"/accounts/tokens/{token.id}/revoke/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_an_already_revoked_token_is_404(client, login_as, tenant_a):
    user = login_as(Role.AGENCY_STAFF, tenant_a)
    token, _key = api_token_create(user=user, membership=None, name="Twice")
    client.post(f"/accounts/tokens/{token.id}/revoke/")

    assert client.post(f"/accounts/tokens/{token.id}/revoke/").status_code == 404


# --- Switching agency -----------------------------------------------------------------------------


def test_switch_page_lists_the_users_agencies(client, login_as, tenant_a, tenant_b):
    user = login_as(Role.AGENCY_STAFF, tenant_a)
    MembershipFactory(user=user, tenant=tenant_b, role=Role.HELPDESK_AGENT.value)

    response = client.get("/tenants/switch/?next=/accounts/tokens/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "Agency A" in text
    assert "Agency B" in text
    assert '<input type="hidden" name="next" value="/accounts/tokens/">' in text
    labelled_inputs_are_labelled(text)
    assert_in_portal_layout(text)

    switched = client.post("/tenants/switch/", {"tenant": "bb", "next": "/accounts/tokens/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/accounts/tokens/"
    assert "Helpdesk agent · Agency B" in client.get("/").content.decode()


def test_switch_page_without_memberships(client, login_as):
    login_as(None)

    text = client.get("/tenants/switch/").content.decode()

    assert "You are not a member of any agency yet." in text


# --- allauth's pages in our layout ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/login/", "Sign in"),
        ("/accounts/signup/", "Sign up"),
        ("/accounts/password/reset/", "Password reset"),
        ("/accounts/confirm-email/", "Verify your e-mail address"),
    ],
)
def test_allauth_entrance_pages_use_our_layout(client, url, heading):
    # In sentence case, as the rest of the portal: locale/en overrides the library's "Sign In".
    response = client.get(url)

    assert response.status_code == 200
    text = response.content.decode()
    assert_in_portal_layout(text)
    assert re.search(rf"<h1[^>]*>\s*{heading}\s*</h1>", text)
    assert "MSME IP portal</title>" in text
    if "<form" in text and "form-control" in text:
        labelled_inputs_are_labelled(text)


def test_login_form_fields_are_labelled_bootstrap_controls(client):
    text = client.get("/accounts/login/").content.decode()

    assert re.search(r'<label class="form-label" for="id_login">', text)
    assert re.search(r'<input class="form-control" type="email" name="login" dir="ltr"[^>]*autocomplete="email"', text)
    assert re.search(r'<input class="form-control" type="password" name="password" dir="ltr"', text)
    assert 'class="form-check-input" type="checkbox" name="remember"' in text
    assert re.search(r'<button class="btn btn-primary w-100"[^>]*type="submit"', text)


def test_login_errors_are_shown_next_to_the_form(client):
    response = client.post("/accounts/login/", {"login": "nobody@example.org", "password": "wrong"})

    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="alert alert-danger" role="alert"' in text


def test_signup_errors_are_tied_to_their_field(client):
    response = client.post("/accounts/signup/", {"email": "not-an-address", "password1": "x", "password2": "y"})

    text = response.content.decode()
    assert 'aria-invalid="true"' in text
    assert 'id="id_email_error"' in text
    assert re.search(r'aria-describedby="[^"]*id_email_error', text)


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/email/", "E-mail addresses"),
        ("/accounts/password/change/", "Change password"),
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/reauthenticate/", "Confirm access"),
    ],
)
def test_allauth_account_pages_use_our_layout_with_the_account_menu(client, login_as, tenant_a, url, heading):
    login_as(Role.MSME_MEMBER, tenant_a)

    response = client.get(url)

    assert response.status_code == 200
    text = response.content.decode()
    assert_in_portal_layout(text)
    assert re.search(rf"<h1[^>]*>\s*{heading}\s*</h1>", text)
    assert 'href="/accounts/profile/"' in text  # "My account", and the account menu where there is one
    labelled_inputs_are_labelled(text)


def test_authenticator_app_activation_page(client, tenant_a):
    """allauth asks for the password again first; then: QR code, secret and code field, all labelled."""
    user = UserFactory()
    MembershipFactory(user=user, tenant=tenant_a)
    client.force_login(user)
    confirmed = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert confirmed.status_code == 302

    response = client.get("/accounts/2fa/totp/activate/")

    assert response.status_code == 200
    text = response.content.decode()
    assert_in_portal_layout(text)
    assert re.search(r"<h1[^>]*>\s*Activate authenticator app\s*</h1>", text)
    assert re.search(r'<img src="data:image/svg\+xml[^"]*" class="img-fluid d-block mb-3 portal-qr', text)
    assert 'id="authenticator_secret"' in text
    labelled_inputs_are_labelled(text)


@pytest.mark.parametrize("path", ["/", "/about/contact/"])
def test_the_home_and_contact_pages_point_to_the_helpdesk(client, path):
    assert 'href="/helpdesk/"' in client.get(path).content.decode()
