"""The bare reference views of bench/pages.py exist only in its own URLconf, chosen by PORTAL_ROOT_URLCONF."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import Resolver404, resolve

from apps.core.roles import Role

ROOT = Path(__file__).resolve().parent.parent
BARE_PATHS = ["/bench/bare/", "/bench/bare-signed-in/"]


def _root_urlconf(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "PORTAL_ROOT_URLCONF"}
    script = "from django.conf import settings; print(settings.ROOT_URLCONF)"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings.local", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def test_the_urlconf_is_the_portals_unless_the_environment_names_another():
    assert _root_urlconf() == "portal.urls"
    assert _root_urlconf(PORTAL_ROOT_URLCONF="") == "portal.urls"
    assert _root_urlconf(PORTAL_ROOT_URLCONF="bench.urls") == "bench.urls"


@pytest.mark.parametrize("path", BARE_PATHS)
def test_the_portal_does_not_serve_the_bare_views(path):
    with pytest.raises(Resolver404):
        resolve(path, urlconf="portal.urls")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_bare_views_answer_ok_and_the_signed_in_one_refuses_anonymous(client, login_as, tenant_a):
    assert client.get("/bench/bare/").content == b"ok"
    assert client.get("/bench/bare-signed-in/").status_code == 403
    login_as(Role.AGENCY_STAFF, tenant_a)
    response = client.get("/bench/bare-signed-in/")
    assert (response.status_code, response.content) == (200, b"ok")
    # The portal's pages are still there, with its error pages.
    assert client.get("/registry/").status_code == 200
    assert client.get("/no-such-page/").status_code == 404
