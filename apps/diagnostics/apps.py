from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "apps.diagnostics"
    label = "diagnostics"
    verbose_name = _("IP diagnostic")

    def ready(self) -> None:
        from apps.core.demo import DemoStep, register_demo_step
        from apps.core.navigation import EVERYONE, NavEntry, register_navigation
        from apps.diagnostics import (  # noqa: F401  (signals connects the sign-in receiver)
            demo,
            erasure,
            signals,
        )

        register_navigation(NavEntry(_("IP diagnostic"), "diagnostics:start", EVERYONE, order=20))
        register_demo_step(DemoStep("diagnostics", 40, demo.seed_demo))
