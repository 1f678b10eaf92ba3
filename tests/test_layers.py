"""The apps keep their layers (.importlinter, run by `make lint`): the real tree keeps every contract, and
the contracts do catch a new violation (a lower app importing a higher one, an import cycle)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
APPS = tuple(
    path.name for path in sorted((ROOT / "apps").iterdir()) if (path / "__init__.py").exists()
)  # every app of the tree


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / ".importlinter")],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_apps_keep_their_layers():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def _tree(tmp_path: Path, imports: dict[str, str]) -> Path:
    """An `apps` package with the portal's apps, empty but for the import lines given per app."""
    for app in APPS:
        package = tmp_path / "apps" / app
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(imports.get(app, ""))
    (tmp_path / "apps" / "__init__.py").write_text("")
    return tmp_path


@pytest.mark.parametrize(
    ("imports", "broken"),
    [
        ({"core": "import apps.registry\n"}, "Apps are layered"),  # core imports no other app
        ({"tenants": "import apps.accounts\n"}, "Apps are layered"),
        ({"registry": "import apps.diagnostics\n"}, "Apps are layered"),
        ({"diagnostics": "import apps.plan\n"}, "Apps are layered"),
        ({"guidance": "import apps.registry\n"}, "Apps are layered"),  # guidance is independent of the registry
        ({"guidance": "import apps.diagnostics\n"}, "Apps are layered"),
        ({"registry": "import apps.guidance\n"}, "Apps are layered"),
        ({"registry": "import apps.helpdesk\n"}, "Apps are layered"),  # the helpdesk is built on the registry
        ({"plan": "import apps.helpdesk\n"}, "Apps are layered"),  # plan and helpdesk are independent
        (
            {"helpdesk": "import apps.outreach\n"},
            "Apps are layered",
        ),  # outreach reaches MSMEs; the helpdesk does not send campaigns
        ({"outreach": "import apps.events\n"}, "Apps are layered"),  # events register their links with outreach
        ({"surveys": "import apps.events\n"}, "Apps are layered"),
        ({"events": "import apps.news\n"}, "Apps are layered"),  # events, news and reminders are independent
        ({"plan": "import apps.diagnostics\n", "diagnostics": "import apps.plan\n"}, "No import cycles"),
    ],
)
def test_a_new_violation_fails_the_lint(tmp_path, imports, broken):
    result = _lint_imports(_tree(tmp_path, imports))
    assert result.returncode != 0
    assert f"{broken}" in result.stdout and "BROKEN" in result.stdout


def test_an_allowed_import_passes(tmp_path):
    result = _lint_imports(_tree(tmp_path, {"plan": "import apps.diagnostics\nimport apps.guidance\n"}))
    assert result.returncode == 0, result.stdout


@pytest.fixture(autouse=True)
def _no_cache_left(tmp_path):
    yield
    shutil.rmtree(tmp_path / ".import_linter_cache", ignore_errors=True)
