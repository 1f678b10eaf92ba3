"""The matrix's roles and data: one tenant, two MSMEs, one row of everything a URL can name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from apps.accounts.models import ApiToken, SavedFilter, User
from apps.accounts.services import api_token_create
from apps.core.roles import Division, Role
from apps.dashboards import rollups
from apps.diagnostics.models import Assessment, VisitorAssessment
from apps.events.models import Event, Registration
from apps.guidance.models import TopicOverlay
from apps.helpdesk.models import (
    Attachment,
    CounsellingSession,
    CounsellingSlot,
    Queue,
    QueueAgent,
    RefusedEmail,
    RoutingRule,
    SlaTarget,
    Ticket,
)
from apps.news.models import Comment as NewsComment
from apps.news.models import Post as NewsPost
from apps.outreach.models import Campaign, CampaignMessage, Delivery, OutboxMessage, Segment
from apps.programmes.models import (
    Course,
    GreenConnection,
    GreenNeed,
    GreenTechnology,
    Intermediary,
    MentoringRequest,
    PartnershipOffer,
    PartnershipRequest,
    ProgrammeRequest,
    ResearchMember,
    Tisc,
)
from apps.registry.models import ImportJob, IpAsset, Msme, MsmeMember
from apps.reminders.services import calendar_token_create, reminder_settings_update
from apps.stories.models import Story
from apps.surveys.models import Question as SurveyQuestion
from apps.surveys.models import Survey
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent, Tenant
from tests.factories import (
    AssessmentFactory,
    AuditEventFactory,
    CampaignFactory,
    CampaignMessageFactory,
    CounsellingSessionFactory,
    CounsellingSlotFactory,
    DeliveryFactory,
    EventFactory,
    EventFeedbackFactory,
    GreenConnectionFactory,
    GreenNeedFactory,
    GreenTechnologyFactory,
    HelpdeskAttachmentFactory,
    HelpdeskMessageFactory,
    HelpdeskTicketFactory,
    ImportJobFactory,
    IntermediaryFactory,
    IpAssetFactory,
    MentoringRequestFactory,
    MsmeFactory,
    MsmeMemberFactory,
    NewsCommentFactory,
    NewsFollowFactory,
    NewsNoticeFactory,
    NewsPostFactory,
    OutboxMessageFactory,
    PartnershipOfferFactory,
    PartnershipRequestFactory,
    ProgrammeRequestFactory,
    QueueFactory,
    RegistrationFactory,
    ReminderDeliveryFactory,
    RequesterTierFactory,
    SavedFilterFactory,
    SegmentFactory,
    StoryFactory,
    SurveyAnswerFactory,
    SurveyChoiceFactory,
    SurveyFactory,
    SurveyQuestionFactory,
    SurveyResponseFactory,
    SurveyVersionFactory,
    TenantFactory,
    TicketLinkFactory,
    TopicOverlayFactory,
    UserFactory,
    user_with_role,
)

ANONYMOUS = "anonymous"
MSME_OWN = "msme_own"  # a member of the MSME the URL names
MSME_OTHER = "msme_other"  # a member of another MSME of the same tenant
HELPDESK = "helpdesk"  # the tenant's helpdesk agent
AGENCY = "agency"  # the tenant's agency staff
ANALYST = "analyst"  # a WIPO division analyst (no tenant)
DIVISION_AGENT = "division_agent"  # a WIPO division's helpdesk agent (division_role agent, no tenant)
ADMIN = "admin"  # a platform admin

ROLES: tuple[str, ...] = (ANONYMOUS, MSME_OWN, MSME_OTHER, HELPDESK, AGENCY, ANALYST, DIVISION_AGENT, ADMIN)


@dataclass
class AccessData:
    tenant: Tenant
    msme: Msme
    other_msme: Msme
    asset: IpAsset
    import_job: ImportJob
    assessment: Assessment
    audit_event: AuditEvent
    overlay: TopicOverlay
    visitor_assessment: VisitorAssessment
    api_token: ApiToken  # the agency staff's
    users: dict[str, User | None]
    # The helpdesk: the agency's queue (the helpdesk agent works it) and the PCT division's (the
    # division agent works it); `ticket` is the own MSME's, in the agency's queue; `routed_ticket`
    # the same MSME's, routed to the PCT queue; `attachment` is on `ticket`'s public reply.
    queue: Queue
    division_queue: Queue
    routing_rule: RoutingRule  # the tenant's, sending "pct" tickets to the division's queue
    ticket: Ticket
    routed_ticket: Ticket
    attachment: Attachment
    slot: CounsellingSlot
    counselling_session: CounsellingSession
    # reminders: the own member's calendar address's secret token (the feed's path parameter)
    calendar_feed: str = ""
    # Surveys: an open survey of the tenant with a short-text question (its answers' page).
    survey: Survey | None = None
    survey_question: SurveyQuestion | None = None
    # The news: a published post of the tenant (news, open for comments) and a comment on it waiting.
    news_post: NewsPost | None = None
    news_comment: NewsComment | None = None
    # Programmes: the own MSME's ADR request on `routed_ticket` (so the PCT division's agent works it, as
    # after a transfer), and a TISC of the tenant's country.
    programme_request: ProgrammeRequest | None = None
    tisc: Tisc | None = None
    # WIPO GREEN: the own MSME's published technology, the other MSME's published need, and the other MSME's
    # interest in that technology.
    green_technology: GreenTechnology | None = None
    green_need: GreenNeed | None = None
    green_connection: GreenConnection | None = None
    # Mentoring: the own MSME's request, waiting for its mentor's answer.
    mentoring_request: MentoringRequest | None = None
    # The network: a listed intermediary, an open partnership offer, and the own MSME's request to be introduced.
    intermediary: Intermediary | None = None
    partnership_offer: PartnershipOffer | None = None
    partnership_request: PartnershipRequest | None = None
    # Success stories: a published story of the tenant.
    story: Story | None = None
    # Events: an upcoming event, with the own MSME's confirmed registration.
    event: Event | None = None
    registration: Registration | None = None
    # Outreach: a segment of the agency (used by no campaign, so that its delete page confirms).
    segment: Segment | None = None
    # Outreach: a draft campaign (its segment made with it) with its English message, and a delivery of it
    # to the own MSME.
    campaign: Campaign | None = None
    campaign_message: CampaignMessage | None = None
    delivery: Delivery | None = None
    # Outreach: a message in the outbox, for the admin's pages.
    outbox_message: OutboxMessage | None = None
    # The agency staff's saved filters of the registry list.
    saved_filter: SavedFilter | None = None

    @classmethod
    def make(cls) -> AccessData:
        tenant = TenantFactory(slug="matrix", name="Matrix Agency", country="KE")
        users: dict[str, User | None] = {
            ANONYMOUS: None,
            MSME_OWN: user_with_role(Role.MSME_MEMBER, tenant, email="own@matrix.example.org"),
            MSME_OTHER: user_with_role(Role.MSME_MEMBER, tenant, email="other@matrix.example.org"),
            HELPDESK: user_with_role(Role.HELPDESK_AGENT, tenant, email="helpdesk@matrix.example.org"),
            AGENCY: user_with_role(Role.AGENCY_STAFF, tenant, email="agency@matrix.example.org"),
            ANALYST: user_with_role(Role.DIVISION_ANALYST, email="analyst@matrix.example.org"),
            DIVISION_AGENT: UserFactory(
                email="division-agent@matrix.example.org", division=Division.PCT, division_role=User.DivisionRole.AGENT
            ),
            ADMIN: user_with_role(Role.PLATFORM_ADMIN, email="admin@matrix.example.org"),
        }
        with tenant_context(tenant):
            msme = MsmeFactory(name="Matrix Own Enterprise")
            other_msme = MsmeFactory(name="Matrix Other Enterprise")
            MsmeMemberFactory(msme=msme, user=users[MSME_OWN])
            MsmeMemberFactory(msme=other_msme, user=users[MSME_OTHER])
            asset = IpAssetFactory(msme=msme)
            import_job = ImportJobFactory()
            assessment = AssessmentFactory(msme=msme)
            audit_event = AuditEventFactory(msme=msme)
            overlay = TopicOverlayFactory()
            queue = QueueFactory(name="Matrix helpdesk", is_default=True)
            QueueAgent.objects.create(queue=queue, user=users[HELPDESK])
            division_queue = QueueFactory(tenant=None, division=Division.PCT, name="Matrix PCT queue")
            QueueAgent.objects.create(queue=division_queue, user=users[DIVISION_AGENT], is_lead=True)
            ticket = HelpdeskTicketFactory(msme=msme, queue=queue, requester=users[MSME_OWN])
            routed_ticket = HelpdeskTicketFactory(
                msme=msme, queue=division_queue, division=Division.PCT, requester=users[MSME_OWN]
            )
            reply = HelpdeskMessageFactory(ticket=ticket, kind="reply")
            attachment = HelpdeskAttachmentFactory(message=reply)
            TicketLinkFactory(ticket=ticket, other=routed_ticket)
            RequesterTierFactory(msme=other_msme)
            routing_rule = RoutingRule.objects.create(tenant=tenant, position=1, topic="pct", queue=division_queue)
            SlaTarget.objects.create(
                queue=queue, tier="first_time", priority="normal", first_response_minutes=60, resolution_minutes=600
            )
            # Platform-level, for the admin's change page.
            RefusedEmail.objects.create(sender="stranger@example.net", reason_code="wrong_sender", reason="Not theirs.")
            slot = CounsellingSlotFactory(agent=users[HELPDESK])
            programme_request = ProgrammeRequestFactory(ticket=routed_ticket, requester=users[MSME_OWN])
            tisc = Tisc.objects.create(
                name="Matrix TISC",
                host_institution="Matrix University",
                country=tenant.country,
                city="Nairobi",
                queue=queue,
            )
            ResearchMember.objects.create(name="Matrix Institute", country="GH", kind="institute", offers=["data"])
            Course.objects.create(provider="wipo_academy", code="DL-101", title="Matrix course", level="introductory")
            story = StoryFactory(status="published")
            mentoring_request = MentoringRequestFactory(msme=msme)
            intermediary = IntermediaryFactory()
            partnership_offer = PartnershipOfferFactory()
            partnership_request = PartnershipRequestFactory(offer=partnership_offer, msme=msme)
            green_technology = GreenTechnologyFactory(msme=msme)
            green_need = GreenNeedFactory(msme=other_msme)
            green_connection = GreenConnectionFactory(
                technology=green_technology,
                seeker_msme_id=other_msme.pk,
                seeker_user_id=users[MSME_OTHER].pk,
                seeker_accepted_at=timezone.now(),
            )
            counselling_session = CounsellingSessionFactory(
                slot=slot, ticket=ticket, msme=msme, requester=users[MSME_OWN]
            )
        with tenant_context(tenant):
            own_member = MsmeMember.objects.get(user=users[MSME_OWN])
            _calendar_token, calendar_feed = calendar_token_create(member=own_member, actor=None)
            reminder_settings_update(member=own_member, data={"remind_90": False}, actor=None)
            ReminderDeliveryFactory(asset=asset, user=users[MSME_OWN])
            event = EventFactory(title="Matrix event")
            registration = RegistrationFactory(event=event, msme=msme, user=users[MSME_OWN])
            # A past event's feedback, for the admin's pages.
            past_event = EventFactory(title="Matrix past event", starts_at=timezone.now() - timedelta(days=2))
            EventFeedbackFactory(registration=RegistrationFactory(event=past_event, msme=other_msme))
            segment = SegmentFactory(name="Matrix segment", filters={"size_class": ["micro"]})
            campaign = CampaignFactory(name="Matrix campaign")
            campaign_message = CampaignMessageFactory(campaign=campaign, language="en")
            delivery = DeliveryFactory(campaign=campaign, msme=msme)
            outbox_message = OutboxMessageFactory()
            saved_filter = SavedFilterFactory(user=users[AGENCY], name="Matrix saved filters", query="q=matrix")
        agency = users[AGENCY]
        api_token, _key = api_token_create(user=agency, membership=agency.memberships.get(), name="matrix")
        visitor_assessment = VisitorAssessment.objects.create(
            questionnaire_version="2026.1", answers={}, level=1, score=0, area_scores={}, signals=[], reasons=[]
        )
        # Rows the admin's change pages need that nothing above makes (on a user outside the roles:
        # a TOTP authenticator changes how the admin treats its owner).
        Group.objects.get_or_create(name="matrix")
        Authenticator.objects.create(
            user=UserFactory(email="totp@matrix.example.org"),
            type=Authenticator.Type.TOTP,
            data={"secret": "JBSWY3DPEHPK3PXP"},
        )
        with tenant_context(tenant):
            survey = SurveyFactory(title="Matrix needs survey")
            survey_version = SurveyVersionFactory(survey=survey)
            survey_question = SurveyQuestionFactory(version=survey_version, kind="text")
            SurveyChoiceFactory(question=SurveyQuestionFactory(version=survey_version))
            SurveyAnswerFactory(
                response=SurveyResponseFactory(survey=survey, version=survey_version, msme=other_msme),
                question=survey_question,
                choice=None,
                text="Matrix answer",
            )
        with tenant_context(tenant):
            news_post = NewsPostFactory(topic="trademarks")
            news_comment = NewsCommentFactory(post=news_post, author=users[MSME_OWN])
            NewsFollowFactory(user=users[MSME_OTHER], topic="trademarks")
            NewsNoticeFactory(post=news_post, user=users[MSME_OTHER])
        with tenant_context(tenant):
            rollups.rebuild(tenant)  # the statistics' counts, for the dashboards and the admin's pages
        return cls(
            survey=survey,
            survey_question=survey_question,
            news_post=news_post,
            news_comment=news_comment,
            tenant=tenant,
            msme=msme,
            other_msme=other_msme,
            asset=asset,
            import_job=import_job,
            assessment=assessment,
            audit_event=audit_event,
            overlay=overlay,
            visitor_assessment=visitor_assessment,
            api_token=api_token,
            users=users,
            queue=queue,
            division_queue=division_queue,
            routing_rule=routing_rule,
            ticket=ticket,
            routed_ticket=routed_ticket,
            attachment=attachment,
            slot=slot,
            counselling_session=counselling_session,
            calendar_feed=calendar_feed,
            event=event,
            registration=registration,
            programme_request=programme_request,
            tisc=tisc,
            green_technology=green_technology,
            green_need=green_need,
            green_connection=green_connection,
            story=story,
            mentoring_request=mentoring_request,
            intermediary=intermediary,
            partnership_offer=partnership_offer,
            partnership_request=partnership_request,
            segment=segment,
            campaign=campaign,
            campaign_message=campaign_message,
            delivery=delivery,
            outbox_message=outbox_message,
            saved_filter=saved_filter,
        )

    def clients(self) -> dict[str, Client]:
        clients = {}
        for role, user in self.users.items():
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            clients[role] = client
        return clients


def row(
    anonymous: int,
    msme_own: int,
    msme_other: int,
    helpdesk: int,
    agency: int,
    analyst: int,
    division_agent: int,
    admin: int,
) -> dict[str, int]:
    """A table's row, the statuses in the order of ROLES (the tables' header comment names the columns)."""
    return dict(
        zip(ROLES, (anonymous, msme_own, msme_other, helpdesk, agency, analyst, division_agent, admin), strict=True)
    )


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)
