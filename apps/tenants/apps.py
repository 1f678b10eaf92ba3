from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "apps.tenants"
    label = "tenants"
    verbose_name = _("Tenants")

    def ready(self) -> None:
        from apps.tenants import checks, rls, signed_in  # noqa: F401  (checks registers the system check)

        rls.install_connection_hook()
        signed_in.connect_signals()

        from apps.core.demo import DemoStep, register_demo_step
        from apps.core.health import register_database_detail
        from apps.tenants import demo, health

        register_demo_step(DemoStep("tenants", 10, demo.seed_demo))
        register_database_detail("rls", health.check_rls)
