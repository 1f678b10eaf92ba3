"""Steps shared by the browser tests; they rely only on the base template's hooks (ids and data-nav)."""

from __future__ import annotations

from pathlib import Path

from apps.core.navigation import navigation_for
from apps.core.roles import Role

TRANSPARENT = {"rgba(0, 0, 0, 0)", "transparent"}
LOGIN_PATH = "/accounts/login/"
REPO_ROOT = Path(__file__).resolve().parents[2]


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


# axe-core comes from npm as a development dependency: the tests inject it, the portal never serves it.
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SHOWN_TARGETS = 3


def accessibility_violations(page) -> list[dict]:
    """axe-core's violations of WCAG 2.2 AA (levels A and AA of 2.0, 2.1 and 2.2) on the page as it is now."""
    assert AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing: run `make assets` (npm ci installs axe-core)"
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return results["violations"]


def describe_violations(violations: list[dict]) -> list[str]:
    """One line per violation: its id, impact, the first few elements it found, why the first one fails, and
    where to read about it."""
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:SHOWN_TARGETS]]
        more = len(violation["nodes"]) - len(targets)
        shown = "; ".join(targets) + (f" (and {more} more)" if more > 0 else "")
        checks = [check for node in violation["nodes"][:1] for kind in ("any", "all", "none") for check in node[kind]]
        why = f" ({checks[0]['message']})" if checks else ""
        lines.append(f"{violation['id']} [{violation['impact']}] at {shown}{why}: {violation['helpUrl']}")
    return lines


def assert_accessible(page) -> None:
    """Fails listing each WCAG 2.2 AA violation axe-core finds on the page."""
    violations = accessibility_violations(page)
    assert not violations, f"{page.url}: {len(violations)} accessibility violation(s):\n" + "\n".join(
        describe_violations(violations)
    )


MAX_TABS = 150


def tab_to(page, selector: str) -> None:
    """Press Tab (keyboard only) until the focused element matches the CSS selector, and check that the focus
    shows (WCAG 2.4.7): an outline or a box shadow. Fails when the element is not reached in MAX_TABS presses."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement?.matches(selector) ?? false", selector):
            ring = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return s.outlineStyle !== 'none' && s.outlineWidth !== '0px' || s.boxShadow !== 'none'; }"
            )
            assert ring, f"{selector} has the focus but shows no focus ring"
            return
    raise AssertionError(f"{selector} was not reached with {MAX_TABS} presses of Tab on {page.url}")


def choose_with_arrows(page, radio_id: str) -> None:
    """From the focused radio button, press the down arrow until `radio_id` has the focus (in a radio group an
    arrow also checks the button it moves to), then Space, which checks it when no arrow was pressed."""
    name = page.evaluate("() => document.activeElement.name")
    count = page.locator(f"input[type=radio][name='{name}']").count()
    for _ in range(count):
        if page.evaluate("() => document.activeElement.id") == radio_id:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"#{radio_id} is not in the radio group {name}")


def select_with_arrows(page, value: str) -> None:
    """In the focused (closed) drop-down list, press the down arrow until `value` is chosen."""
    count = page.evaluate("() => document.activeElement.options.length")
    for _ in range(count):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value!r} is not an option of the focused list")
