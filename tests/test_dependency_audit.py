"""`make audit` (scripts/audit_deps.py) tells a clean audit, a vulnerability, an unreachable service and a
broken tool apart from the tools' own answers, without the network."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
audit_deps = importlib.util.module_from_spec(_spec)
sys.modules["audit_deps"] = audit_deps  # dataclasses look their module up there
_spec.loader.exec_module(audit_deps)


def _pip(*dependencies):
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_pip_audit_answered_for_every_package_is_clean():
    outcome = audit_deps.pip_audit_outcome(
        0, _pip({"name": "django", "version": "6.0.10", "vulns": []}, {"name": "pyyaml", "version": "6.0.4"}), ""
    )
    assert outcome.status == audit_deps.CLEAN
    assert outcome.lines == ["2 packages audited, no known vulnerability"]


def test_pip_audit_vulnerability_fails_even_when_unreachable_is_ok():
    stdout = _pip(
        {
            "name": "django",
            "version": "6.0.1",
            "vulns": [{"id": "PYSEC-1", "aliases": ["CVE-1"], "fix_versions": ["6.0.2"]}],
        },
        {"name": "pyyaml", "skip_reason": "Dependency not found on PyPI and could not be audited: pyyaml (6.0.4)"},
    )
    outcome = audit_deps.pip_audit_outcome(1, stdout, "Found 1 known vulnerability in 1 package")
    assert outcome.status == audit_deps.VULNERABLE
    assert outcome.lines == ["django 6.0.1: PYSEC-1 (CVE-1), fixed in 6.0.2"]
    assert audit_deps.exit_code([outcome], unreachable_ok=True) == 1


def test_pip_audit_that_skipped_every_package_audited_nothing():
    """pip-audit's own verdict here is "No known vulnerabilities found", exit 0: a false all-clear."""
    reason = "Dependency not found on PyPI and could not be audited: {} ({})"
    stdout = _pip(
        {"name": "django", "skip_reason": reason.format("django", "6.0.10")},
        {"name": "celery", "skip_reason": reason.format("celery", "5.7.0")},
    )
    outcome = audit_deps.pip_audit_outcome(0, stdout, "No known vulnerabilities found")
    assert outcome.status == audit_deps.NOT_AUDITED
    assert "none of the 2 packages" in outcome.lines[0]
    assert audit_deps.exit_code([outcome], unreachable_ok=False) == 3
    assert audit_deps.exit_code([outcome], unreachable_ok=True) == 0


def test_pip_audit_that_skipped_some_packages_names_them():
    stdout = _pip(
        {"name": "django", "version": "6.0.10", "vulns": []},
        {"name": "celery", "skip_reason": "Dependency not found on PyPI and could not be audited: celery (5.7.0)"},
    )
    outcome = audit_deps.pip_audit_outcome(0, stdout, "")
    assert outcome.status == audit_deps.NOT_AUDITED
    assert outcome.lines[0].endswith("answered for 1 of 2 packages; not audited: celery")


@pytest.mark.parametrize(
    ("stderr", "status"),
    [
        (
            "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', port=443): "
            "Max retries exceeded with url: /v1/query (Caused by NameResolutionError(...))",
            "not audited",
        ),
        ("pip_audit._service.interface.ConnectionError: Could not connect to PyPI's vulnerability feed", "not audited"),
        ("ERROR:pip_audit._cli:requirements.txt: No such file or directory", "error"),
    ],
)
def test_pip_audit_without_a_report(stderr, status):
    outcome = audit_deps.pip_audit_outcome(1, "", "Traceback (most recent call last):\n" + stderr)
    assert outcome.status == status
    assert stderr[:100] in outcome.lines[0]


def _npm(vulnerabilities, prod=6):
    counts = {"info": 0, "low": 0, "moderate": 0, "high": 0, "critical": 0, "total": len(vulnerabilities)}
    return json.dumps(
        {
            "auditReportVersion": 2,
            "vulnerabilities": vulnerabilities,
            "metadata": {"vulnerabilities": counts, "dependencies": {"prod": prod, "dev": 0, "total": prod}},
        }
    )


def test_npm_audit_clean():
    outcome = audit_deps.npm_audit_outcome(0, _npm({}), "")
    assert outcome.status == audit_deps.CLEAN
    assert outcome.lines == ["6 packages audited, no known vulnerability"]


def test_npm_audit_vulnerability():
    entry = {
        "name": "bootstrap",
        "severity": "moderate",
        "range": "<5.3.10",
        "via": [{"title": "XSS in the tooltip", "url": "https://example.org/advisory"}],
        "fixAvailable": True,
    }
    outcome = audit_deps.npm_audit_outcome(1, _npm({"bootstrap": entry}), "")
    assert outcome.status == audit_deps.VULNERABLE
    assert outcome.lines == ["bootstrap <5.3.10 (moderate): XSS in the tooltip; fix available"]
    assert audit_deps.exit_code([outcome], unreachable_ok=True) == 1


@pytest.mark.parametrize(
    ("report", "status"),
    [
        # What this machine's registry answers: it serves packages but not the audit endpoint.
        (
            {
                "message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
                "statusCode": 405,
                "error": {"summary": "", "detail": ""},
            },
            "not audited",
        ),
        ({"error": {"code": "ENOTFOUND", "summary": "getaddrinfo ENOTFOUND registry.npmjs.org"}}, "not audited"),
        ({"error": {"code": "ENOLOCK", "summary": "This command requires an existing lockfile."}}, "error"),
    ],
)
def test_npm_audit_without_a_report(report, status):
    outcome = audit_deps.npm_audit_outcome(1, json.dumps(report), "npm error audit endpoint returned an error")
    assert outcome.status == status


def test_an_error_fails_and_unreachable_alone_passes_only_when_allowed():
    clean = audit_deps.Outcome("a", audit_deps.CLEAN)
    unreachable = audit_deps.Outcome("b", audit_deps.NOT_AUDITED)
    error = audit_deps.Outcome("c", audit_deps.ERROR)
    assert audit_deps.exit_code([clean, clean], unreachable_ok=False) == 0
    assert audit_deps.exit_code([clean, unreachable], unreachable_ok=False) == 3
    assert audit_deps.exit_code([clean, unreachable], unreachable_ok=True) == 0
    assert audit_deps.exit_code([error, unreachable], unreachable_ok=True) == 1


def test_ci_runs_the_audit_and_tolerates_only_an_unreachable_service():
    assert "make audit AUDIT_ARGS=--unreachable-ok" in (ROOT / ".ci" / "run").read_text()
    assert "scripts/audit_deps.py $(AUDIT_ARGS)" in (ROOT / "Makefile").read_text()
