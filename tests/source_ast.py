"""The portal's own source, parsed, for the ratchet tests that read the code (tests/test_scopes.py,
tests/test_streaming_ratchet.py): every module of apps/, migrations left out."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

APPS = Path(__file__).resolve().parent.parent / "apps"


def module_name(path: Path) -> str:
    parts = path.relative_to(APPS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def parse(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def module_path(module: str) -> Path:
    return APPS.parent / Path(*module.split(".")).with_suffix(".py")


def findings_by_module[T](find: Callable[[ast.AST], list[T]]) -> dict[str, list[T]]:
    """`find(tree)` for every module of apps/ (migrations left out): {module name: its findings}, non-empty only."""
    found = {}
    for path in sorted(APPS.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        findings = find(parse(path))
        if findings:
            found[module_name(path)] = findings
    return found
