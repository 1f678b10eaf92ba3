from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "apps.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        # Imported here: these modules read models, which are not loaded when apps.py is.
        from apps.core.demo import DemoStep, register_demo_step
        from apps.core.navigation import NavEntry, register_navigation
        from apps.core.roles import Role
        from apps.outreach import (
            builtin_links,
            demo,
            erasure,  # noqa: F401  (declares what an MSME's erasure removes here)
        )
        from apps.outreach.links import register_link_kind

        register_link_kind(builtin_links.DIAGNOSTIC)
        register_link_kind(builtin_links.TOPIC)
        register_navigation(NavEntry(_("Outreach"), "outreach:index", frozenset({Role.AGENCY_STAFF}), order=80))
        # After the registry's MSMEs (30).
        register_demo_step(DemoStep("outreach", 80, demo.seed_demo))
