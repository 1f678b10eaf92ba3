"""Each role signs in through the real form and gets its own navigation; visitors get none of it."""

from __future__ import annotations

import pytest

from apps.core.roles import Role
from tests.browser.helpers import LOGIN_PATH, assert_styled, expected_nav, shown_nav, sign_in
from tests.factories import PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TENANT_ROLES = {Role.MSME_MEMBER, Role.HELPDESK_AGENT, Role.AGENCY_STAFF}


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_each_role_signs_in_and_sees_its_navigation(page, live_server, tenant_a, role):
    tenant = tenant_a if role in TENANT_ROLES else None
    user = user_with_role(role, tenant)

    sign_in(page, live_server.url, user.email, PASSWORD)

    assert page.url.rstrip("/") == live_server.url, f"sign-in should land on the home page, got {page.url}"
    current_role = page.locator("#current-role")
    assert str(role.label) in current_role.inner_text()
    if tenant is not None:
        assert tenant.name in current_role.inner_text()
    else:
        assert tenant_a.name not in current_role.inner_text()
    assert shown_nav(page) == expected_nav(role)
    assert ("admin:index" in shown_nav(page)) is (role == Role.PLATFORM_ADMIN)
    assert page.locator(f"#main-nav a[href='{LOGIN_PATH}']").count() == 0
    assert_styled(page)


def test_admin_sees_administration_but_msme_member_does_not(new_page, live_server, tenant_a):
    admin = user_with_role(Role.PLATFORM_ADMIN)
    member = user_with_role(Role.MSME_MEMBER, tenant_a)

    admin_page = new_page()
    sign_in(admin_page, live_server.url, admin.email, PASSWORD)
    assert admin_page.locator("#main-nav [data-nav='admin:index']").count() == 1

    member_page = new_page()
    sign_in(member_page, live_server.url, member.email, PASSWORD)
    assert member_page.locator("#current-role").inner_text().startswith(str(Role.MSME_MEMBER.label))
    assert member_page.locator("#main-nav [data-nav='admin:index']").count() == 0


def test_visitor_sees_sign_in_and_sign_up_and_no_role(page, live_server):
    page.goto(live_server.url + "/")

    assert page.locator("#current-role").count() == 0
    assert page.locator("a[href='/accounts/login/']").count() >= 1
    assert page.locator("a[href='/accounts/signup/']").count() >= 1
    assert shown_nav(page) == expected_nav(None)
    assert "admin:index" not in shown_nav(page)
    assert_styled(page)


def test_wrong_password_shows_an_error_and_does_not_sign_in(page, live_server, tenant_a):
    user = user_with_role(Role.MSME_MEMBER, tenant_a)

    sign_in(page, live_server.url, user.email, "not-" + PASSWORD)

    assert page.url.startswith(live_server.url + LOGIN_PATH)
    error = page.locator("main [role='alert'], main .alert-danger, main .invalid-feedback")
    assert error.count() >= 1, "the sign-in page shows no error for a wrong password"
    assert error.first.is_visible()
    assert page.locator("#current-role").count() == 0

    # The home page, with this context's cookies, still shows no role (the page itself stays on the error).
    home = page.context.request.get(live_server.url + "/")
    assert home.ok
    assert 'id="current-role"' not in home.text()


def test_sign_in_works_without_javascript(new_page, live_server, tenant_a):
    user = user_with_role(Role.AGENCY_STAFF, tenant_a)
    page = new_page(java_script_enabled=False)

    sign_in(page, live_server.url, user.email, PASSWORD)

    current_role = page.locator("#current-role").inner_text()
    assert str(Role.AGENCY_STAFF.label) in current_role
    assert tenant_a.name in current_role
    assert shown_nav(page) == expected_nav(Role.AGENCY_STAFF)
    assert_styled(page)


def test_no_content_security_policy_violations(new_page, live_server, console_log, tenant_a):
    """The home and sign-in pages, as a visitor and signed in, with JavaScript on: the console stays clean."""
    user = user_with_role(Role.MSME_MEMBER, tenant_a)
    page = new_page()

    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    page.goto(live_server.url + LOGIN_PATH)
    page.wait_for_load_state("networkidle")
    sign_in(page, live_server.url, user.email, PASSWORD)
    page.wait_for_load_state("networkidle")
    assert page.locator("#current-role").count() == 1

    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())


def test_the_csp_check_catches_a_violation(page, live_server, console_log):
    """Guards the test above: the policy is enforced, and a violation does reach the console log."""
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("() => window.inlineRan === undefined"), "an inline script without the nonce ran"
    assert console_log.csp_violations(), "a blocked inline script left no 'Refused to' message in the console"
