"""Playwright fixtures: Debian's Chromium (headless), a fresh context per test, a screenshot of each test's end.

Without /usr/bin/chromium these tests are skipped, unless CI=true or PORTAL_REQUIRE_BROWSER=1, where that is a
failure. Run them with `pytest tests/browser`; they use pytest-django's `live_server` (a real HTTP server on a
transactional database, serving static files through django.contrib.staticfiles).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy", "Refused to")


def browser_required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("PORTAL_REQUIRE_BROWSER") == "1"


def _unavailable(reason: str) -> None:
    if browser_required():
        pytest.fail(f"{reason} (browser tests are required: CI=true or PORTAL_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(f"{reason}; set CI=true or PORTAL_REQUIRE_BROWSER=1 to make this a failure")


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """One Chromium for all the browser tests (this package), closed when the last of them is done.

    While Playwright's sync API is open, an asyncio event loop counts as running in this thread, so Django's
    async-safety check would refuse every ORM call of the tests (creating users, the database flush after each
    test). DJANGO_ALLOW_ASYNC_UNSAFE is set for exactly that time. Package scope rather than session scope: the
    loop and the variable must not outlive these tests, or the rest of the suite (and the subprocesses it starts,
    such as `manage.py check --deploy`, which rejects the variable) would run with them.
    """
    if not CHROMIUM.exists():
        _unavailable(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        _unavailable("browser tests need the `playwright` Python package")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _artifact_name(node_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", node_name).strip("_")


class ConsoleLog:
    """Every console message and page error of the contexts a test opened."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def watch(self, page) -> None:
        page.on("console", lambda message: self.messages.append(f"[{message.type}] {page.url}: {message.text}"))
        page.on("pageerror", lambda error: self.messages.append(f"[pageerror] {page.url}: {error}"))

    def csp_violations(self) -> list[str]:
        return [text for text in self.messages if any(marker in text for marker in CSP_MARKERS)]


@pytest.fixture
def console_log() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def new_page(browser, request, console_log) -> Iterator[Callable[..., object]]:
    """`new_page(**context_options)`: a page in a fresh browser context. The last page's final state is saved
    as test-artifacts/browser/<test name>.png (earlier ones get a numeric suffix)."""
    contexts = []
    pages = []

    def make(**context_options):
        context_options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**context_options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        console_log.watch(page)
        pages.append(page)
        return page

    yield make

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = _artifact_name(request.node.name)
    for index, page in enumerate(pages):
        suffix = "" if index == len(pages) - 1 else f"-{index + 1}"
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"), full_page=True)
        except Exception as error:
            print(f"could not save the screenshot of {request.node.nodeid}: {error}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a fresh browser context (English, JavaScript on)."""
    return new_page()
