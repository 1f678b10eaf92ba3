from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core.signals import request_finished
        from django.utils.module_loading import autodiscover_modules

        from apps.core.navigation import register_core_navigation
        from apps.core.request_id import reset_request_id

        request_finished.connect(reset_request_id, dispatch_uid="core.reset_request_id")
        register_core_navigation()
        # Every app's rules (apps/<app>/policies.py) are registered before the first request or check.
        autodiscover_modules("policies")
