"""factory_boy factories for the foundation's models."""

from __future__ import annotations

import uuid
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.apps import apps
from django.utils import timezone

from apps.accounts.models import User
from apps.core.roles import Division, Role
from apps.tenants.models import Membership, Tenant

PASSWORD = "correct-horse-battery"


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"t{n}")
    name = factory.LazyAttribute(lambda o: f"Agency {o.slug.upper()}")
    country = "KE"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    tenant = factory.SubFactory(TenantFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MSME_MEMBER


def user_with_role(role: Role | None, tenant: Tenant | None = None, **fields: object) -> User:
    """A verified user acting in `role` (in `tenant` for tenant roles). None: signed in, no role."""
    if role == Role.PLATFORM_ADMIN:
        return UserFactory(is_staff=True, is_superuser=True, **fields)
    if role == Role.DIVISION_ANALYST:
        return UserFactory(division=Division.PCT, division_role=User.DivisionRole.ANALYST, **fields)
    user = UserFactory(**fields)
    if role is not None:
        assert tenant is not None, "tenant roles need a tenant"
        MembershipFactory(user=user, tenant=tenant, role=role.value)
    return user


# --- Tenant-owned models: the factory registry ------------------------------------------
#
# The isolation sweep (tests/test_isolation_sweep.py) makes one row of EVERY tenant-owned
# model (every subclass of apps.tenants.models.TenantOwnedModel) in another tenant, and a
# ratchet test fails when a tenant-owned model has no factory here. When you add a
# tenant-owned model, add a factory and decorate it with @register_tenant_owned.
#
# The factory is called inside tenant_context(tenant): do not pass `tenant`, it is stamped.
# Make text fields distinctive (factory.Sequence, Faker with digits): the sweep looks for
# them in responses to find leaks. Sub-factories of other tenant-owned models are fine (they
# are made in the same tenant).

TENANT_OWNED_FACTORIES: dict[str, type[factory.django.DjangoModelFactory]] = {}


def register_tenant_owned(factory_class: type[factory.django.DjangoModelFactory]):
    """Record `factory_class` as the way to make a row of its (tenant-owned) model."""
    TENANT_OWNED_FACTORIES[factory_class._meta.get_model_class()._meta.label] = factory_class
    return factory_class


@register_tenant_owned
class WidgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tenancy_app.Widget"

    name = factory.Sequence(lambda n: f"widget-{n:04d}-gadget")


@register_tenant_owned
class GadgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tenancy_app.Gadget"

    # The tenant's first widget when it has one: the isolation sweep expects one widget per tenant.
    widget = factory.LazyFunction(
        lambda: apps.get_model("tenancy_app", "Widget").objects.order_by("pk").first() or WidgetFactory()
    )
    name = factory.Sequence(lambda n: f"gadget-{n:04d}-part")


@register_tenant_owned
class TicketFactory(factory.django.DjangoModelFactory):
    """A row routed to divisions (`division` None: not routed yet)."""

    class Meta:
        model = "tenancy_app.Ticket"

    subject = factory.Sequence(lambda n: f"ticket-{n:04d}-query")


@register_tenant_owned
class SavedFilterFactory(factory.django.DjangoModelFactory):
    """A user's saved filters of the registry list."""

    class Meta:
        model = "accounts.SavedFilter"

    user = factory.SubFactory(UserFactory)
    list_name = "registry:index"
    name = factory.Sequence(lambda n: f"Saved filters {n:04d}")
    query = factory.Sequence(lambda n: f"q=saved-{n:04d}")


# --- The registry -------------------------------------------------------------------------


@register_tenant_owned
class MsmeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.Msme"

    name = factory.Sequence(lambda n: f"Enterprise {n}")
    registration_number = factory.Sequence(lambda n: f"REG-{n:05d}")
    sector_isic_id = "1079"
    sector_section = "C"
    employees = 5
    size_class = "micro"


@register_tenant_owned
class MsmeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.MsmeMember"

    msme = factory.SubFactory(MsmeFactory)
    user = factory.SubFactory(UserFactory)


@register_tenant_owned
class IpAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.IpAsset"

    msme = factory.SubFactory(MsmeFactory)
    asset_type = "trademark"
    jurisdiction = "KE"
    title = factory.Sequence(lambda n: f"Mark {n}")


@register_tenant_owned
class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.ImportJob"

    file_name = factory.Sequence(lambda n: f"import-{n}.csv")
    file = factory.django.FileField(filename="import.csv", data=b"name,registration_number,sector_isic,employees\n")
    status = "done"
    dry_run = True


@register_tenant_owned
class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tenants.AuditEvent"

    class Params:
        msme = factory.SubFactory(MsmeFactory)

    object_type = "registry.msme"
    object_id = factory.SelfAttribute("msme.id")
    object_repr = factory.SelfAttribute("msme.name")
    action = "create"
    channel = "page"


# --- Guidance -------------------------------------------------------------------------------


@register_tenant_owned
class TopicOverlayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "guidance.TopicOverlay"

    topic = "patents"
    office_name = factory.Sequence(lambda n: f"National Office {n:04d}")
    office_url = "https://ip-office.example.org/"
    fees = factory.Sequence(lambda n: f"Filing fee {n:04d} units")
    contacts = factory.Sequence(lambda n: f"desk-{n:04d}@ip-office.example.org")
    local_tiscs = factory.Sequence(lambda n: f"TISC of town {n:04d}")
    notes = ""


# --- Diagnostics ----------------------------------------------------------------------------


@register_tenant_owned
class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "diagnostics.Assessment"

    msme = factory.SubFactory(MsmeFactory)
    questionnaire_version = "2026.1"
    answers = factory.LazyFunction(dict)
    level = 2
    score = 25
    area_scores = factory.LazyFunction(lambda: {"awareness": 60, "ownership": 20})
    signals = factory.LazyFunction(lambda: ["has_brand"])
    reasons = factory.LazyFunction(list)
    source = "self"


# --- Helpdesk -------------------------------------------------------------------------------


class QueueFactory(factory.django.DjangoModelFactory):
    """A queue of the active tenant (pass `tenant=None, division=...` for a division's)."""

    class Meta:
        model = "helpdesk.Queue"

    tenant = factory.LazyFunction(lambda: _active_tenant())
    division = ""
    name = factory.Sequence(lambda n: f"Queue {n:04d}")
    languages = factory.LazyFunction(lambda: ["en", "fr"])
    auto_assign = False


def _active_tenant():
    from apps.tenants.context import get_active_tenant

    return get_active_tenant()


def _tenant_queue():
    from apps.helpdesk.models import Queue

    tenant = _active_tenant()
    return Queue.objects.filter(tenant=tenant).order_by("pk").first() or QueueFactory(tenant=tenant)


@register_tenant_owned
class HelpdeskTicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "helpdesk.Ticket"

    reference = factory.Sequence(lambda n: f"T-{n:07d}")
    subject = factory.Sequence(lambda n: f"Helpdesk question {n:04d} about a trademark")
    body = factory.Sequence(lambda n: f"Question body {n:04d}: how do I register my brand?")
    topic = "trademarks"
    language = "en"
    msme = factory.SubFactory(MsmeFactory)
    msme_name = factory.SelfAttribute("msme.name")
    requester_name = factory.Sequence(lambda n: f"Requester {n:04d}")
    requester_email = factory.Sequence(lambda n: f"requester-{n:04d}@example.org")
    queue = factory.LazyFunction(_tenant_queue)


@register_tenant_owned
class ProgrammeRequestFactory(factory.django.DjangoModelFactory):
    """A programme's request on its helpdesk ticket (an ADR request, not routed unless `division` is given)."""

    class Meta:
        model = "programmes.ProgrammeRequest"

    programme = "adr"
    kind = "mediation"
    ticket = factory.SubFactory(HelpdeskTicketFactory, topic="adr")
    division = factory.SelfAttribute("ticket.division")
    msme = factory.SelfAttribute("ticket.msme")
    details = factory.Sequence(lambda n: {"other_party": f"Opposing party {n:04d} Ltd"})
    outcome = factory.Sequence(lambda n: f"Programme outcome {n:04d}: mediator proposed")


@register_tenant_owned
class GreenTechnologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programmes.GreenTechnology"

    msme = factory.SubFactory(MsmeFactory)
    title = factory.Sequence(lambda n: f"Green technology {n:04d} solar dryer")
    category = "energy"
    description = factory.Sequence(lambda n: f"Green description {n:04d}: dries crops with the sun")
    stage = "market"
    offers = factory.LazyFunction(lambda: ["licence"])
    countries = factory.LazyFunction(lambda: ["KE"])
    keywords = "solar, drying"


@register_tenant_owned
class GreenTechnologyAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programmes.GreenTechnologyAsset"

    technology = factory.SubFactory(GreenTechnologyFactory)
    asset = factory.SubFactory(IpAssetFactory, msme=factory.SelfAttribute("..technology.msme"))


@register_tenant_owned
class GreenNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programmes.GreenNeed"

    msme = factory.SubFactory(MsmeFactory)
    title = factory.Sequence(lambda n: f"Green need {n:04d} for drying mangoes")
    category = "energy"
    description = factory.Sequence(lambda n: f"Need description {n:04d}: we lose half the harvest")
    min_stage = "pilot"
    countries = factory.LazyFunction(lambda: ["KE"])
    keywords = "drying, mangoes"


@register_tenant_owned
class GreenConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programmes.GreenConnection"

    technology = factory.SubFactory(GreenTechnologyFactory)
    seeker_tenant_id = factory.SelfAttribute("technology.tenant_id")
    seeker_msme_id = factory.LazyFunction(uuid.uuid4)
    seeker_name = factory.Sequence(lambda n: f"Seeker business {n:04d}")
    seeker_contact = factory.Sequence(lambda n: f"seeker-{n:04d}@example.org")
    initiated_by = "seeker"


@register_tenant_owned
class StoryFactory(factory.django.DjangoModelFactory):
    """A success story waiting for review (pass `status="published"` for a public one)."""

    class Meta:
        model = "stories.Story"

    title = factory.Sequence(lambda n: f"Success story {n:04d} of a brand")
    sector_section = "A"
    country = "KE"
    ip_used = factory.LazyFunction(lambda: ["trademark"])
    topics = factory.LazyFunction(lambda: ["trademarks"])
    summary = factory.Sequence(lambda n: f"Story summary {n:04d}: registered before exporting")
    body = factory.Sequence(lambda n: f"Story body {n:04d}: the brand doubled its sales")
    language = "en"
    published_at = factory.LazyAttribute(lambda story: timezone.now() if story.status == "published" else None)
    status = "submitted"


@register_tenant_owned
class HelpdeskMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "helpdesk.Message"

    ticket = factory.SubFactory(HelpdeskTicketFactory)
    division = factory.SelfAttribute("ticket.division")
    kind = "reply"
    body = factory.Sequence(lambda n: f"Reply text {n:04d} with advice")
    author_name = factory.Sequence(lambda n: f"Author {n:04d}")


@register_tenant_owned
class HelpdeskAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "helpdesk.Attachment"

    message = factory.SubFactory(HelpdeskMessageFactory)
    ticket = factory.SelfAttribute("message.ticket")
    division = factory.SelfAttribute("ticket.division")
    file = factory.django.FileField(data=b"%PDF-1.4\n%%EOF\n", filename="evidence.pdf")
    name = factory.Sequence(lambda n: f"evidence-{n:04d}.pdf")
    content_type = "application/pdf"
    size = 15


@register_tenant_owned
class TicketLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "helpdesk.TicketLink"

    ticket = factory.SubFactory(HelpdeskTicketFactory)
    other = factory.SubFactory(HelpdeskTicketFactory)


@register_tenant_owned
class RequesterTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "helpdesk.RequesterTier"

    msme = factory.SubFactory(MsmeFactory)
    tier = "frequent_filer"


@register_tenant_owned
class CounsellingSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "helpdesk.CounsellingSlot"

    agent = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + timedelta(hours=1))
    mode = "online"
    where = factory.Sequence(lambda n: f"https://meet.example.org/room-{n:04d}")


@register_tenant_owned
class CounsellingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "helpdesk.CounsellingSession"

    slot = factory.SubFactory(CounsellingSlotFactory)
    ticket = factory.SubFactory(HelpdeskTicketFactory)
    msme = factory.SelfAttribute("ticket.msme")
    notes = factory.Sequence(lambda n: f"Session notes {n:04d} internal")


# --- outreach -----------------------------------------------------------------------------------------


@register_tenant_owned
class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.Segment"

    name = factory.Sequence(lambda n: f"Segment {n:04d}")
    filters = factory.LazyFunction(lambda: {"size_class": ["micro"]})


@register_tenant_owned
class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.Campaign"

    name = factory.Sequence(lambda n: f"Campaign {n:04d}")
    segment = factory.SubFactory(SegmentFactory)


@register_tenant_owned
class CampaignMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.CampaignMessage"

    campaign = factory.SubFactory(CampaignFactory)
    language = "en"
    subject = factory.Sequence(lambda n: f"Campaign subject {n:04d}")
    body = factory.Sequence(lambda n: f"Campaign body {n:04d} for {{msme}}: {{link}}")


@register_tenant_owned
class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.Delivery"

    campaign = factory.SubFactory(CampaignFactory)
    msme = factory.SubFactory(MsmeFactory)
    channel = "email"
    address = factory.Sequence(lambda n: f"delivery{n:04d}@example.org")
    language = "en"


@register_tenant_owned
class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.OutboxMessage"

    # Short: a URL parameter named `key` (allauth's confirmation key) is filled with it by the isolation sweep,
    # and a page that echoes its own URL is no leak; the address, subject and body are the row's markers.
    key = factory.Sequence(lambda n: f"k{n:04d}")
    channel = "email"
    address = factory.Sequence(lambda n: f"outbox{n:04d}@example.org")
    language = "en"
    subject = factory.Sequence(lambda n: f"Outbox subject {n:04d}")
    body = factory.Sequence(lambda n: f"Outbox body {n:04d}")


# --- reminders ----------------------------------------------------------------------------------------


@register_tenant_owned
class ReminderSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reminders.ReminderSettings"

    member = factory.SubFactory(MsmeMemberFactory)


@register_tenant_owned
class ReminderDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reminders.ReminderDelivery"

    asset = factory.SubFactory(IpAssetFactory)
    msme = factory.SelfAttribute("asset.msme")
    kind = "renewal"
    due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    days_ahead = 30
    user = factory.SubFactory(UserFactory)
    channel = "email"
    address = factory.Sequence(lambda n: f"reminded{n:04d}@example.org")
    language = "en"
    detail = factory.Sequence(lambda n: f"Reminder detail {n:04d}")
    next_attempt_at = factory.LazyFunction(timezone.now)


@register_tenant_owned
class CalendarTokenFactory(factory.django.DjangoModelFactory):
    """A calendar address whose token is unknown (its secret is made up): use
    apps.reminders.services.calendar_token_create for one that works."""

    class Meta:
        model = "reminders.CalendarToken"

    member = factory.SubFactory(MsmeMemberFactory)
    secret_hash = factory.Sequence(lambda n: f"{n:064x}")


# --- surveys ------------------------------------------------------------------------------------------


@register_tenant_owned
class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Survey"

    title = factory.Sequence(lambda n: f"Survey {n:04d} of needs")
    introduction = factory.Sequence(lambda n: f"Survey introduction {n:04d}")
    status = "open"


@register_tenant_owned
class SurveyVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.SurveyVersion"
        django_get_or_create = ("survey", "number")

    survey = factory.SubFactory(SurveyFactory)
    number = 1


@register_tenant_owned
class SurveyQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Question"

    version = factory.SubFactory(SurveyVersionFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = "single"
    text = factory.Sequence(lambda n: f"Survey question {n:04d}?")


@register_tenant_owned
class SurveyChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Choice"

    question = factory.SubFactory(SurveyQuestionFactory)
    position = factory.Sequence(lambda n: n + 1)
    label = factory.Sequence(lambda n: f"Survey choice {n:04d}")


@register_tenant_owned
class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Response"

    survey = factory.SubFactory(SurveyFactory)
    version = factory.SubFactory(SurveyVersionFactory, survey=factory.SelfAttribute("..survey"))
    msme = factory.SubFactory(MsmeFactory)
    language = "en"


@register_tenant_owned
class SurveyAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Answer"

    response = factory.SubFactory(SurveyResponseFactory)
    question = factory.SubFactory(SurveyQuestionFactory, version=factory.SelfAttribute("..response.version"))
    choice = factory.SubFactory(SurveyChoiceFactory, question=factory.SelfAttribute("..question"))


# --- news -----------------------------------------------------------------------------------------------


@register_tenant_owned
class NewsPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "news.Post"
        skip_postgeneration_save = True

    kind = "news"
    topic = "trademarks"
    status = "published"
    published_at = factory.LazyFunction(timezone.now)
    fallback_language = "en"

    @factory.post_generation
    def text(post, create, extracted, **kwargs):
        """Its English text, unless `text=False`."""
        if create and extracted is not False:
            NewsPostTextFactory(post=post, language=post.fallback_language)


@register_tenant_owned
class NewsPostTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "news.PostText"

    post = factory.SubFactory(NewsPostFactory, text=False)
    language = "en"
    title = factory.Sequence(lambda n: f"News title {n:04d}")
    summary = factory.Sequence(lambda n: f"News summary {n:04d}")
    body = factory.Sequence(lambda n: f"News body {n:04d} private to the agency")


@register_tenant_owned
class NewsFollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "news.Follow"

    user = factory.SubFactory(UserFactory)
    topic = "trademarks"


@register_tenant_owned
class NewsCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "news.Comment"

    post = factory.SubFactory(NewsPostFactory)
    author = factory.SubFactory(UserFactory)
    author_name = factory.Sequence(lambda n: f"Commenter {n:04d}")
    body = factory.Sequence(lambda n: f"News comment {n:04d} from a member")
    status = "pending"


@register_tenant_owned
class NewsNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "news.Notice"

    post = factory.SubFactory(NewsPostFactory)
    user = factory.SubFactory(UserFactory)
    address = factory.Sequence(lambda n: f"notice{n:04d}@example.org")


# --- events -------------------------------------------------------------------------------------------


@register_tenant_owned
class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Event"

    title = factory.Sequence(lambda n: f"Event {n:04d} on trademarks")
    description = factory.Sequence(lambda n: f"Event description {n:04d}")
    kind = "webinar"
    online_url = factory.Sequence(lambda n: f"https://meet.example.org/event-{n:04d}")
    language = "en"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))


@register_tenant_owned
class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Registration"

    event = factory.SubFactory(EventFactory)
    msme = factory.SubFactory(MsmeFactory)
    name = factory.Sequence(lambda n: f"Attendee {n:04d}")
    email = factory.Sequence(lambda n: f"attendee{n:04d}@example.org")
    status = "confirmed"


@register_tenant_owned
class EventFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Feedback"

    registration = factory.SubFactory(RegistrationFactory)
    rating = 4
    comment = factory.Sequence(lambda n: f"Feedback comment {n:04d}")


# --- Statistics: the summary tables (apps.dashboards), written only by the rollups ---------


@register_tenant_owned
class MsmeFactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dashboards.MsmeFact"

    sector_section = "C"
    size_class = "micro"
    region = factory.Sequence(lambda n: f"XX-{n % 1000:03d}")
    registered_month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))


@register_tenant_owned
class MsmeCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dashboards.MsmeCount"

    dimension = "region"
    value = factory.Sequence(lambda n: f"YY-{n % 1000:03d}")
    msmes = factory.Sequence(lambda n: 7000 + n)


@register_tenant_owned
class AssetCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dashboards.AssetCount"

    dimension = "jurisdiction"
    value = factory.Sequence(lambda n: f"Z{n % 1000:03d}")
    msmes = factory.Sequence(lambda n: 8000 + n)
    assets = factory.Sequence(lambda n: 9000 + n)


@register_tenant_owned
class RollupStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dashboards.RollupState"

    msmes_changed_since = factory.LazyFunction(timezone.now)
    last_run_at = factory.LazyFunction(timezone.now)
    last_full_at = factory.LazyFunction(timezone.now)


@register_tenant_owned
class ActivityCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dashboards.ActivityCount"

    source = "tickets"
    dimension = "topic"
    value = factory.Sequence(lambda n: f"topic-{n:04d}")
    metric = "opened"
    amount = factory.Sequence(lambda n: 6000 + n)


@register_tenant_owned
class MsmeCountSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dashboards.MsmeCountSnapshot"

    day = factory.LazyFunction(timezone.localdate)
    dimension = "maturity_level"
    value = factory.Sequence(lambda n: f"SN{n % 1000:04d}")
    msmes = factory.Sequence(lambda n: 5000 + n)


@register_tenant_owned
class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programmes.Mentor"

    name = factory.Sequence(lambda n: f"Mentor person {n:04d}")
    email = factory.Sequence(lambda n: f"mentor-{n:04d}@example.org")
    areas = factory.LazyFunction(lambda: ["licensing", "export"])
    languages = factory.LazyFunction(lambda: ["en"])


@register_tenant_owned
class MentoringRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programmes.MentoringRequest"

    msme = factory.SubFactory(MsmeFactory)
    area = "licensing"
    description = factory.Sequence(lambda n: f"Mentoring need {n:04d}: licensing our dryer")
    language = "en"
    mentor = factory.SubFactory(MentorFactory)
    status = "waiting"


@register_tenant_owned
class IntermediaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programmes.Intermediary"

    name = factory.Sequence(lambda n: f"Intermediary association {n:04d}")
    kind = "association"
    description = factory.Sequence(lambda n: f"Intermediary description {n:04d}: trains members")
    email = factory.Sequence(lambda n: f"intermediary-{n:04d}@example.org")


@register_tenant_owned
class PartnershipOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programmes.PartnershipOffer"

    company = factory.Sequence(lambda n: f"Large company {n:04d} plc")
    kind = "supply"
    description = factory.Sequence(lambda n: f"Offer description {n:04d}: suppliers wanted")
    contact_name = factory.Sequence(lambda n: f"Offer contact {n:04d}")
    contact_email = factory.Sequence(lambda n: f"offer-{n:04d}@example.org")


@register_tenant_owned
class PartnershipRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programmes.PartnershipRequest"

    offer = factory.SubFactory(PartnershipOfferFactory)
    msme = factory.SubFactory(MsmeFactory)
    message = factory.Sequence(lambda n: f"Partnership message {n:04d}: we make packaging")
    consented_at = factory.LazyFunction(timezone.now)
