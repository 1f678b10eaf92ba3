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
