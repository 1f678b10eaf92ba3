"""A streamed response's body is read after the view and the tenant middleware have returned, with no
active tenant: its queries would see no rows (row-level security) or raise (the tenant-scoped managers).
Only the modules on ALLOWED construct one, each through a helper that carries the tenant into the body;
a new streamed response elsewhere must go through those helpers."""

from __future__ import annotations

import ast

from tests.source_ast import findings_by_module, module_path, parse

STREAMING_RESPONSES = frozenset({"StreamingHttpResponse", "FileResponse"})

# module -> (the helper the module must call to carry the scope into the body, why it is safe).
ALLOWED = {
    "apps.registry.views": (
        "iterate_in_tenant",
        "the MSME CSV export: every row is produced inside iterate_in_tenant(request.tenant, ...)",
    ),
    "apps.surveys.views": (
        "iterate_in_tenant",
        "the survey answers' CSV: every row is produced inside iterate_in_tenant(request.tenant, ...)",
    ),
    "apps.tenants.files": (
        "_TenantBoundFile",
        "serve_private_file: each read of the stored file runs in the tenant that opened it (_TenantBoundFile); "
        "views serve a tenant-private file through it",
    ),
}


def _called_name(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def streamed_responses(tree: ast.AST) -> list[tuple[str, int]]:
    """(class, line) of every construction of a streamed response, or a subclass of one: by name, through a
    module (`http.FileResponse`), or under another name (`import FileResponse as Download`)."""
    aliases = {name: name for name in STREAMING_RESPONSES}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in STREAMING_RESPONSES:
                    aliases[alias.asname or alias.name] = alias.name
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node) in aliases:
            found.append((aliases[_called_name(node)], node.lineno))
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else None
                if name in aliases:
                    found.append((aliases[name], node.lineno))
    return found


def streamed_responses_by_module() -> dict[str, list[tuple[str, int]]]:
    return findings_by_module(streamed_responses)


def test_only_allow_listed_modules_construct_a_streamed_response():
    unlisted = {module: found for module, found in streamed_responses_by_module().items() if module not in ALLOWED}
    assert not unlisted, (
        "These modules construct a StreamingHttpResponse or FileResponse, whose body is read with no active "
        "tenant: stream through apps.tenants.context.iterate_in_tenant or apps.tenants.files.serve_private_file, "
        f"or add the module to ALLOWED in tests/test_streaming_ratchet.py with the reason: {unlisted}"
    )


def test_the_allow_list_has_no_stale_entries():
    assert set(ALLOWED) <= set(streamed_responses_by_module())


def test_each_allowed_module_uses_the_helper_that_makes_it_safe():
    for module, (helper, _reason) in ALLOWED.items():
        calls = {_called_name(node) for node in ast.walk(parse(module_path(module))) if isinstance(node, ast.Call)}
        assert helper in calls, f"{module} is allowed to stream because it uses {helper}, which it no longer calls"


def test_the_ratchet_sees_aliases_module_attributes_and_subclasses():
    source = (
        "from django import http\n"
        "from django.http import FileResponse as Download\n"
        "http.StreamingHttpResponse(rows)\n"
        "Download(handle)\n"
        "class Csv(http.StreamingHttpResponse):\n    pass\n"
        "HttpResponse(body)\n"
    )
    assert sorted(streamed_responses(ast.parse(source))) == [
        ("FileResponse", 4),
        ("StreamingHttpResponse", 3),
        ("StreamingHttpResponse", 5),
    ]
