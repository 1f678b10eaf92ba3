from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "apps.registry"
    label = "registry"
    verbose_name = _("MSME registry")

    def ready(self) -> None:
        from apps.core.demo import DemoStep, register_demo_step
        from apps.core.navigation import NavEntry, register_navigation
        from apps.core.roles import Role
        from apps.registry import checks, demo, receivers  # noqa: F401  (checks, receivers register themselves)

        register_navigation(
            NavEntry(_("My business"), "registry:my-msme", frozenset({Role.MSME_MEMBER}), order=30),
            NavEntry(_("MSME registry"), "registry:index", frozenset({Role.AGENCY_STAFF}), order=50),
            NavEntry(_("Import MSMEs"), "registry:import", frozenset({Role.AGENCY_STAFF}), order=60),
        )
        register_demo_step(DemoStep("registry", 30, demo.seed_demo))
