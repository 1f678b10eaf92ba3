"""Statistics: rollups of the registry into summary tables, and the agency and division dashboards."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "apps.dashboards"
    label = "dashboards"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        # Imported here: these modules read models, which are not loaded when apps.py is.
        from apps.core.demo import DemoStep, register_demo_step
        from apps.core.navigation import NavEntry, register_navigation
        from apps.core.roles import Role
        from apps.dashboards import demo, receivers  # noqa: F401  (receivers register themselves)

        register_navigation(
            NavEntry(
                _("Statistics"), "dashboards:index", frozenset({Role.AGENCY_STAFF, Role.DIVISION_ANALYST}), order=90
            ),
        )
        # Last: it counts what every other step made.
        register_demo_step(DemoStep("dashboards", 990, demo.seed_demo))
