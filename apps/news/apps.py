from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "apps.news"
    label = "news"
    verbose_name = _("News and consultations")

    def ready(self) -> None:
        from apps.core.demo import DemoStep, register_demo_step
        from apps.core.navigation import NavEntry, register_navigation
        from apps.core.roles import Role
        from apps.news import demo

        # Signed-in members and staff of a tenant; a visitor has no tenant and reads the public feeds instead.
        register_navigation(
            NavEntry(_("News"), "news:index", frozenset({Role.MSME_MEMBER, Role.AGENCY_STAFF}), order=84),
        )
        # After the registry (30): comments are written by the demo MSMEs' members.
        register_demo_step(DemoStep("news", 84, demo.seed_demo))
