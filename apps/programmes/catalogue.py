"""The programmes an MSME sends a request to, declared once: where their requests go and what they ask.

A request is a helpdesk ticket of its programme's `topic` (the guidance topic of the same slug), opened in the
queue of the programme's WIPO `division` when it has one (`apps.helpdesk.routing.division_queue`), else in the
agency's helpdesk (a TISC's own queue, or the routing rules for the topic). Everything else (the form, the
pages, the API) reads these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.core.roles import Division
from apps.programmes.models import Stage, TiscService


@dataclass(frozen=True)
class Programme:
    slug: str
    title: Promise
    summary: Promise
    topic: str  # the guidance topic, and the topic of the request's ticket
    division: str | None  # whose queue works the requests; None: the agency's helpdesk
    kinds: tuple[tuple[str, Promise], ...]  # what a request may ask for
    stages: tuple[str, ...]  # the stages its staff move a request through

    def kind_label(self, value: str) -> str:
        return str(dict(self.kinds).get(value, value))


WORK_STAGES = (Stage.SUBMITTED, Stage.IN_PROGRESS, Stage.COMPLETED, Stage.DECLINED, Stage.WITHDRAWN)
MATCH_STAGES = (Stage.SUBMITTED, Stage.IN_PROGRESS, Stage.MATCHED, Stage.COMPLETED, Stage.DECLINED, Stage.WITHDRAWN)

TISC = Programme(
    slug="tisc",
    title=_("Technology and Innovation Support Centers (TISCs)"),
    summary=_("A patent search, a landscape report or advice on licensing from a TISC near you."),
    topic="tiscs",
    division=None,
    kinds=tuple((service.value, service.label) for service in TiscService),
    stages=WORK_STAGES,
)

ADR = Programme(
    slug="adr",
    title=_("Mediation and arbitration (WIPO Arbitration and Mediation Center)"),
    summary=_("Settle an IP dispute out of court: mediation, expedited arbitration, or the Center's Good Offices."),
    topic="adr",
    division=Division.AMC.value,
    kinds=(
        ("good_offices", _("Good Offices: help to propose ADR to the other party")),
        ("mediation", _("Mediation")),
        ("expedited_arbitration", _("Expedited arbitration")),
    ),
    stages=WORK_STAGES,
)

RESEARCH = Programme(
    slug="research",
    title=_("WIPO Re:Search partnerships"),
    summary=_(
        "Find partners, compounds, data or expertise for research on neglected tropical diseases, "
        "malaria and tuberculosis."
    ),
    topic="research",
    division=Division.GLOBAL_CHALLENGES.value,
    kinds=(("need", _("We need a partner or resources")), ("offer", _("We offer resources or expertise"))),
    stages=MATCH_STAGES,
)

IAP = Programme(
    slug="iap",
    title=_("Inventor Assistance Programme (IAP)"),
    summary=_("Free help from a volunteer patent attorney for inventors and small businesses with limited means."),
    topic="iap",
    division=Division.PATENT_LAW.value,
    kinds=(("patent_attorney", _("A volunteer patent attorney")),),
    stages=MATCH_STAGES,
)

PROGRAMMES: dict[str, Programme] = {programme.slug: programme for programme in (TISC, ADR, RESEARCH, IAP)}
PROGRAMME_CHOICES = [(programme.slug, programme.title) for programme in PROGRAMMES.values()]
