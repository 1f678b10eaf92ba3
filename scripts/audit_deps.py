"""`make audit`: the pinned dependencies against the published vulnerabilities.

pip-audit checks requirements.txt (the runtime pins and what they pull in) and npm audit the production
front-end packages of package-lock.json. Each ends in one of four outcomes:

- clean: the service answered for every package and reported nothing;
- vulnerable: the service reported a known vulnerability (exit 1, with each one and its fixed versions);
- not audited: the service could not be reached, or answered for no package (exit 3, or 0 with
  `--unreachable-ok`, which CI passes: an outage is not a finding, and a finding still fails);
- error: the tool failed for another reason, e.g. a lock file missing (exit 1).

"Not audited" is worked out here rather than trusted to the tools: pip-audit's PyPI service skips a package
whose per-version JSON page answers 404 (as a registry mirror that serves only the index does), and then
prints "No known vulnerabilities found" and exits 0 having checked nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

CLEAN, VULNERABLE, NOT_AUDITED, ERROR = "clean", "vulnerable", "not audited", "error"

# Signs, in a tool's error output, that the vulnerability service was not reached (name resolution,
# refused or dropped connections, timeouts), as opposed to a failure that someone must fix.
PIP_NETWORK_SIGNS = (
    "ConnectionError",
    "ConnectTimeout",
    "ReadTimeout",
    "NameResolutionError",
    "Max retries exceeded",
    "Could not connect",
    "is not redirecting properly",
)
NPM_NETWORK_CODES = {"ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENETUNREACH", "EHOSTUNREACH"}

TOOL_TIMEOUT_SECONDS = 600


@dataclass
class Outcome:
    tool: str
    status: str
    lines: list[str] = field(default_factory=list)


def pip_audit_outcome(returncode: int, stdout: str, stderr: str) -> Outcome:
    """Read `pip-audit --format json`'s answer."""
    tool = "pip-audit (requirements.txt)"
    report = _json_or_none(stdout)
    dependencies = report.get("dependencies") if isinstance(report, dict) else None
    if not isinstance(dependencies, list):
        if any(sign in stderr for sign in PIP_NETWORK_SIGNS):
            return Outcome(tool, NOT_AUDITED, ["the vulnerability service could not be reached: " + _last_line(stderr)])
        return Outcome(tool, ERROR, [f"pip-audit failed (exit {returncode}): " + _last_line(stderr)])
    found = [
        f"{dep['name']} {dep.get('version', '?')}: {vuln.get('id', '?')}{_aliases(vuln)}, "
        + (f"fixed in {', '.join(vuln['fix_versions'])}" if vuln.get("fix_versions") else "no fixed version yet")
        for dep in dependencies
        for vuln in dep.get("vulns") or ()
    ]
    if found:
        return Outcome(tool, VULNERABLE, found)
    skipped = [dep for dep in dependencies if dep.get("skip_reason")]
    if skipped:
        if len(skipped) == len(dependencies):
            first = f"the vulnerability service answered for none of the {len(dependencies)} packages"
        else:
            first = f"the vulnerability service answered for {len(dependencies) - len(skipped)} of "
            first += f"{len(dependencies)} packages; not audited: " + ", ".join(dep["name"] for dep in skipped)
        lines = [first, "first reason given: " + skipped[0]["skip_reason"]]
        return Outcome(tool, NOT_AUDITED, lines)
    if returncode != 0:
        return Outcome(tool, ERROR, [f"pip-audit failed (exit {returncode}): " + _last_line(stderr)])
    return Outcome(tool, CLEAN, [f"{len(dependencies)} packages audited, no known vulnerability"])


def npm_audit_outcome(returncode: int, stdout: str, stderr: str) -> Outcome:
    """Read `npm audit --json`'s answer (report version 2, npm 7 and later)."""
    tool = "npm audit (production packages)"
    report = _json_or_none(stdout)
    if not isinstance(report, dict):
        return Outcome(tool, ERROR, [f"npm audit failed (exit {returncode}): " + _last_line(stderr)])
    counts = (report.get("metadata") or {}).get("vulnerabilities")
    if isinstance(counts, dict):
        found = [_npm_line(name, entry) for name, entry in sorted((report.get("vulnerabilities") or {}).items())]
        if found or counts.get("total"):
            return Outcome(tool, VULNERABLE, found or [f"{counts.get('total')} reported"])
        packages = (report.get("metadata") or {}).get("dependencies", {})
        total = packages.get("prod", packages.get("total")) if isinstance(packages, dict) else None
        audited = f"{total} packages" if total is not None else "the packages"
        return Outcome(tool, CLEAN, [f"{audited} audited, no known vulnerability"])
    error = report.get("error") if isinstance(report.get("error"), dict) else {}
    code = error.get("code") or report.get("code")
    message = report.get("message") or error.get("summary") or _last_line(stderr)
    # An HTTP status means the audit endpoint answered but gave no report (down, or not offered by a proxy).
    if "statusCode" in report or code in NPM_NETWORK_CODES:
        return Outcome(tool, NOT_AUDITED, ["the vulnerability service could not be reached: " + str(message)])
    return Outcome(tool, ERROR, [f"npm audit failed (exit {returncode}, {code or 'no code'}): {message}"])


def _npm_line(name: str, entry: dict[str, Any]) -> str:
    advisories = [via.get("title") or via.get("url") or "?" for via in entry.get("via", ()) if isinstance(via, dict)]
    through = [via for via in entry.get("via", ()) if isinstance(via, str)]
    what = "; ".join(advisories) if advisories else "through " + ", ".join(through)
    fix = entry.get("fixAvailable")
    fixed = "fix available" if fix is True else (f"fix: {fix.get('name')} {fix.get('version')}" if fix else "no fix")
    return f"{name} {entry.get('range', '?')} ({entry.get('severity', '?')}): {what}; {fixed}"


def _aliases(vuln: dict[str, Any]) -> str:
    aliases = vuln.get("aliases") or []
    return f" ({', '.join(aliases)})" if aliases else ""


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no message"


def _run(tool: str, command: list[str]) -> tuple[int, str, str] | Outcome:
    try:
        done = subprocess.run(  # noqa: S603 - fixed commands, no shell
            command, cwd=ROOT, capture_output=True, text=True, timeout=TOOL_TIMEOUT_SECONDS, check=False
        )
    except FileNotFoundError:
        return Outcome(tool, ERROR, [f"{command[0]} is not installed"])
    except subprocess.TimeoutExpired:
        return Outcome(tool, NOT_AUDITED, [f"no answer within {TOOL_TIMEOUT_SECONDS} seconds"])
    return done.returncode, done.stdout, done.stderr


def audit() -> list[Outcome]:
    pip_command = [sys.executable, "-m", "pip_audit", "-r", "requirements.txt", "--format", "json"]
    pip_command += ["--progress-spinner", "off", "--timeout", "30"]
    npm_command = ["npm", "audit", "--omit=dev", "--json"]
    outcomes = []
    for tool, command, read in (
        ("pip-audit (requirements.txt)", pip_command, pip_audit_outcome),
        ("npm audit (production packages)", npm_command, npm_audit_outcome),
    ):
        ran = _run(tool, command)
        outcomes.append(ran if isinstance(ran, Outcome) else read(*ran))
    return outcomes


def exit_code(outcomes: list[Outcome], *, unreachable_ok: bool) -> int:
    statuses = {outcome.status for outcome in outcomes}
    if statuses & {VULNERABLE, ERROR}:
        return 1
    if NOT_AUDITED in statuses and not unreachable_ok:
        return 3
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--unreachable-ok",
        action="store_true",
        help="exit 0 when a vulnerability service cannot be reached (still 1 on a vulnerability or an error)",
    )
    args = parser.parse_args(argv)
    outcomes = audit()
    for outcome in outcomes:
        print(f"{outcome.tool}: {outcome.status.upper()}")
        for line in outcome.lines:
            print(f"  {line}")
    code = exit_code(outcomes, unreachable_ok=args.unreachable_ok)
    if any(outcome.status == NOT_AUDITED for outcome in outcomes):
        consequence = "not failing (--unreachable-ok)" if code == 0 else "failing: run it again where it is reachable"
        print(f"Some dependencies were NOT audited: their vulnerability service could not be reached; {consequence}.")
    return code


if __name__ == "__main__":
    sys.exit(main())
