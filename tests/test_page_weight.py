"""Page weight and static caching, as production serves them.

A first visit to a page costs its HTML and everything the HTML and its stylesheets load. Measured here as
production serves it: `collectstatic` runs once for this module into a temporary STATIC_ROOT with the
static settings that production.py sets (hashed names and gzip copies, CompressedManifestStaticFilesStorage),
and the pages and files are fetched through the whole middleware stack (WhiteNoise for /static/,
apps.core.middleware.PageGZipMiddleware for pages) with a browser's Accept-Encoding. The bytes counted are each response's headers (as HTTP/1.1 text)
and body, as sent: compressed where the server compresses.

Only the source maps are left uncompressed by this collectstatic (most of its time): no first visit loads one.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import secrets
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from whitenoise.compress import Compressor

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 150 * 1024
ONE_YEAR = 365 * 24 * 60 * 60
# What a current browser sends; WhiteNoise answers with Brotli only where collectstatic wrote .br copies.
ACCEPT_ENCODING = "gzip, deflate, br"
PAGES = {
    "home": lambda: reverse("home"),
    "guidance topic": lambda: reverse("guidance:topic", args=["patents"]),
    "diagnostic": lambda: reverse("diagnostics:start"),
    "diagnostic, first step": lambda: reverse("diagnostics:step", args=[1]),
}
_PRODUCTION_STATIC_SETTINGS = """
import json
from django.conf import settings
names = ["STATIC_URL", *(name for name in dir(settings) if name.startswith("WHITENOISE_"))]
values = {name: getattr(settings, name) for name in names}
values["staticfiles"] = settings.STORAGES["staticfiles"]
print(json.dumps(values))
"""


def _production_static_settings() -> dict[str, object]:
    """production.py's static settings, read in a process of its own (it refuses to load without a real secret,
    and this process's settings are the test ones)."""
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DJANGO_ENV"}}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.production", SECRET_KEY=secrets.token_urlsafe(45))
    result = subprocess.run(
        [sys.executable, "-c", _PRODUCTION_STATIC_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    storage = values.pop("staticfiles")
    return {**values, "STORAGES": {"staticfiles": storage}}


@pytest.fixture(scope="module")
def production_static(tmp_path_factory):
    """A STATIC_ROOT collected with production's static settings, and those settings active (for this module)."""
    from django.conf import settings

    production = _production_static_settings()
    static_root = tmp_path_factory.mktemp("static-root")
    active = {
        **production,
        "STORAGES": {**settings.STORAGES, **production["STORAGES"]},
        "STATIC_ROOT": str(static_root),
    }
    with override_settings(**active):
        skipped = production.get("WHITENOISE_SKIP_COMPRESS_EXTENSIONS") or Compressor.SKIP_COMPRESS_EXTENSIONS
        with override_settings(WHITENOISE_SKIP_COMPRESS_EXTENSIONS=[*skipped, "map"]):
            call_command("collectstatic", "--noinput", verbosity=0)
        yield production
    cache.clear()  # fragments rendered here name hashed files that the other tests' storage does not know


@pytest.fixture
def production_client(production_static, db):
    """A client whose middleware (WhiteNoise's file list) is built now, under production's static settings.
    Fragments kept in the cache by other tests name un-hashed files: they go."""
    cache.clear()
    return Client()


# --- Fetching a first visit ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    encoding: str
    wire_bytes: int
    body: bytes  # decoded
    cache_control: str
    content_type: str


def _decode(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":  # only once the brotli package is installed: WhiteNoise then writes .br copies
        import brotli

        return brotli.decompress(body)
    return body


def _fetch(client: Client, url: str, **headers: str) -> Fetched:
    response = client.get(url, headers={"Accept-Encoding": ACCEPT_ENCODING, **headers})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in response.headers.items())
    head += "".join(f"{morsel.output(header='Set-Cookie:')}\r\n" for morsel in response.cookies.values())
    encoding = response.headers.get("Content-Encoding", "")
    assert encoding in {"", "gzip", "br"}, f"{url}: unexpected Content-Encoding {encoding}"
    decoded = _decode(body, encoding)
    return Fetched(
        url=url,
        status=response.status_code,
        encoding=encoding or "identity",
        wire_bytes=len(head.encode()) + len(body),
        body=decoded,
        cache_control=response.headers.get("Cache-Control", ""),
        content_type=response.headers.get("Content-Type", ""),
    )


class _Resources(HTMLParser):
    """The URLs a browser fetches while it loads the page: stylesheets (print ones too: browsers fetch them,
    late), scripts, icons, preloads, images."""

    LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload", "manifest"}
    SRC_TAGS = {"script", "img", "source", "iframe", "embed"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "link" and self.LINK_RELS & set(attributes.get("rel", "").lower().split()):
            self.urls.append(attributes.get("href", ""))
        is_image_button = tag == "input" and attributes.get("type", "").lower() == "image"
        if (tag in self.SRC_TAGS or is_image_button) and attributes.get("src"):
            self.urls.append(attributes["src"])
        if attributes.get("srcset"):
            self.urls.extend(part.strip().split()[0] for part in attributes["srcset"].split(",") if part.strip())
        if tag == "video" and attributes.get("poster"):
            self.urls.append(attributes["poster"])


_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.S)


def _css_references(css: str) -> list[str]:
    """Fonts, images and imports a stylesheet names, without the data: URLs it carries inline (already counted)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # the sourceMappingURL comment is for developer tools only
    found = [match.group(2) or match.group(4) for match in _CSS_URL.finditer(css)]
    return [url for url in found if url and not url.startswith(("data:", "#"))]


def first_visit(client: Client, page_url: str, **headers: str) -> list[Fetched]:
    """The page and every file its first visit loads, each once, in the order found."""
    page = _fetch(client, page_url, **headers)
    assert page.status == 200, f"{page_url} answered {page.status}"
    parser = _Resources()
    parser.feed(page.body.decode())
    queue = [urljoin(page_url, url) for url in parser.urls if url and not url.startswith("data:")]
    fetched = [page]
    seen = {page_url}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        parts = urlsplit(url)
        assert not parts.netloc or parts.netloc == "testserver", f"{page_url} loads {url} from another host"
        resource = _fetch(client, parts.path + (f"?{parts.query}" if parts.query else ""))
        assert resource.status == 200, f"{page_url} loads {url}, which answered {resource.status}"
        fetched.append(resource)
        if resource.content_type.startswith("text/css"):
            queue.extend(urljoin(url, reference) for reference in _css_references(resource.body.decode()))
    return fetched


def breakdown(fetched: list[Fetched]) -> str:
    lines = [f"{item.wire_bytes:>9,}  {item.encoding:<8}  {item.url}" for item in fetched]
    lines.append(f"{sum(item.wire_bytes for item in fetched):>9,}  total (limit {LIMIT:,})")
    return "\n".join(lines)


# --- Page weight ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("page", list(PAGES))
def test_a_first_visit_weighs_under_150_kb_compressed(production_client, page, language):
    fetched = first_visit(production_client, PAGES[page](), **{"Accept-Language": language})
    total = sum(item.wire_bytes for item in fetched)
    report = f"{page} ({language}), bytes on the wire:\n{breakdown(fetched)}"
    print(report)

    assert any(item.url.endswith(".css") for item in fetched), report  # the stylesheets were found and counted
    assert fetched[0].encoding != "identity", report
    assert total < LIMIT, report


def test_every_text_file_of_a_first_visit_is_sent_compressed(production_client):
    """Bootstrap's CSS is 232 KB as written and 31 KB gzipped: a file sent uncompressed would weigh 7 times more."""
    fetched = first_visit(production_client, reverse("home"))

    plain = [item.url for item in fetched if item.encoding == "identity" and len(item.body) > 1024]
    assert not plain, f"sent uncompressed: {plain}\n{breakdown(fetched)}"


# --- Caching by hashed name -----------------------------------------------------------------------------------


def _max_age(cache_control: str) -> int:
    match = re.search(r"\bmax-age=(\d+)", cache_control)
    assert match, f"no max-age in {cache_control!r}"
    return int(match.group(1))


def test_every_static_file_a_page_loads_is_hashed_and_cached_for_at_least_a_year(production_client):
    fetched = first_visit(production_client, reverse("guidance:topic", args=["patents"]))

    static = [item for item in fetched if item.url.startswith("/static/")]
    assert len(static) >= 4, breakdown(fetched)
    for item in static:
        directives = {part.strip() for part in item.cache_control.split(",")}
        assert {"public", "immutable"} <= directives, (item.url, item.cache_control)
        assert _max_age(item.cache_control) >= ONE_YEAR, (item.url, item.cache_control)


def test_a_file_by_its_plain_name_is_cached_briefly(production_client):
    """The same file under its un-hashed name may change with the next deploy: a short max-age, not immutable."""
    hashed_url = staticfiles_storage.url("css/portal.css")
    assert hashed_url != "/static/css/portal.css" and re.fullmatch(r"/static/css/portal\.[0-9a-f]{12}\.css", hashed_url)

    hashed = _fetch(production_client, hashed_url)
    plain = _fetch(production_client, "/static/css/portal.css")

    assert hashed.status == plain.status == 200
    assert hashed.body == plain.body
    assert "immutable" in hashed.cache_control and _max_age(hashed.cache_control) >= ONE_YEAR
    assert "immutable" not in plain.cache_control and _max_age(plain.cache_control) <= 300
