"""Navigation, demo data and health details are registered by each app (AppConfig.ready()), in order;
core lists no app."""

from __future__ import annotations

from apps.core.demo import demo_steps
from apps.core.health import _database_details
from apps.core.navigation import navigation_for, registered_navigation
from apps.core.roles import Role


def test_each_app_registers_its_navigation_in_order():
    names = [entry.url_name for entry in registered_navigation()]
    assert names == [
        "guidance:index",
        "guidance:calculators",
        "diagnostics:start",
        "registry:my-msme",
        "guidance:plan",
        "registry:index",
        "registry:import",
        "programmes:index",
        "stories:index",
        "helpdesk:mine",
        "helpdesk:queue",
        "helpdesk:sessions",
        "helpdesk:settings",
        "programmes:requests",
        "outreach:index",
        "surveys:index",
        "events:index",
        "news:index",
        "dashboards:index",
        "api-docs",
        "admin:index",
    ]


def test_the_menu_of_a_role_keeps_the_registered_order():
    assert [entry["name"] for entry in navigation_for(Role.MSME_MEMBER)] == [
        "guidance:index",
        "guidance:calculators",
        "diagnostics:start",
        "registry:my-msme",
        "guidance:plan",
        "programmes:index",
        "stories:index",
        "helpdesk:mine",
        "helpdesk:sessions",
        "events:index",
        "news:index",
    ]
    assert [entry["name"] for entry in navigation_for(Role.HELPDESK_AGENT)] == [
        "guidance:index",
        "guidance:calculators",
        "diagnostics:start",
        "helpdesk:queue",
        "programmes:requests",
        "api-docs",
    ]
    assert [entry["name"] for entry in navigation_for(None)] == [
        "guidance:index",
        "guidance:calculators",
        "diagnostics:start",
        "programmes:index",
        "stories:index",
    ]


def test_each_app_registers_its_demo_step_in_order():
    assert [step.name for step in demo_steps()] == [
        "tenants",
        "accounts",
        "registry",
        "diagnostics",
        "helpdesk",
        "outreach",
        "surveys",
        "events",
        "news",
        "reminders",
        "stories",
        "programmes",
        "dashboards",
    ]


def test_the_tenants_app_registers_the_rls_health_detail():
    assert set(_database_details) == {"rls"}
