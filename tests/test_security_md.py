"""SECURITY.md promises only what the code backs: every file, setting, module name, class, policy rule,
URL and management command it cites in backticks must exist, so that a rename makes this test fail
rather than the document lie."""

from __future__ import annotations

import importlib
import re
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import get_commands
from django.urls import Resolver404, resolve

from apps.core.policies import registered

ROOT = Path(__file__).resolve().parent.parent
SECURITY = ROOT / "SECURITY.md"

SETTING = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")  # one underscore at least: not SQL words like ENABLE
PATH = re.compile(r"^[\w.-]+(?:/[\w.-]+)+/?$")
URL = re.compile(r"^/[\w./<>-]*$")
DOTTED = re.compile(r"^(?:apps|portal)(?:\.\w+)+$")
RULE = re.compile(r"^([a-z_]+)\.([a-z_]+)$")
CLASS = re.compile(r"^[A-Z][a-z]+(?:[A-Z][a-z]+)+$")
COMMAND = re.compile(r"^manage\.py (\w+)")


def _cited() -> list[str]:
    # A code span may wrap onto the next line; it reads as one space there.
    return [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", SECURITY.read_text(encoding="utf-8"))]


def _readme_variables() -> set[str]:
    """Environment variables the README's configuration table documents (some are not Django settings)."""
    return set(re.findall(r"^\| `([A-Z_]+)`", (ROOT / "README.md").read_text(encoding="utf-8"), re.MULTILINE))


def _defines_class(name: str) -> bool:
    pattern = re.compile(rf"^class {name}\b", re.MULTILINE)
    return any(pattern.search(path.read_text(encoding="utf-8")) for path in (ROOT / "apps").rglob("*.py"))


def _importable(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        try:
            for name in parts[cut:]:
                target = getattr(target, name)
        except AttributeError:
            return False
        return True
    return False


def _resolves(url: str) -> bool:
    concrete = url.replace("<id>", str(uuid.uuid4())).replace("<token>", "t0k3n")
    try:
        resolve(concrete, urlconf="portal.urls")
    except Resolver404:
        return False
    return True


def missing_citations(cited: list[str]) -> list[str]:
    """What `cited` names that does not exist, each with what it was taken for."""
    labels = {config.label for config in apps.get_app_configs()}
    variables = _readme_variables()
    commands = get_commands()
    rules = registered()
    missing = []
    for token in cited:
        command = COMMAND.match(token)
        rule = RULE.match(token)
        if command:
            ok, kind = command.group(1) in commands, "management command"
        elif SETTING.match(token):
            ok, kind = hasattr(settings, token) or token in variables, "setting"
        elif DOTTED.match(token):
            ok, kind = _importable(token), "Python name"
        elif URL.match(token):
            ok, kind = _resolves(token), "URL"
        elif PATH.match(token):
            ok, kind = (ROOT / token).exists(), "file"
        elif rule and rule.group(1) in labels:
            ok, kind = token in rules, "policy rule"
        elif CLASS.match(token):
            ok, kind = _defines_class(token), "class"
        else:
            continue
        if not ok:
            missing.append(f"{token} ({kind})")
    return missing


def test_security_md_exists_and_says_how_to_report():
    text = SECURITY.read_text(encoding="utf-8")
    for heading in ("## Reporting a problem", "## Tenant isolation", "## Erasure on request", "## What is logged"):
        assert heading in text


def test_every_citation_in_security_md_exists():
    cited = _cited()
    assert len(cited) > 40  # the document cites its sources; an empty match would pass vacuously
    assert missing_citations(cited) == []


def test_every_link_in_security_md_exists():
    links = re.findall(r"\]\(([^)#]+)\)", SECURITY.read_text(encoding="utf-8"))
    assert links
    assert [link for link in links if not (ROOT / link).exists()] == []


@pytest.mark.parametrize(
    "token",
    [
        "apps/tenants/no_such_module.py",
        "NO_SUCH_RETENTION_DAYS",
        "apps.tenants.context.no_such_function",
        "registry.no_such_rule",
        "NoSuchModel",
        "manage.py no_such_command",
        "/no-such-page/<id>/",
    ],
)
def test_a_citation_that_does_not_exist_is_caught(token):
    assert missing_citations([token]) != []
