from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "apps.surveys"
    label = "surveys"
    verbose_name = _("Needs surveys")

    def ready(self) -> None:
        # Imported here: these modules read models, which are not loaded when apps.py is.
        from apps.core.demo import DemoStep, register_demo_step
        from apps.core.navigation import NavEntry, register_navigation
        from apps.core.roles import Role
        from apps.outreach.links import LinkKind, register_link_kind
        from apps.surveys import (
            demo,
            erasure,  # noqa: F401  (declares what an MSME's erasure removes here)
            links,
        )

        register_navigation(NavEntry(_("Surveys"), "surveys:index", frozenset({Role.AGENCY_STAFF}), order=81))
        register_link_kind(
            LinkKind(
                "survey",
                _("A survey"),
                choices=links.open_survey_choices,
                url_for=links.url_for,
                order=40,
                resolve=links.urls_for,
            )
        )
        # After the registry (30) and outreach (80): the demo MSMEs answer.
        register_demo_step(DemoStep("surveys", 81, demo.seed_demo))
