from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in

        from apps.accounts import demo, selectors, token_cache
        from apps.accounts.adapter import remember_language_at_sign_in
        from apps.accounts.api import schema  # noqa: F401  (registers the OpenAPI extension)
        from apps.core.demo import DemoStep, register_demo_step

        register_demo_step(DemoStep("accounts", 20, demo.seed_demo))
        token_cache.connect_signals()
        selectors.connect_signals()
        user_logged_in.connect(remember_language_at_sign_in, dispatch_uid="accounts.language_at_sign_in")
