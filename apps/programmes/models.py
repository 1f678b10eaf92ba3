"""The programmes MSMEs reach from the portal: the directories behind them (TISCs, WIPO Re:Search members) and
the requests MSMEs send them.

A request is worked as a helpdesk ticket (`ticket`): the queue, the SLA, the timeline, the files and the
e-mails are the helpdesk's. The request keeps what the programme's own form asked and where the programme
stands (`stage`), which the MSME sees. Like its ticket it keeps the MSME's tenant for good and carries the WIPO
division whose queue works it (the Arbitration and Mediation Center's for an ADR request), following the ticket
when it is transferred (`apps.helpdesk.followers`).

The directories are shared rows, not a tenant's data: a TISC or a Re:Search member is public, found by country,
and holds no MSME's data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.helpdesk.models import Queue, Ticket
from apps.registry.models import Msme
from apps.tenants.fields import TenantForeignKey
from apps.tenants.models import DivisionRoutedModel, validate_country_code


class TiscService(models.TextChoices):
    """The services TISCs offer (WIPO's list of TISC services)."""

    DATABASE_ACCESS = "database_access", _("Access to patent databases and help using them")
    STATE_OF_THE_ART = "state_of_the_art", _("State-of-the-art search")
    PATENTABILITY = "patentability", _("Novelty or patentability search")
    FREEDOM_TO_OPERATE = "freedom_to_operate", _("Freedom-to-operate search")
    VALIDITY = "validity", _("Validity search")
    LANDSCAPE = "landscape", _("Patent landscape report")
    DRAFTING = "drafting", _("Help drafting a patent application")
    LICENSING = "licensing", _("Licensing and technology-transfer advice")
    COMMERCIALISATION = "commercialisation", _("Commercialisation advice")


class Tisc(models.Model):
    """A Technology and Innovation Support Center: who hosts it, where, in which languages, what it offers.

    `queue` is the helpdesk queue of the agency whose MSMEs it serves; its agents are the TISC's staff. A TISC
    without one is reached through the agency's helpdesk (the routing rules for the `tiscs` topic)."""

    name = models.CharField(_("name"), max_length=200)
    host_institution = models.CharField(_("host institution"), max_length=200)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    city = models.CharField(_("city"), max_length=100)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    services = models.JSONField(_("services"), default=list, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("helpdesk queue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The agency's queue whose agents answer this TISC's requests."),
    )
    is_active = models.BooleanField(_("listed"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("TISC")
        verbose_name_plural = _("TISCs")
        ordering = ["country", "city", "name"]
        indexes = [models.Index(fields=["country", "city", "name"], name="programmes_tisc_country")]

    def __str__(self) -> str:
        return self.name


class DiseaseArea(models.TextChoices):
    NTD = "ntd", _("Neglected tropical diseases")
    MALARIA = "malaria", _("Malaria")
    TUBERCULOSIS = "tuberculosis", _("Tuberculosis")


class ResearchResource(models.TextChoices):
    COMPOUNDS = "compounds", _("Compounds")
    DATA = "data", _("Data")
    EXPERTISE = "expertise", _("Expertise")
    FACILITIES = "facilities", _("Facilities")


class ResearchMember(models.Model):
    """A member institution of WIPO Re:Search: what it works on and what it shares."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        UNIVERSITY = "university", _("University")
        INSTITUTE = "institute", _("Research institute")
        PDP = "pdp", _("Product development partnership")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    disease_areas = models.JSONField(_("disease areas"), default=list, blank=True)
    offers = models.JSONField(_("what it shares"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("listed"), default=True)

    class Meta:
        verbose_name = _("WIPO Re:Search member")
        verbose_name_plural = _("WIPO Re:Search members")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    """Where a programme's request stands, as the MSME sees it."""

    SUBMITTED = "submitted", _("Submitted")
    IN_PROGRESS = "in_progress", _("In progress")
    MATCHED = "matched", _("Matched")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A request in one of these is over: its ticket is resolved, and the MSME cannot withdraw it.
FINAL_STAGES = (Stage.COMPLETED, Stage.DECLINED, Stage.WITHDRAWN)


class ProgrammeRequest(DivisionRoutedModel):
    """An MSME's request to a programme (a TISC search, an ADR procedure, a Re:Search partnership, the Inventor
    Assistance Programme), worked as its helpdesk `ticket`."""

    programme = models.CharField(_("programme"), max_length=20)
    kind = models.CharField(_("what is asked"), max_length=40)
    ticket = TenantForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="+")
    # SET_NULL: deleting an MSME or a user never deletes the request; the names stay on its ticket.
    msme = TenantForeignKey(
        Msme, verbose_name=_("MSME"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    tisc = models.ForeignKey(
        Tisc, verbose_name=_("TISC"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    # The programme's form as sent: {field: value}, plain strings.
    details = models.JSONField(_("details"), default=dict, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.SUBMITTED)
    outcome = models.TextField(
        _("outcome"), max_length=5000, blank=True, help_text=_("What came of the request, shown to the MSME.")
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("programme request")
        verbose_name_plural = _("programme requests")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["tenant", "ticket"], name="programmes_request_one_per_ticket")]
        indexes = [
            models.Index(fields=["tenant", "requester", "-created_at"], name="programmes_request_requester"),
            models.Index(fields=["tenant", "programme", "-created_at"], name="programmes_request_programme"),
            models.Index(
                fields=["division", "programme", "-created_at"],
                condition=models.Q(division__isnull=False),
                name="programmes_request_division",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.kind}"

    @property
    def is_final(self) -> bool:
        return self.stage in FINAL_STAGES
