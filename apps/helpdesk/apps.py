from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "apps.helpdesk"
    label = "helpdesk"
    verbose_name = _("Helpdesk")

    def ready(self) -> None:
        from apps.core.demo import DemoStep, register_demo_step
        from apps.core.navigation import NavEntry, register_navigation
        from apps.core.roles import Role
        from apps.helpdesk import (
            demo,
            erasure,  # noqa: F401  (declares what an MSME's erasure removes here)
        )

        register_navigation(
            NavEntry(_("Helpdesk"), "helpdesk:mine", frozenset({Role.MSME_MEMBER}), order=70),
            NavEntry(_("Ticket queue"), "helpdesk:queue", frozenset({Role.HELPDESK_AGENT}), order=71),
            # Counselling is the agency's: a division's agents have no sessions (the page refuses them).
            NavEntry(_("Counselling"), "helpdesk:sessions", frozenset({Role.MSME_MEMBER}), order=72),
            NavEntry(_("Helpdesk settings"), "helpdesk:settings", frozenset({Role.AGENCY_STAFF}), order=73),
        )
        # After the registry's (30): the tickets are asked by the demo MSMEs' members.
        register_demo_step(DemoStep("helpdesk", 50, demo.seed_demo))
