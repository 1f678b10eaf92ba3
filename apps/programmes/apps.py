"""Programmes: TISC services, WIPO Re:Search partnerships, ADR with the Arbitration and Mediation Center and
the Inventor Assistance Programme, reached from the portal and worked as helpdesk tickets."""

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "apps.programmes"
    label = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from apps.core.demo import DemoStep, register_demo_step
        from apps.core.navigation import NavEntry, register_navigation
        from apps.core.roles import Role
        from apps.events.courses import register_course_source
        from apps.guidance.calculators.catalogue import Calculator, register_calculator
        from apps.helpdesk import followers
        from apps.outreach.links import LinkKind, register_link_kind
        from apps.programmes import (
            demo,
            erasure,  # noqa: F401  (declares what an MSME's erasure removes here)
            links,
        )
        from apps.programmes.models import ProgrammeRequest

        register_navigation(
            NavEntry(_("Programmes"), "programmes:index", frozenset({None, Role.MSME_MEMBER}), order=65),
            NavEntry(_("Programme requests"), "programmes:requests", frozenset({Role.HELPDESK_AGENT}), order=74),
        )
        register_calculator(
            Calculator(
                "programmes:adr-fees",
                _("Mediation and arbitration fees"),
                _("What would mediation or arbitration at the WIPO Center cost for my dispute?"),
                ("adr",),
                order=60,
            ),
            Calculator(
                "programmes:adr-clause",
                _("Dispute clause for a contract"),
                _("What clause do I put in my licence or contract to send disputes to WIPO mediation?"),
                ("adr",),
                order=70,
            ),
        )
        register_course_source("programmes", links.course_addresses)
        register_link_kind(
            LinkKind("course", _("A course"), choices=links.course_choices, url_for=links.course_link, order=45)
        )
        # A request follows its ticket to the division it is transferred to.
        followers.register(
            ProgrammeRequest,
            label=_("Programme request: its stage and outcome"),
            url_for=lambda row: reverse("programmes:request", args=[row.pk]),
        )
        # After the helpdesk's queues and the registry's MSMEs.
        register_demo_step(DemoStep("programmes", 90, demo.seed_demo))
