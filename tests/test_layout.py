"""The frame every page shares (templates/base.html, static/css/portal.css): contrast, the collapsing menu and its
no-JavaScript fallback, dates, the footer's pages, the favicon, compression, and htmx only where it is used."""

from __future__ import annotations

import datetime
import gzip
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from apps.core.roles import Role
from apps.registry.models import ImportJob
from apps.tenants.context import tenant_context
from tests.factories import PASSWORD, ImportJobFactory, user_with_role

pytestmark = pytest.mark.django_db

TENANT_ROLES = {Role.MSME_MEMBER, Role.HELPDESK_AGENT, Role.AGENCY_STAFF}
LANGUAGES = [code for code, _name in settings.LANGUAGES]
ABOUT_PAGES = {
    "about-privacy": "Privacy notice",
    "about-terms": "Terms of use",
    "about-contact": "Contact",
    "about-accessibility": "Accessibility statement",
}
HTMX_SCRIPT = re.compile(r'<script[^>]+src="[^"]*htmx[^"]*"')


# --- 1. Contrast: WCAG 2.x relative luminance, from the colours the stylesheets set -----------------------


def _channel(value: int) -> float:
    value /= 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    red, green, blue = (_channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def hex_rgb(value: str) -> tuple[int, int, int]:
    value = value.strip().lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def css_block(css: str, selector_start: str) -> dict[str, str]:
    """The declarations of the first rule whose selector list starts with `selector_start`."""
    match = re.search(re.escape(selector_start) + r"[^{]*\{([^}]*)\}", css)
    assert match, f"no rule for {selector_start} in portal.css"
    return {
        name.strip(): value.strip() for name, value in re.findall(r"(--[\w-]+|[\w-]+)\s*:\s*([^;]+);", match.group(1))
    }


def static_text(path: str) -> str:
    return Path(finders.find(path)).read_text()


def test_wcag_contrast_function_matches_known_values():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    # The finding: Bootstrap's secondary grey on its tertiary background.
    assert contrast_ratio(hex_rgb("#6c757d"), hex_rgb("#f8f9fa")) == pytest.approx(4.44, abs=0.01)


@pytest.mark.parametrize("bootstrap", ["bootstrap.min.css", "bootstrap.rtl.min.css"])
def test_grey_text_in_header_and_footer_meets_wcag_aa(bootstrap):
    """Every grey the header and footer draw on bg-body-tertiary, left-to-right and right-to-left stylesheets."""
    vendor = static_text(f"vendor/bootstrap/css/{bootstrap}")
    background = hex_rgb(re.search(r"--bs-tertiary-bg:\s*(#[0-9a-fA-F]{6})", vendor).group(1))
    hover = tuple(
        int(v)
        for v in re.search(
            r"\.link-secondary:(?:focus|hover)[^{]*\{color:RGBA\((\d+),\s*(\d+),\s*(\d+)", vendor
        ).groups()
    )
    css = static_text("css/portal.css")
    bars = css_block(css, ".portal-topbar,\n.portal-footer")
    buttons = css_block(css, ".portal-topbar .btn-outline-secondary")

    greys = {
        "text-body-secondary (--bs-secondary-color)": hex_rgb(bars["--bs-secondary-color"]),
        "link-secondary (--bs-secondary-rgb)": tuple(int(v) for v in bars["--bs-secondary-rgb"].split(",")),
        "link-secondary:hover (Bootstrap)": hover,
        "btn-outline-secondary": hex_rgb(buttons["--bs-btn-color"]),
    }
    for name, colour in greys.items():
        assert contrast_ratio(colour, background) >= 4.5, f"{name} {colour} on {background}"
    # A pressed or hovered button: white on the button's fill.
    for fill in ("--bs-btn-hover-bg", "--bs-btn-active-bg"):
        assert contrast_ratio((255, 255, 255), hex_rgb(buttons[fill])) >= 4.5, fill


def test_the_overrides_apply_to_the_header_and_footer(client):
    text = client.get("/").content.decode()
    assert re.search(r'<div class="portal-topbar[^"]*bg-body-tertiary', text)
    assert re.search(r'<footer class="portal-footer[^"]*bg-body-tertiary', text)


# --- 2. The menu folds away on a phone, and is shown open without JavaScript ------------------------------


def test_the_menu_is_a_collapsing_navbar_with_a_named_button(client):
    text = client.get("/").content.decode()

    toggler = re.search(r'<button class="navbar-toggler"[^>]*>(.*?)</button>', text, re.S)
    assert toggler
    assert 'aria-controls="portal-menu"' in toggler.group(0)
    assert 'aria-expanded="false"' in toggler.group(0)
    assert 'data-bs-target="#portal-menu"' in toggler.group(0)
    assert re.sub(r"<[^>]+>", "", toggler.group(1)).strip() == "Menu"
    menu = re.search(r'<div class="collapse navbar-collapse" id="portal-menu">(.*?)</nav>', text, re.S)
    assert menu and 'id="main-nav"' in menu.group(1) and 'href="/accounts/login/"' in menu.group(1)


def test_without_javascript_the_page_keeps_its_no_js_class(client):
    """The class is removed by a script file (the CSP forbids inline scripts); the stylesheet opens the menu."""
    text = client.get("/").content.decode()

    assert re.search(r'<html [^>]*class="no-js"', text)
    assert re.search(r'<head>.*<script src="/static/js/js-enabled.js"></script>.*</head>', text, re.S)
    assert '"no-js"' in static_text("js/js-enabled.js")
    assert ".no-js .portal-navbar .navbar-collapse" in static_text("css/portal.css")


# --- 3. Dates: one format per language, with the month's name -----------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"])
def test_dates_name_the_month_in_every_language(language, name):
    december = datetime.datetime(2026, 12, 4, 9, 30, tzinfo=datetime.UTC)
    april = datetime.datetime(2026, 4, 12, 9, 30, tzinfo=datetime.UTC)
    with translation.override(language):
        shown = date_format(december, name), date_format(april, name)
    assert not any(re.search(r"\d+[/.-]\d+[/.-]\d+", text) for text in shown), shown
    assert shown[0].startswith("4 ") and "2026" in shown[0], shown
    assert shown[0] != shown[1].replace("12", "4"), "the month is not named"


@pytest.mark.parametrize(("language", "expected"), [("en", "4 Dec 2026"), ("ar", "4 ديسمبر 2026")])
def test_short_and_long_dates_look_the_same_on_a_page(language, expected):
    with translation.override(language):
        assert date_format(datetime.date(2026, 12, 4), "DATE_FORMAT") == expected
        assert date_format(datetime.date(2026, 12, 4), "SHORT_DATE_FORMAT") == expected


def test_templates_use_named_date_formats_for_what_they_show():
    """`|date:"Y-m-d"` and the like only in machine-readable attributes (datetime="..."), never in text."""
    offenders = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for number, line in enumerate(template.read_text().splitlines(), 1):
            for match in re.finditer(r'\|date:(["\'])([^"\']*)\1', line):
                value = match.group(2)
                in_attribute = re.search(r'datetime="\{\{[^}]*$', line[: match.start()])
                if not value.endswith("_FORMAT") and value not in {"l"} and not in_attribute:
                    offenders.append(f"{template.relative_to(settings.BASE_DIR)}:{number}: {value}")
    assert offenders == []


# --- 4. The footer's pages and the favicon -----------------------------------------------------------------


def test_every_page_links_the_footer_pages(client):
    text = client.get("/").content.decode()
    footer = re.search(r"<footer.*</footer>", text, re.S).group(0)
    for name, _title in ABOUT_PAGES.items():
        assert f'href="{reverse(name)}"' in footer, name


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("name", list(ABOUT_PAGES))
def test_about_pages_open_for_visitors_in_english_and_arabic(client, name, language):
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    text = response.content.decode()
    assert f'<html lang="{language}"' in text
    assert f'href="{reverse(name)}"' in re.search(r"<footer.*</footer>", text, re.S).group(0)
    if language == "en":
        assert f"<h1>{ABOUT_PAGES[name]}</h1>" in text


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_about_pages_open_for_every_role(client, login_as, tenant_a, role):
    login_as(role, tenant_a if role in TENANT_ROLES else None)
    for name in ABOUT_PAGES:
        assert client.get(reverse(name)).status_code == 200, name


def test_privacy_notice_lists_the_cookies_and_the_retention(client):
    text = client.get(reverse("about-privacy")).content.decode()
    for words in ("session cookie", "CSRF cookie", "language cookie", "erase"):
        assert words in text
    assert f"deleted after {settings.VISITOR_ASSESSMENT_RETENTION_DAYS} days" in text


def test_contact_page_names_the_signed_in_member_s_agency(client, login_as, tenant_a):
    login_as(Role.MSME_MEMBER, tenant_a)
    text = client.get(reverse("about-contact")).content.decode()
    assert "Your agency is Agency A." in text


def test_accessibility_statement_dates_its_review_in_the_language_s_format(client):
    assert "last reviewed on 7 Dec 2026" in client.get(reverse("about-accessibility")).content.decode()
    arabic = client.get(reverse("about-accessibility"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "7 ديسمبر 2026" in arabic


def test_the_portal_sets_only_the_cookies_the_privacy_notice_names(client, tenant_a):
    """Session, CSRF and language: messages (such as "signed in") travel in the session, not in a cookie."""
    user = user_with_role(Role.MSME_MEMBER, tenant_a)
    client.get(reverse("account_login"))
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    client.get("/")
    client.post(reverse("account_logout"))
    client.get("/")

    assert set(client.cookies) <= {
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
    }, set(client.cookies)


def test_the_favicon_is_an_svg_file_of_the_portal(client):
    text = client.get("/").content.decode()
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', text)
    assert link and link.group(1) == "/static/favicon.svg"
    svg = ElementTree.fromstring(static_text("favicon.svg"))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("viewBox") == "0 0 32 32"


# --- 5. Compression --------------------------------------------------------------------------------------


def test_pages_are_gzipped_for_browsers_that_accept_it(client):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "<main" in gzip.decompress(response.content).decode()


def test_the_page_gzip_keeps_django_s_rules_at_the_fastest_level(rf):
    """apps.core.middleware.PageGZipMiddleware: Django's rules and headers, ISA-L's level 1, and a file name of random
    length in the gzip header (against BREACH) so that the same page is not the same size twice."""
    import gzip as gzip_module
    import zlib

    from django.http import HttpResponse, StreamingHttpResponse
    from isal import isal_zlib

    from apps.core.middleware import PageGZipMiddleware

    page = ("<p>" + "A registry page, repeated. " * 400 + "</p>").encode()
    middleware = PageGZipMiddleware(lambda request: None)

    def answer(response, encoding="gzip"):
        return middleware.process_response(rf.get("/", HTTP_ACCEPT_ENCODING=encoding), response)

    whole = HttpResponse(page, headers={"ETag": '"abc"'})
    sent = answer(whole)
    assert sent["Content-Encoding"] == "gzip" and sent["ETag"] == 'W/"abc"' and "Accept-Encoding" in sent["Vary"]
    assert int(sent["Content-Length"]) == len(sent.content) < len(page) // 10
    assert gzip_module.decompress(sent.content) == page
    assert sent.content[3] & gzip_module.FNAME
    name_end = sent.content.index(b"\x00", 10)
    raw = zlib.decompressobj(-zlib.MAX_WBITS)
    assert raw.decompress(sent.content[name_end + 1 :]) == page
    assert isal_zlib.compress(page, 1, -zlib.MAX_WBITS) == sent.content[name_end + 1 : -8]  # ISA-L's level 1
    assert len({len(answer(HttpResponse(page)).content) for _ in range(20)}) > 1  # random-length name

    assert not answer(HttpResponse(b"short")).has_header("Content-Encoding")  # under 200 bytes
    assert not answer(HttpResponse(page), encoding="br").has_header("Content-Encoding")
    encoded = HttpResponse(page, headers={"Content-Encoding": "br"})
    assert answer(encoded).content == page
    streamed = answer(StreamingHttpResponse(iter([page])))
    assert streamed["Content-Encoding"] == "gzip" and not streamed.has_header("Content-Length")
    assert gzip_module.decompress(b"".join(streamed.streaming_content)) == page


def test_pages_are_plain_for_clients_that_do_not_accept_gzip(client):
    response = client.get("/")
    assert not response.has_header("Content-Encoding")
    assert b"<main" in response.content


def test_static_files_are_left_to_whitenoise_which_does_not_compress_on_the_fly(client):
    """Development serves static files from the finders: a compressed copy only where one sits beside the file
    (htmx ships htmx.min.js.gz); the GZip middleware, below WhiteNoise, never sees them."""
    shipped = client.get("/static/vendor/htmx/htmx.min.js", HTTP_ACCEPT_ENCODING="gzip")
    ours = client.get("/static/css/portal.css", HTTP_ACCEPT_ENCODING="gzip")

    assert shipped.status_code == ours.status_code == 200
    assert shipped["Content-Encoding"] == "gzip"
    assert not ours.has_header("Content-Encoding")


# --- 6. htmx only on the pages that use it --------------------------------------------------------------------


def test_the_home_page_loads_no_htmx(client):
    text = client.get("/").content.decode()
    assert not HTMX_SCRIPT.search(text)
    assert "htmx-config" not in text


def test_the_import_job_page_loads_htmx(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a):
        job = ImportJobFactory(status=ImportJob.Status.RUNNING, dry_run=False, rows_total=10, rows_processed=4)

    text = client.get(reverse("registry:import-job", args=[job.pk])).content.decode()

    assert "hx-get" in text
    assert HTMX_SCRIPT.search(text)
    assert "htmx-config" in text


def test_every_template_with_hx_attributes_is_served_with_htmx():
    """A new template with hx- attributes must be listed here with the page that loads htmx for it."""
    loaded_by = {
        "registry/_import_status.html": "registry/import_job.html",
        "outreach/segment_form.html": "outreach/segment_form.html",
    }
    templates = Path(settings.BASE_DIR, "templates")
    using = {
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if re.search(r"\shx-[a-z]+=", path.read_text())
    }
    assert using == set(loaded_by)
    for partial, page in loaded_by.items():
        page_text = (templates / page).read_text()
        assert '{% include "includes/htmx.html" %}' in page_text
        assert partial == page or f'{{% include "{partial}" %}}' in page_text


def test_no_template_comment_spans_lines():
    """Django's {# #} comment is one line only: one that spans lines is shown on the page as text."""
    root = Path(__file__).resolve().parent.parent / "templates"
    spanning = [
        f"{path.relative_to(root)}: {match.group(0)[:60]!r}"
        for path in root.rglob("*.html")
        for match in re.finditer(r"\{#.*?#\}|\{#[^\n]*$", path.read_text(), re.S | re.M)
        if "\n" in match.group(0) or not match.group(0).endswith("#}")
    ]
    assert spanning == [], "use {% comment %} ... {% endcomment %} for these:\n" + "\n".join(spanning)


def test_the_page_shows_no_template_syntax(client):
    page = client.get("/about/privacy/").content.decode()
    assert "{#" not in page and "#}" not in page and "{%" not in page
