"""The interface in English, French, Spanish and Arabic (right to left), and complete translation files."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.signals import setting_changed

from apps.core.roles import Role

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
TRANSLATED_LANGUAGES = ["fr", "es", "ar"]

# A phrase of the home page's headline in every language, as it appears in the HTML.
HEADLINES = {
    "en": "Your ideas, brands and designs are worth protecting",
    "fr": "Vos idées, vos marques et vos créations méritent",
    "es": "Sus ideas, marcas y diseños merecen protección",
    "ar": "أفكارك وعلاماتك وتصاميمك تستحق الحماية",
}
# The "Sign in" button of the header.
SIGN_IN = {"en": "Sign in", "fr": "Se connecter", "es": "Iniciar sesión", "ar": "تسجيل الدخول"}


@pytest.fixture(scope="module", autouse=True)
def compiled_translations():
    """Build the .mo files (as `make test` does) and make Django load them afresh."""
    call_command("compile_translations", verbosity=0)
    setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=True)
    yield


def html_tag(content: bytes) -> str:
    match = re.search(r"<html[^>]*>", content.decode())
    assert match, "no <html> tag"
    return match.group(0)


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_home_page_follows_the_accept_language_header(client, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    text = response.content.decode()
    assert HEADLINES[language] in text
    assert SIGN_IN[language] in text
    assert f'lang="{language}"' in html_tag(response.content)
    assert re.search(rf'<option value="{language}" lang="{language}"\s+selected>', text)


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_language_chosen_with_the_language_form_is_kept(client, language):
    # The browser asks for another language: the choice made in the form wins.
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"}, HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr" if language != "fr" else "es")
    assert HEADLINES[language] in page.content.decode()
    assert f'lang="{language}"' in html_tag(page.content)


def test_language_form_is_a_plain_post_form_to_set_language(client):
    text = client.get("/").content.decode()

    form = re.search(r'<form action="/i18n/setlang/" method="post"[^>]*>(.*?)</form>', text, re.S)
    assert form, "no form posting to set_language"
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert '<select name="language" id="language-select"' in form.group(1)
    assert '<label for="language-select"' in form.group(1)
    assert 'type="submit"' in form.group(1)


def test_arabic_is_right_to_left_with_the_rtl_stylesheet(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")

    assert '<html lang="ar" dir="rtl"' in response.content.decode()
    assert b"vendor/bootstrap/css/bootstrap.rtl.min.css" in response.content
    assert b"vendor/bootstrap/css/bootstrap.min.css" not in response.content


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_other_languages_are_left_to_right(client, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)

    assert f'<html lang="{language}" dir="ltr"' in response.content.decode()
    assert b"vendor/bootstrap/css/bootstrap.min.css" in response.content
    assert b"bootstrap.rtl.min.css" not in response.content


def test_strings_from_the_code_are_translated_too(client, login_as, tenant_a):
    """The role label comes from apps/core/roles.py (gettext_lazy)."""
    login_as(Role.AGENCY_STAFF, tenant_a)

    text = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    role = re.search(r'<span[^>]*id="current-role"[^>]*>(.*?)</span>', text, re.S)
    assert role, "no current-role span"
    assert "Personal de la agencia" in role.group(1)
    assert "Agency A" in role.group(1)


def test_allauth_pages_are_translated(client):
    text = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert '<html lang="fr" dir="ltr"' in text
    assert "Connexion" in text  # allauth's own catalogue
    assert "Se connecter" in text  # ours, in the header


# --- The translation files -----------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdrif]|\{[a-z_]+\}")


def po_files() -> list[Path]:
    return [LOCALE_DIR / language / "LC_MESSAGES" / "django.po" for language in TRANSLATED_LANGUAGES]


@pytest.mark.parametrize("po_path", po_files(), ids=TRANSLATED_LANGUAGES)
def test_po_file_is_complete(po_path):
    assert po_path.exists(), f"{po_path} is missing: run makemessages"
    po = polib.pofile(str(po_path))

    assert not po.metadata_is_fuzzy, f"{po_path}: the header is marked fuzzy"
    assert po.metadata.get("Language") == po_path.parent.parent.name
    assert "Plural-Forms" in po.metadata
    entries = [entry for entry in po if not entry.obsolete]
    assert len(entries) > 100

    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    untranslated = [
        entry.msgid
        for entry in entries
        if (not all(entry.msgstr_plural.values()) if entry.msgid_plural else not entry.msgstr.strip())
    ]
    assert not fuzzy, f"{po_path}: fuzzy entries: {fuzzy}"
    assert not untranslated, f"{po_path}: untranslated entries: {untranslated}"


@pytest.mark.parametrize("po_path", po_files(), ids=TRANSLATED_LANGUAGES)
def test_translations_keep_their_placeholders(po_path):
    po = polib.pofile(str(po_path))
    broken = []
    for entry in po:
        if entry.obsolete:
            continue
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            found = sorted(PLACEHOLDER.findall(translation))
            # A plural form may leave out the count (e.g. "one token"), never add or rename a placeholder; the
            # plural's placeholders may be in any form ("used by the campaign %(names)s" / "by %(count)d ...").
            allowed = set(expected) | set(PLACEHOLDER.findall(entry.msgid_plural or ""))
            if found != expected and not (entry.msgid_plural and set(found) <= allowed):
                broken.append((entry.msgid, translation))
    assert not broken, f"{po_path}: placeholders differ: {broken}"


def test_all_languages_translate_the_same_strings():
    msgids = {
        po_path.parent.parent.name: {entry.msgid for entry in polib.pofile(str(po_path)) if not entry.obsolete}
        for po_path in po_files()
    }
    assert msgids["fr"] == msgids["es"] == msgids["ar"]


def test_every_configured_language_has_a_translation_file():
    configured = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    assert configured == set(TRANSLATED_LANGUAGES)


@pytest.mark.parametrize(("language", "name"), [("en", "Egypt"), ("fr", "Égypte"), ("es", "Egipto"), ("ar", "مصر")])
def test_tenant_country_name_follows_the_language(language, name):
    from django.utils import translation

    from apps.tenants.models import Tenant

    with translation.override(language):
        assert Tenant(country="EG").country_name == name


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (CI installs it)")
def test_po_files_hold_every_string_of_the_source(tmp_path):
    """Run makemessages on a copy of the tree: no string of the code or templates may be missing."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    copy = tmp_path / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "*.mo")
    for name in ("apps", "portal", "templates", "locale"):
        shutil.copytree(root / name, copy / name, ignore=ignore)
    shutil.copy(root / "manage.py", copy / "manage.py")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.local", "PYTHONPATH": str(copy)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {entry.msgid for entry in polib.pofile(str(copy / "locale/fr/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(root / "locale/fr/LC_MESSAGES/django.po")) if e.translated()}
    assert sorted(fresh - committed) == [], "run makemessages and translate the new strings"
