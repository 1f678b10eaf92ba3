"""Who may leave the request's tenant: `unscoped()` is audited in the logs, and every module that
enters a tenant's context (or none) is on an allow-list that says why."""

from __future__ import annotations

import ast
import logging
from contextlib import ExitStack

from apps.tenants.context import unscoped
from tests.source_ast import findings_by_module

# The functions that switch the active scope (a tenant, a division), or leave every tenant's rows open.
SCOPE_SWITCHES = frozenset({"tenant_context", "division_context", "scope_context", "unscoped", "iterate_in_tenant"})

# module -> why it may enter a tenant's context (or `unscoped`). A request already runs in its own
# tenant (the middleware); any other entry is either work with no request (tasks, commands, demo
# data) or a request that deliberately reads or writes in a tenant other than its own.
ALLOWED = {
    "apps.dashboards.selectors": (
        "unscoped: a division's dashboard sums the summary counts (no MSME rows) of its countries' tenants, "
        "then withholds the small ones"
    ),
    "apps.helpdesk.routing": (
        "unscoped: the least-loaded agent of a division's queue is found by counting that queue's agents' "
        "tickets in every tenant (counts only)"
    ),
    "apps.helpdesk.services": (
        "tenant_context: a transfer re-routes the ticket in its own tenant's scope, since a division's scope may "
        "only write rows that stay routed to it"
    ),
    "apps.helpdesk.mail.inbound": (
        "unscoped: an e-mail reply names a ticket of any tenant, whose tenant id alone is read across tenants; the "
        "reply is then posted in the sender's own scope, the ticket's tenant (tenant_context) or, for a division's "
        "agent, their division (division_context)"
    ),
    "apps.accounts.selectors": (
        "unscoped: the signed-in entry holds the user's own saved filters (that user's rows only) in each of their "
        "agencies, read once when the entry is built; a page shows the active agency's only"
    ),
    # The layer itself.
    "apps.tenants.context": "defines tenant_context, division_context, scope_context, unscoped and iterate_in_tenant",
    "apps.tenants.middleware": (
        "enters the request's own scope (its tenant or its division); unscoped for a platform admin in the Django admin"
    ),
    "apps.tenants.tasks": "a Celery tenant task re-enters the tenant whose id it was sent with",
    "apps.tenants.files": "a streamed file is read after the view returned, in the tenant that opened it",
    "apps.tenants.fanout": "a beat job's for_each_tenant runs its work in each tenant in turn",
    # Work with no request: tasks, jobs, management commands, demo data.
    "apps.registry.importing.jobs": (
        "an import job that could not be queued is failed in its own tenant; the stale-job sweep is unscoped"
    ),
    "apps.registry.importing.service": "an import runs in the tenant it was started for (also from a worker)",
    "apps.registry.services": (
        "tenant_recompute_size_classes runs in the tenant whose thresholds changed (the admin, a command)"
    ),
    "apps.registry.demo": "demo data is seeded into the tenant it is made for",
    "apps.diagnostics.demo": "demo assessments are seeded into the tenant they are made for",
    "apps.outreach.demo": "demo campaigns and their deliveries are seeded into the tenant they are made for",
    "apps.helpdesk.demo": (
        "demo tickets are made in the tenant of the MSME that asks; a division's agents answer in their division"
    ),
    # Request code that switches to a tenant other than the request's.
    "apps.registry.views": (
        "self-registration: the visitor has no tenant yet and picks an agency, and the business is created in it; "
        "a CSV export streams in the request's own tenant (iterate_in_tenant)"
    ),
    "apps.diagnostics.session": (
        "a visitor's assessment is claimed into the tenant of the MSME just registered, or, after sign-in, "
        "of the MSME the user is a member of"
    ),
    "apps.events.views": (
        "the feedback link is opened without signing in: it names its tenant, signed, and the form is read and "
        "saved in that tenant"
    ),
    "apps.events.demo": "demo events are seeded into the tenant they are made for",
    "apps.programmes.green": (
        "WIPO GREEN is an exchange across agencies: published listings are read from every tenant, and a "
        "connection is written in the technology's tenant and read by its seeker's"
    ),
    "apps.stories.selectors": "published success stories of every agency are public (their pages, topics, plans)",
    "apps.stories.demo": "demo stories are seeded into the agency they are written by",
    "apps.programmes.mentoring": "a mentor answers from a signed link, with no session: the link names the tenant",
    "apps.programmes.mentoring_views": "the mentor's answer is written in the tenant the signed link names",
    "apps.programmes.network": "the intermediaries each agency lists are a public directory by country",
    "apps.programmes.demo": (
        "demo requests are sent in the tenant of the MSME that asks; a division's agents work them in their division"
    ),
    "apps.guidance.overlays": "a visitor (or another agency) reads the national overlay the agency picked publishes",
    "apps.reminders.feed": (
        "the calendar feed is fetched with no session: the tenant of the address's token is read across tenants "
        "by the token's id (unscoped, a primary key read), and the feed is then built in that tenant (tenant_context)"
    ),
    "apps.reminders.demo": "demo reminders and calendar addresses are seeded into the tenant they are made for",
    "apps.surveys.views": (
        "an MSME's signed survey link works without signing in: the answer page enters the tenant the link was "
        "signed for (a visitor has none, a signed-in user may be of another agency)"
    ),
    "apps.surveys.demo": "the demo survey and its answers are seeded into the tenant they are made for",
    "apps.outreach.views.unsubscribe": (
        "a campaign message's unsubscribe link is opened without signing in: its signed token names the tenant, "
        "whose delivery is read and whose MSME's consent is turned off there"
    ),
    "apps.tenants.admin_base": (
        "the Django admin (a platform admin, unscoped for its lists) validates and writes each row in the row's "
        "own tenant, the one an add page asks for first"
    ),
    "apps.news.feeds": (
        "a tenant's public RSS/Atom feed: a feed reader has no tenant, so the feed enters the one its slug names "
        "and reads only its published posts"
    ),
    "apps.news.demo": "demo posts and comments are seeded into the tenant they are made for",
}


def _scope_switch_calls(tree: ast.AST) -> list[tuple[str, int]]:
    """(name, line) of every call of a scope switch: by name, through a module (`context.unscoped`),
    or under another name (`from apps.tenants.context import unscoped as everywhere`)."""
    aliases = {name: name for name in SCOPE_SWITCHES}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in SCOPE_SWITCHES:
                    aliases[alias.asname or alias.name] = alias.name
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in aliases:
            calls.append((aliases[name], node.lineno))
    return calls


def scope_switches_by_module() -> dict[str, list[tuple[str, int]]]:
    return findings_by_module(_scope_switch_calls)


def test_only_allow_listed_modules_switch_the_tenant():
    unlisted = {module: calls for module, calls in scope_switches_by_module().items() if module not in ALLOWED}
    assert not unlisted, (
        "These modules enter a tenant's context or unscoped() without being on ALLOWED in tests/test_scopes.py "
        f"(add them with the reason, or use the request's tenant): {unlisted}"
    )


def test_the_allow_list_has_no_stale_entries():
    assert set(ALLOWED) <= set(scope_switches_by_module())


def test_the_ratchet_sees_aliases_and_module_attributes():
    source = (
        "from apps.tenants import context\n"
        "from apps.tenants.context import unscoped as everywhere\n"
        "with context.tenant_context(other):\n    pass\n"
        "with everywhere('reason'):\n    pass\n"
    )
    assert sorted(_scope_switch_calls(ast.parse(source))) == [("tenant_context", 3), ("unscoped", 5)]


def test_the_ratchet_sees_the_division_and_general_scope_switches():
    source = (
        "from apps.tenants.context import division_context, scope_context\n"
        "with division_context('madrid'):\n    pass\n"
        "with scope_context(request.actor.scope):\n    pass\n"
    )
    assert sorted(_scope_switch_calls(ast.parse(source))) == [("division_context", 2), ("scope_context", 4)]


def test_unscoped_logs_its_reason_and_caller_at_info(caplog):
    caplog.set_level(logging.INFO, logger="apps.tenants.context")
    with unscoped("test: reading every tenant"):
        line = test_unscoped_logs_its_reason_and_caller_at_info.__code__.co_firstlineno + 2
    (record,) = [r for r in caplog.records if r.name == "apps.tenants.context"]
    assert record.levelno == logging.INFO
    caller = f"{__name__}:test_unscoped_logs_its_reason_and_caller_at_info:{line}"
    assert record.unscoped_reason == "test: reading every tenant"
    assert record.unscoped_caller == caller
    assert caller in record.getMessage() and "test: reading every tenant" in record.getMessage()


def test_unscoped_names_the_caller_through_an_exit_stack(caplog):
    caplog.set_level(logging.INFO, logger="apps.tenants.context")
    with ExitStack() as stack:
        stack.enter_context(unscoped("test: via ExitStack"))
    (record,) = [r for r in caplog.records if r.name == "apps.tenants.context"]
    assert record.unscoped_caller.startswith(f"{__name__}:test_unscoped_names_the_caller_through_an_exit_stack:")
