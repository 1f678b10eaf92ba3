"""Steps shared by the browser tests; they rely only on the base template's hooks (ids and data-nav)."""

from __future__ import annotations

from apps.core.navigation import navigation_for
from apps.core.roles import Role

TRANSPARENT = {"rgba(0, 0, 0, 0)", "transparent"}
LOGIN_PATH = "/accounts/login/"


def expected_nav(role: Role | None) -> set[str]:
    """The data-nav names the page must show: whatever the navigation offers that role today."""
    return {str(entry["name"]) for entry in navigation_for(role)}


def shown_nav(page) -> set[str]:
    return set(page.locator("#main-nav [data-nav]").evaluate_all("links => links.map(a => a.dataset.nav)"))


def sign_in(page, base_url: str, email: str, password: str) -> None:
    """Fill and submit the real sign-in form; waits for the response to the POST to load."""
    page.goto(base_url + LOGIN_PATH)
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill(password)
    with page.expect_navigation():
        form.locator("[type='submit']").first.click()


def assert_styled(page) -> None:
    """Bootstrap and the portal's CSS loaded: the navbar has a background colour."""
    colour = page.locator("nav.navbar").first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in TRANSPARENT, f"the navbar has no background ({colour}): the stylesheets did not load"
