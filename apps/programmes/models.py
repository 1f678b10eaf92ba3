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
from apps.registry.models import IpAsset, Msme
from apps.tenants.fields import TenantForeignKey
from apps.tenants.models import DivisionRoutedModel, TenantOwnedModel, validate_country_code


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
    region = models.CharField(
        _("region"),
        max_length=10,
        blank=True,
        help_text=_("ISO 3166-2 subdivision code, as the registry's MSMEs have."),
    )
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


class Course(models.Model):
    """A course an MSME or its advisers can take: WIPO Academy's distance learning, the Patent Drafting Training
    Program, or an agency's own. Shared reference data, kept by the platform's administrators."""

    class Provider(models.TextChoices):
        WIPO_ACADEMY = "wipo_academy", _("WIPO Academy (distance learning)")
        PATENT_DRAFTING = "patent_drafting", _("WIPO Patent Drafting Training Program")
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        INTRODUCTORY = "introductory", _("Introductory")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices)
    code = models.CharField(_("code"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    languages = models.JSONField(_("languages"), default=list)
    is_free = models.BooleanField(_("free"), null=True, blank=True, help_text=_("Empty: not known."))
    duration = models.CharField(_("duration"), max_length=100, blank=True)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    url = models.URLField(_("address"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True, help_text=_("Where the facts come from."))
    is_active = models.BooleanField(_("listed"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["provider", "code", "title"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


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


# --- WIPO GREEN ---------------------------------------------------------------------------------------


class GreenCategory(models.TextChoices):
    """The fields of green technology a listing and a need are filed under."""

    ENERGY = "energy", _("Energy")
    WATER = "water", _("Water")
    AGRICULTURE = "agriculture", _("Agriculture and forestry")
    TRANSPORT = "transport", _("Transport")
    BUILDING = "building", _("Building and construction")
    WASTE = "waste", _("Waste management")
    POLLUTION = "pollution", _("Pollution and environment")


class GreenStage(models.TextChoices):
    """How far a technology is, in order (a need asks for one at least this far)."""

    RESEARCH = "research", _("Research")
    PROTOTYPE = "prototype", _("Prototype")
    PILOT = "pilot", _("Tested in the field")
    MARKET = "market", _("On the market")


GREEN_STAGE_ORDER = [stage.value for stage in GreenStage]


class GreenOffer(models.TextChoices):
    LICENCE = "licence", _("Licence")
    SALE = "sale", _("Sale")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    COLLABORATION = "collaboration", _("Collaboration")


class GreenListing(TenantOwnedModel):
    """What a green technology listing and a need share: an MSME's, published to the exchange or kept a draft.

    Published, its title, field, description, stage, countries and keywords are public (the exchange shows them
    to every agency's MSMEs and to visitors); who lists it and how to reach them are shared only through a
    connection both sides accept."""

    msme = TenantForeignKey(Msme, verbose_name=_("MSME"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("field"), max_length=20, choices=GreenCategory.choices)
    description = models.TextField(_("description"), max_length=5000)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("listed"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class GreenTechnology(GreenListing):
    stage = models.CharField(_("development stage"), max_length=20, choices=GreenStage.choices)
    offers = models.JSONField(_("what is offered"), default=list)
    ip_held = models.TextField(_("IP held"), max_length=2000, blank=True)
    assets = models.ManyToManyField(IpAsset, verbose_name=_("IP assets"), through="GreenTechnologyAsset", blank=True)

    class Meta:
        verbose_name = _("green technology")
        verbose_name_plural = _("green technologies")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["tenant", "is_published", "category", "-created_at"], name="green_tech_published"),
        ]


class GreenTechnologyAsset(TenantOwnedModel):
    """An IP asset of the register that protects a listed technology."""

    technology = TenantForeignKey(GreenTechnology, on_delete=models.CASCADE, related_name="+", tenant_index=False)
    asset = TenantForeignKey(IpAsset, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "technology", "asset"], name="green_tech_asset_unique")
        ]


class GreenNeed(GreenListing):
    min_stage = models.CharField(
        _("at least at stage"), max_length=20, choices=GreenStage.choices, default=GreenStage.RESEARCH
    )

    class Meta:
        verbose_name = _("green technology need")
        verbose_name_plural = _("green technology needs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["tenant", "is_published", "category", "-created_at"], name="green_need_published"),
        ]


class GreenConnection(TenantOwnedModel):
    """An introduction between a seeker and a technology's MSME, kept in the technology's tenant.

    The seeker may be an MSME of another agency: its side is kept by id and as it presented itself, never as a
    key into its tenant. Contact details are shown to each side only once both have accepted."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for both to accept")
        CONNECTED = "connected", _("Connected")
        DECLINED = "declined", _("Declined")

    technology = TenantForeignKey(GreenTechnology, on_delete=models.CASCADE, related_name="+")
    # The seeker's side: its tenant, MSME, need and person, by id (another tenant's rows are not keys here).
    seeker_tenant_id = models.BigIntegerField()
    seeker_msme_id = models.UUIDField()
    seeker_user_id = models.BigIntegerField(null=True, blank=True)
    seeker_need_id = models.UUIDField(null=True, blank=True)
    seeker_name = models.CharField(_("seeker"), max_length=200)
    seeker_contact = models.CharField(_("seeker's contact"), max_length=400, blank=True)
    provider_contact = models.CharField(_("provider's contact"), max_length=400, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    initiated_by = models.CharField(max_length=10, choices=[("seeker", "seeker"), ("provider", "provider")])
    score = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    seeker_accepted_at = models.DateTimeField(null=True, blank=True)
    provider_accepted_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    created_at = models.DateTimeField(default=timezone.now)

    audit_personal_fields = ("seeker_name", "seeker_contact", "provider_contact")

    class Meta:
        verbose_name = _("green connection")
        verbose_name_plural = _("green connections")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "technology", "seeker_msme_id"], name="green_connection_one_per_seeker"
            )
        ]
        indexes = [models.Index(fields=["tenant", "seeker_user_id"], name="green_connection_seeker")]

    def __str__(self) -> str:
        return f"{self.seeker_name} ~ {self.technology_id}"

    @property
    def is_connected(self) -> bool:
        return self.state == self.State.CONNECTED


# --- Mentoring ------------------------------------------------------------------------------------


class MentoringArea(models.TextChoices):
    """What an MSME wants help with in bringing its IP to market."""

    LICENSING = "licensing", _("Licensing a technology or a brand")
    VALUATION = "valuation", _("Valuing IP and raising money on it")
    EXPORT = "export", _("Protecting a brand before exporting")
    TECHNOLOGY_TRANSFER = "technology_transfer", _("Technology transfer with a university or a partner")
    FRANCHISING = "franchising", _("Franchising")
    STRATEGY = "strategy", _("An IP strategy for the business")


class Mentor(TenantOwnedModel):
    """An experienced person the agency registered to mentor its MSMEs; answers requests from a signed link,
    without an account."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    areas = models.JSONField(_("areas"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    bio = models.TextField(_("experience"), max_length=1000, blank=True)
    is_active = models.BooleanField(_("taking requests"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    audit_personal_fields = ("name", "email", "bio")

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["name"]
        indexes = [models.Index(fields=["tenant", "name"], name="programmes_mentor_name")]

    def __str__(self) -> str:
        return self.name


class MentoringRequest(TenantOwnedModel):
    class Status(models.TextChoices):
        UNASSIGNED = "unassigned", _("Waiting for the agency to find a mentor")
        WAITING = "waiting", _("Waiting for the mentor's answer")
        ACCEPTED = "accepted", _("Accepted: you are in touch")
        DECLINED = "declined", _("Declined: the agency looks for another mentor")

    msme = TenantForeignKey(Msme, verbose_name=_("MSME"), on_delete=models.CASCADE, related_name="+")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    area = models.CharField(_("area"), max_length=30, choices=MentoringArea.choices)
    description = models.TextField(_("what you need"), max_length=3000)
    language = models.CharField(_("language"), max_length=8)
    mentor = TenantForeignKey(
        Mentor, verbose_name=_("mentor"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UNASSIGNED)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentoring request")
        verbose_name_plural = _("mentoring requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "-created_at"], name="programmes_mentoring_created")]

    def __str__(self) -> str:
        return self.get_area_display()


# --- Intermediaries and partnerships --------------------------------------------------------------------


class Intermediary(TenantOwnedModel):
    """An association, chamber of commerce or support institution that reaches MSMEs in the agency's country:
    the agency keeps its country's list; listed ones are public."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Business or trade association")
        CHAMBER = "chamber", _("Chamber of commerce")
        SUPPORT = "support", _("Business support institution")
        INCUBATOR = "incubator", _("Incubator or technology park")
        UNIVERSITY = "university", _("University or research centre")
        COOPERATIVE = "cooperative", _("Cooperative or producers' group")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=10, blank=True, help_text=_("ISO 3166-2 subdivision code."))
    sectors = models.JSONField(
        _("sectors"), default=list, blank=True, help_text=_("ISIC sections; none: every sector.")
    )
    description = models.TextField(_("what it does for MSMEs"), max_length=2000, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_listed = models.BooleanField(_("listed"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("intermediary")
        verbose_name_plural = _("intermediaries")
        ordering = ["name"]
        indexes = [models.Index(fields=["tenant", "is_listed", "name"], name="programmes_intermediary_listed")]

    def __str__(self) -> str:
        return self.name


class PartnershipOffer(TenantOwnedModel):
    """A large business's offer to MSMEs (a sponsorship, a partnership, a place in its supply chain), posted by
    the agency, which introduces the MSMEs that ask with their consent."""

    class Kind(models.TextChoices):
        SPONSORSHIP = "sponsorship", _("Sponsorship")
        PARTNERSHIP = "partnership", _("Partnership")
        SUPPLY = "supply", _("Supplier to the company")
        INVESTMENT = "investment", _("Investment")
        MENTORING = "mentoring", _("Mentoring by the company's staff")

    company = models.CharField(_("company"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("what is offered"), max_length=3000)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    audit_personal_fields = ("contact_name", "contact_email")

    class Meta:
        verbose_name = _("partnership offer")
        verbose_name_plural = _("partnership offers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "is_open", "-created_at"], name="programmes_offer_open")]

    def __str__(self) -> str:
        return f"{self.company}: {self.get_kind_display()}"


class PartnershipRequest(TenantOwnedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the agency")
        INTRODUCED = "introduced", _("Introduced")
        DECLINED = "declined", _("Not introduced")

    offer = TenantForeignKey(PartnershipOffer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="+")
    msme = TenantForeignKey(Msme, verbose_name=_("MSME"), on_delete=models.CASCADE, related_name="+")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    message = models.TextField(_("message"), max_length=2000)
    consented_at = models.DateTimeField(_("consented to share its contact"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    note = models.TextField(_("agency's note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("partnership request")
        verbose_name_plural = _("partnership requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "offer", "msme"], name="programmes_partnership_one_per_msme")
        ]

    def __str__(self) -> str:
        return f"{self.msme_id} -> {self.offer_id}"
