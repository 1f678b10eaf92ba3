"""The frame of every page in a real browser: a menu that folds away on a phone (and still works without
JavaScript), every link shown on a desktop, readable contrast in the header and footer, in both directions.

Each test leaves a full-page screenshot in test-artifacts/browser/ (conftest.py): the home page in English and
Arabic, on a desktop and on a phone, is worth a look after any change to base.html or portal.css.
"""

from __future__ import annotations

import pytest

from apps.core.roles import Role
from tests.browser.conftest import REPO_ROOT
from tests.browser.helpers import assert_styled, expected_nav, shown_nav, sign_in
from tests.factories import PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
LANGUAGES = ["en", "ar"]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "layout"

# Every element of the header and footer that draws text, with its colour, the colour behind it (the nearest
# ancestor's background, transparent layers blended over it) and its WCAG 2.x contrast ratio.
CONTRAST_JS = """
(root) => {
  const parse = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour.a > 0) {
        layers.push(colour);
        if (colour.a >= 1) break;
      }
    }
    let result = {r: 255, g: 255, b: 255, a: 1};
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = (c) => {
    const channel = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  };
  const results = [];
  for (const el of root.querySelectorAll("*")) {
    const ownText = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText || !el.checkVisibility()) continue;
    const bg = background(el);
    const fg = over(parse(getComputedStyle(el).color), bg);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    results.push({
      text: el.textContent.trim().slice(0, 40),
      tag: el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : ""),
      ratio: (hi + 0.05) / (lo + 0.05),
    });
  }
  return results;
}
"""


def header_height(page) -> float:
    return page.locator("header").bounding_box()["height"]


def screenshot(page, name: str) -> None:
    """What the viewport shows (the full page is saved by conftest.py)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def low_contrast(page, selector: str) -> list[str]:
    found = []
    for root in page.locator(selector).all():
        for item in root.evaluate(CONTRAST_JS):
            if item["ratio"] < 4.5:
                found.append(f"{item['ratio']:.2f}:1 {item['tag']} {item['text']!r}")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_on_a_desktop(new_page, live_server, language):
    page = new_page(viewport=DESKTOP, locale=language)

    page.goto(live_server.url + "/")

    screenshot(page, f"home-{language}-desktop")
    assert page.locator("html").get_attribute("lang") == language
    assert_styled(page)
    assert page.locator(".navbar-toggler").is_hidden()
    for link in page.locator("#main-nav [data-nav]").all():
        assert link.is_visible(), link.get_attribute("data-nav")


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_on_a_phone_folds_the_menu_away(new_page, live_server, language):
    page = new_page(viewport=PHONE, locale=language, is_mobile=True, has_touch=True)

    page.goto(live_server.url + "/")

    screenshot(page, f"home-{language}-phone")
    assert_styled(page)
    assert header_height(page) < 0.25 * PHONE["height"], f"the header takes {header_height(page)}px"
    toggler = page.locator("button.navbar-toggler")
    assert toggler.is_visible()
    brand = page.locator(".navbar-brand").bounding_box()
    assert toggler.bounding_box()["y"] < brand["y"] + brand["height"], "the menu button is pushed below the name"
    assert toggler.get_attribute("aria-controls") == "portal-menu"
    assert toggler.get_attribute("aria-expanded") == "false"
    assert page.locator("#main-nav").is_hidden()

    toggler.click()

    page.locator("#portal-menu.show:not(.collapsing)").wait_for(state="visible")
    screenshot(page, f"home-{language}-phone-menu")
    assert toggler.get_attribute("aria-expanded") == "true"
    for link in page.locator("#main-nav [data-nav]").all():
        assert link.is_visible(), link.get_attribute("data-nav")
    assert page.locator("#portal-menu a[href='/accounts/login/']").is_visible()
    with page.expect_navigation():
        page.locator("#main-nav [data-nav='guidance:index']").click()
    assert page.url == live_server.url + "/guidance/"


def test_the_menu_button_is_named_menu(new_page, live_server):
    page = new_page(viewport=PHONE)

    page.goto(live_server.url + "/")

    assert page.get_by_role("button", name="Menu").is_visible()


def test_on_a_phone_without_javascript_the_menu_is_shown_open(new_page, live_server):
    page = new_page(viewport=PHONE, java_script_enabled=False)

    page.goto(live_server.url + "/")

    assert page.locator("html").get_attribute("class") == "no-js"
    assert page.locator("button.navbar-toggler").is_hidden(), "a button that cannot work without JavaScript"
    for link in page.locator("#main-nav [data-nav]").all():
        assert link.is_visible(), link.get_attribute("data-nav")
    with page.expect_navigation():
        page.locator("#main-nav [data-nav='diagnostics:start']").click()
    assert page.url == live_server.url + "/diagnostic/"


def test_a_signed_in_agency_staff_member_sees_every_link_on_a_desktop_and_in_the_phone_menu(
    new_page, live_server, tenant_a
):
    user = user_with_role(Role.AGENCY_STAFF, tenant_a)
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server.url, user.email, PASSWORD)

    assert shown_nav(page) == expected_nav(Role.AGENCY_STAFF)
    for link in page.locator("#main-nav [data-nav]").all():
        assert link.is_visible(), link.get_attribute("data-nav")

    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, "home-agency-staff-phone")
    assert header_height(page) < 0.25 * PHONE["height"], f"the header takes {header_height(page)}px"
    page.get_by_role("button", name="Menu").click()
    page.locator("#main-nav").wait_for(state="visible")
    for link in page.locator("#main-nav [data-nav]").all():
        assert link.is_visible(), link.get_attribute("data-nav")
    assert page.get_by_role("button", name="Sign out").is_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_and_footer_text_meet_wcag_aa_contrast(new_page, live_server, tenant_a, language):
    user = user_with_role(Role.MSME_MEMBER, tenant_a)
    visitor = new_page(viewport=DESKTOP, locale=language)
    visitor.goto(live_server.url + "/")
    member = new_page(viewport=DESKTOP, locale=language)
    sign_in(member, live_server.url, user.email, PASSWORD)

    for page in (visitor, member):
        found = low_contrast(page, "header, footer")
        assert found == [], "\n".join(found)
