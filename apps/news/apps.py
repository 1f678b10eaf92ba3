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
        from apps.news import demo, tasks
        from apps.outreach.outbox import register_pending_fanouts

        # Signed-in members and staff of a tenant; a visitor has no tenant and reads the public feeds instead.
        register_navigation(
            NavEntry(_("News"), "news:index", frozenset({Role.MSME_MEMBER, Role.AGENCY_STAFF}), order=84),
        )
        # A post with many followers has their notices written by a task; marks it left behind.
        register_pending_fanouts("news", tasks.queue_pending_notices)
        # After the registry (30): comments are written by the demo MSMEs' members.
        register_demo_step(DemoStep("news", 84, demo.seed_demo))
