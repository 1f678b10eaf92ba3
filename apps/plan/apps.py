from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "apps.plan"
    label = "plan"
    verbose_name = _("IP action plan")

    def ready(self) -> None:
        # Imported here, not at the top: the engine reads the registry's and the diagnostic's models,
        # which are not loaded yet when this module is.
        from apps.core.navigation import NavEntry, register_navigation
        from apps.core.roles import Role
        from apps.diagnostics.plan import ActionsProvider, register_actions_provider
        from apps.plan import results

        register_navigation(NavEntry(_("My action plan"), "guidance:plan", frozenset({Role.MSME_MEMBER}), order=40))
        register_actions_provider(
            ActionsProvider(for_assessment=results.actions_for_assessment, for_visitor=results.actions_for_visitor)
        )
