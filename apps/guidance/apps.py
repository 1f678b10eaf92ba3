from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "apps.guidance"
    label = "guidance"
    verbose_name = _("Guidance")

    def ready(self) -> None:
        from apps.core.navigation import EVERYONE, NavEntry, register_navigation
        from apps.guidance.calculators.catalogue import register_guidance_calculators
        from apps.guidance.search import rebuild_after_migrate

        register_navigation(
            NavEntry(_("Guidance"), "guidance:index", EVERYONE, order=10),
            NavEntry(_("Calculators"), "guidance:calculators", EVERYONE, order=15),
        )
        register_guidance_calculators()

        # The search index follows the topic files: rebuilt (when they changed) after every migrate.
        post_migrate.connect(rebuild_after_migrate, sender=self, dispatch_uid="guidance.search_index")

        from apps.guidance.models import TopicOverlay
        from apps.guidance.page_cache import bump_content_version
        from apps.tenants.models import Tenant

        # The cached topic pages show the overlays and every agency's name (apps.guidance.page_cache).
        for model in (TopicOverlay, Tenant):
            for signal in (post_save, post_delete):
                signal.connect(bump_content_version, sender=model, dispatch_uid=f"guidance.pages.{model.__name__}")
