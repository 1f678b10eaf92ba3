from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "apps.diagnostics"
    label = "diagnostics"
    verbose_name = _("IP diagnostic")

    def ready(self) -> None:
        from apps.diagnostics import signals  # noqa: F401  (connects the sign-in receiver)
