"""The API answers what its OpenAPI schema says: schemathesis fuzzes every operation of /api/schema/.

Three callers: anonymous, an agency-staff token and an MSME-member token, each against seeded data
(a tenant, two MSMEs, an asset, an assessment, an import job, a helpdesk queue and the member's ticket);
a helpdesk agent's token also calls the helpdesk's operations. The requests go straight into the WSGI
application (no server), in the test's transaction, so each operation starts from the same rows.

Every schemathesis check is on: no 5xx, status codes, content types, headers and bodies as documented,
valid data accepted, invalid data refused. Bounded so CI stays quick and stable: few examples per
operation, a fixed seed and deterministic generation, no shrinking, a deadline per example.

Run alone: `pytest -m schemathesis`.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from apps.accounts.services import api_token_create
from apps.core.roles import Role
from apps.helpdesk.models import Queue, QueueAgent
from apps.tenants.context import tenant_context
from tests.factories import (
    AssessmentFactory,
    CampaignFactory,
    CampaignMessageFactory,
    EventFactory,
    HelpdeskTicketFactory,
    ImportJobFactory,
    IpAssetFactory,
    MsmeFactory,
    MsmeMemberFactory,
    SegmentFactory,
    SurveyFactory,
    SurveyQuestionFactory,
    SurveyVersionFactory,
    TenantFactory,
    user_with_role,
)

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

# Per operation, per caller; the coverage phase adds its own handful of boundary cases on top.
MAX_EXAMPLES = 15
SEED = 20261204

# Only in the test URLconf (the tenancy test app), not part of the portal's API.
EXCLUDED_PATHS = r"^/api/v1/test-widgets/"


@dataclass
class Seeded:
    """The rows the callers see: ids that path parameters are pointed at half of the time."""

    msme_ids: list[str]
    asset_id: str
    assessment_id: str
    import_job_id: str
    staff_key: str
    member_key: str
    ticket_id: str
    agent_key: str
    survey_id: str = ""
    event_id: str = ""
    segment_id: str = ""
    campaign_id: str = ""


# A ceiling for the whole run (the three callers together), in CPU seconds of this process so that a busy
# machine does not eat it: the run needs about 60 on an idle 2-core machine. Past it the remaining
# operations are skipped, each named in the summary, rather than stalling CI.
CPU_BUDGET_SECONDS = 150
_STARTED: list[float] = []


@pytest.fixture(autouse=True)
def _time_budget():
    if not _STARTED:
        _STARTED.append(time.process_time())
    if time.process_time() - _STARTED[0] > CPU_BUDGET_SECONDS:
        pytest.skip(f"the schemathesis run's budget ({CPU_BUDGET_SECONDS} CPU seconds) is spent")


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request, as a server should; here that
    connection holds the test's transaction, so keep it open as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded() -> Seeded:
    tenant = TenantFactory(slug="fz", name="Fuzz Agency", country="KE")
    staff = user_with_role(Role.AGENCY_STAFF, tenant)
    member = user_with_role(Role.MSME_MEMBER, tenant)
    agent = user_with_role(Role.HELPDESK_AGENT, tenant)
    with tenant_context(tenant):
        own, other = MsmeFactory(), MsmeFactory(preferred_channel="", consent_source="")
        MsmeMemberFactory(msme=own, user=member)
        asset = IpAssetFactory(msme=own)
        assessment = AssessmentFactory(msme=own)
        job = ImportJobFactory()
        queue = Queue.objects.create(tenant=tenant, name="Fuzz helpdesk", is_default=True, auto_assign=False)
        QueueAgent.objects.create(queue=queue, user=agent)
        ticket = HelpdeskTicketFactory(msme=own, queue=queue, requester=member)
        survey = SurveyFactory(title="Fuzz survey")
        SurveyQuestionFactory(version=SurveyVersionFactory(survey=survey), kind="scale")
        event = EventFactory(capacity=5)
        segment = SegmentFactory(filters={"size_class": ["micro"], "language": ["en"]})
        campaign = CampaignMessageFactory(campaign=CampaignFactory(segment=None)).campaign
    _token, staff_key = api_token_create(user=staff, membership=staff.memberships.get(), name="fuzz staff")
    _token, member_key = api_token_create(user=member, membership=member.memberships.get(), name="fuzz member")
    _token, agent_key = api_token_create(user=agent, membership=agent.memberships.get(), name="fuzz agent")
    return Seeded(
        msme_ids=[str(own.pk), str(other.pk)],
        asset_id=str(asset.pk),
        assessment_id=str(assessment.pk),
        import_job_id=str(job.pk),
        staff_key=staff_key,
        member_key=member_key,
        ticket_id=str(ticket.pk),
        agent_key=agent_key,
        survey_id=str(survey.pk),
        event_id=str(event.pk),
        segment_id=str(segment.pk),
        campaign_id=str(campaign.pk),
    )


# Operations whose rules go beyond what JSON Schema can state: a schema-valid request may still be refused
# with a 400 naming the field. Every other check still applies to them (and a 400 must have the documented body).
RULES_BEYOND_THE_SCHEMA = [
    # Office and country codes: WIPO's documented lists, in any case, repeated or comma-separated;
    # Madrid also needs at least one designated party.
    ("GET", "/api/v1/calculators/madrid-fees/"),
    ("GET", "/api/v1/calculators/route-comparison/"),
    # A receiving Office and an International Searching Authority of the WIPO PCT Applicant's Guide, the
    # Authority one that the Office accepts.
    ("GET", "/api/v1/calculators/pct-fees/"),
    # The answers must name the questionnaire's questions and options; `msme` must be one the caller may assess.
    ("POST", "/api/v1/diagnostics/assessments/"),
    # An existing ISIC code, a region of the agency's country, an ISO language, a registration number unused.
    ("POST", "/api/v1/msmes/"),
    # A campaign: its fallback language needs a message, one message per language, a link to an existing
    # target, a time to send at in the future, and only a draft or scheduled campaign changes.
    ("POST", "/api/v1/campaigns/"),
    ("PUT", "/api/v1/campaigns/{id}/"),
    ("PATCH", "/api/v1/campaigns/{id}/"),
    ("PUT", "/api/v1/msmes/{id}/"),
    ("PATCH", "/api/v1/msmes/{id}/"),
    # A country code or an international system, dates in order, no numbers on a trade secret.
    ("POST", "/api/v1/msmes/{msme_pk}/assets/"),
    ("PUT", "/api/v1/msmes/{msme_pk}/assets/{id}/"),
    ("PATCH", "/api/v1/msmes/{msme_pk}/assets/{id}/"),
    # The file must be a .csv or .xlsx of MSME rows; generated bytes never are.
    ("POST", "/api/v1/msmes/import/"),
    # A subject and a message that are more than blanks.
    ("POST", "/api/v1/tickets/"),
    ("POST", "/api/v1/tickets/{id}/messages/"),
    # An agent of the ticket's queue; a queue the ticket may go to (its agency's or a division's).
    ("POST", "/api/v1/tickets/{id}/assign/"),
    ("POST", "/api/v1/tickets/{id}/transfer/"),
    # A survey's questions: enough distinct choices for a choice question; a survey opens with a question.
    ("POST", "/api/v1/surveys/"),
    ("PUT", "/api/v1/surveys/{id}/"),
    ("PATCH", "/api/v1/surveys/{id}/"),
    # Events: an end after the start, a link or a place, known topics and time zones; a registration needs an
    # event still open and an MSME not registered already (staff name one of the registry).
    ("POST", "/api/v1/events/"),
    ("PUT", "/api/v1/events/{id}/"),
    ("PATCH", "/api/v1/events/{id}/"),
    ("POST", "/api/v1/events/{id}/register/"),
    # A segment's filters must name the segment filters and their choices; its name must be unused.
    ("POST", "/api/v1/segments/"),
    ("PUT", "/api/v1/segments/{id}/"),
    ("PATCH", "/api/v1/segments/{id}/"),
]
DEFAULT_POSITIVE_STATUSES = ["2xx", "3xx", 401, 403, 404, 409, 429]


def _config() -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "no-shrink": True, "database": "none"},
            # Stateful links would chain requests across operations; one request at a time is enough here.
            "phases": {"stateful": {"enabled": False}},
            "operations": [
                {
                    "include-method": method,
                    "include-path": path,
                    "checks": {"positive_data_acceptance": {"expected-statuses": [*DEFAULT_POSITIVE_STATUSES, 400]}},
                }
                for method, path in RULES_BEYOND_THE_SCHEMA
            ],
        }
    )


# Loaded once at collection, as a client would: the schema view needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), config=_config()).exclude(
    path_regex=EXCLUDED_PATHS
)


# The seeded rows are made once per operation, not per example: the examples share them, which is
# what a client sees too. The deadline catches a request that hangs; it is generous for a busy 2-core CI.
FUZZ_SETTINGS = hypothesis.settings(
    deadline=timedelta(seconds=5), suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)


def _point_at_seeded_rows(case: schemathesis.Case, seeded: Seeded) -> None:
    """Random UUIDs only ever find nothing (404): half the cases ask for a row that exists instead."""
    params = case.path_parameters or {}
    for name, value in list(params.items()):
        if not isinstance(value, str):
            continue
        if name == "table" and case.operation.path.startswith("/api/v1/stats/") and len(value) % 2:
            params[name] = ("size", "ip-types", "registrations")[len(value) % 3]  # a table that exists
            continue
        try:
            parsed = uuid.UUID(value)
        except ValueError:
            continue
        if parsed.int % 2:
            continue
        path = case.operation.path
        if name == "msme_pk" or (name == "id" and path.startswith("/api/v1/msmes/")):
            params[name] = seeded.msme_ids[0]
        if name == "id" and path.startswith("/api/v1/msmes/{msme_pk}/assets/"):
            params[name] = seeded.asset_id
        elif name == "id" and path.startswith("/api/v1/diagnostics/assessments/"):
            params[name] = seeded.assessment_id
        elif name == "id" and path.startswith("/api/v1/imports/"):
            params[name] = seeded.import_job_id
        elif name == "id" and path.startswith("/api/v1/tickets/"):
            params[name] = seeded.ticket_id
        elif name == "id" and path.startswith("/api/v1/surveys/"):
            params[name] = seeded.survey_id
        elif name == "id" and path.startswith("/api/v1/events/"):
            params[name] = seeded.event_id
        elif name == "id" and path.startswith("/api/v1/segments/"):
            params[name] = seeded.segment_id
        elif name == "id" and path.startswith("/api/v1/campaigns/"):
            params[name] = seeded.campaign_id


def _run(case: schemathesis.Case, seeded: Seeded, key: str | None) -> None:
    _point_at_seeded_rows(case, seeded)
    # The WSGI transport hands back the body as the portal sent it: ask for it uncompressed (pages and
    # API answers are gzipped for clients that accept it).
    headers = {"Accept-Encoding": "identity"}
    if key:
        headers["Authorization"] = f"Token {key}"
    case.call_and_validate(headers=headers)


@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous(case: schemathesis.Case, seeded: Seeded) -> None:
    _run(case, seeded, None)


@schema.parametrize()
@FUZZ_SETTINGS
def test_agency_staff(case: schemathesis.Case, seeded: Seeded) -> None:
    _run(case, seeded, seeded.staff_key)


@schema.parametrize()
@FUZZ_SETTINGS
def test_msme_member(case: schemathesis.Case, seeded: Seeded) -> None:
    _run(case, seeded, seeded.member_key)


# The helpdesk's agents call only the helpdesk's operations (every other one refuses them, as it does members).
helpdesk_schema = schema.include(path_regex=r"^/api/v1/tickets/")


@helpdesk_schema.parametrize()
@FUZZ_SETTINGS
def test_helpdesk_agent(case: schemathesis.Case, seeded: Seeded) -> None:
    _run(case, seeded, seeded.agent_key)
