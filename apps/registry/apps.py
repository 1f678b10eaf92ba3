from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "apps.registry"
    label = "registry"
    verbose_name = _("MSME registry")

    def ready(self) -> None:
        from apps.registry import checks  # noqa: F401  (registers the system check)
