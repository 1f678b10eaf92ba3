"""The services' activity in the statistics: helpdesk questions, outreach messages, event registrations, survey
responses and diagnostics counted per tenant, again only when they changed, and the same after a full run."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core.roles import Division, Role
from apps.dashboards import activity, rollups
from apps.dashboards.models import ActivityCount, RollupState
from apps.dashboards.suppression import WITHHELD
from apps.diagnostics.models import Assessment
from apps.events.models import Event, Registration
from apps.helpdesk.models import Ticket
from apps.outreach.models import Delivery
from apps.tenants.context import tenant_context
from tests.dashboards.helpers import run
from tests.factories import (
    AssessmentFactory,
    DeliveryFactory,
    HelpdeskTicketFactory,
    MsmeFactory,
    RegistrationFactory,
    SurveyAnswerFactory,
    TenantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

INDEX = reverse("dashboards:index")


def activity_tables(tenant) -> dict:
    with tenant_context(tenant), transaction.atomic():
        return {(c.source, c.dimension, c.value, c.metric): c.amount for c in ActivityCount.objects.all()}


def full_activity(tenant) -> dict:
    """What a full run makes now (rolled back, so the incremental state stays)."""
    with tenant_context(tenant), transaction.atomic():
        rollups.rebuild(tenant)
        found = {(c.source, c.dimension, c.value, c.metric): c.amount for c in ActivityCount.objects.all()}
        transaction.set_rollback(True)
    return found


@pytest.fixture
def tenant():
    """An agency with questions of every outcome, messages, registrations, a survey and diagnostics."""
    tenant = TenantFactory(slug="ke", name="Kenya agency", country="KE")
    now = timezone.now()
    with tenant_context(tenant), transaction.atomic():
        opened = now - timedelta(days=2)
        # Answered in 2 hours, within its target; resolved in a day, late; rated good.
        HelpdeskTicketFactory(
            topic="trademarks",
            tier="first_time",
            created_at=opened,
            first_responded_at=opened + timedelta(hours=2),
            first_response_due=opened + timedelta(hours=4),
            resolved_at=opened + timedelta(days=1),
            resolution_due=opened + timedelta(hours=12),
            rating="good",
        )
        # Answered in 6 hours, after its target of 4; not resolved, its target still ahead; rated bad.
        HelpdeskTicketFactory(
            topic="pct",
            tier="frequent_filer",
            division=Division.PCT,
            created_at=opened,
            first_responded_at=opened + timedelta(hours=6),
            first_response_due=opened + timedelta(hours=4),
            resolution_due=now + timedelta(days=3),
            rating="bad",
        )
        # Not answered, its target passed and stamped by the SLA sweep.
        HelpdeskTicketFactory(
            topic="pct",
            tier="first_time",
            division=Division.PCT,
            created_at=opened,
            first_response_due=opened + timedelta(hours=4),
            response_breached_at=opened + timedelta(hours=4),
        )
        DeliveryFactory(status=Delivery.Status.SENT, channel="email")
        DeliveryFactory(status=Delivery.Status.SENT, channel="sms", unsubscribed_at=now)
        DeliveryFactory(status=Delivery.Status.SKIPPED, skip_reason="no_consent", channel="email")
        DeliveryFactory(status=Delivery.Status.FAILED, channel="whatsapp", attempts=3)
        RegistrationFactory(attended="yes")
        RegistrationFactory(attended="no", event__kind="workshop")
        RegistrationFactory(status="cancelled")
        SurveyAnswerFactory()
        climber, steady = MsmeFactory(), MsmeFactory()
        for days, level in ((60, 1), (30, 2), (20, 2), (10, 1)):
            AssessmentFactory(msme=climber, level=level, created_at=now - timedelta(days=days))
        AssessmentFactory(msme=steady, level=1, created_at=now - timedelta(days=50))
        AssessmentFactory(msme=steady, level=3, created_at=now - timedelta(days=5))
    return tenant


def test_helpdesk_questions_are_counted_with_their_times_targets_and_ratings(tenant):
    run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        everything = activity.figures_of("tickets")[""]
        by_route = activity.figures_of("tickets", "route")
        by_topic = activity.figures_of("tickets", "topic")
    assert everything["opened"] == 3 and everything["answered"] == 2
    assert everything["answer_minutes"] == 2 * 60 + 6 * 60
    assert (everything["response_met"], everything["response_missed"]) == (1, 2)
    assert (everything["resolved"], everything["resolve_minutes"]) == (1, 24 * 60)
    # The late resolution is missed; the one still ahead is neither met nor missed.
    assert everything["resolution_missed"] == 1 and "resolution_met" not in everything
    assert (everything["rated_good"], everything["rated_bad"]) == (1, 1)
    assert by_route[Division.PCT]["opened"] == 2 and by_route[""]["opened"] == 1
    assert by_topic["pct"]["response_missed"] == 2


def test_outreach_events_surveys_and_diagnostics_are_counted(tenant):
    run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        outreach = activity.figures_of("outreach")[""]
        skipped = activity.figures_of("outreach", "skip_reason")
        events = activity.figures_of("events")[""]
        workshops = activity.figures_of("events", "kind")["workshop"]
        surveys = activity.figures_of("surveys")[""]
        diagnostics = activity.figures_of("diagnostics")[""]
    assert (outreach["sent"], outreach["skipped"], outreach["failed"], outreach["unsubscribed"]) == (2, 1, 1, 1)
    assert outreach["msmes_reached"] == 2 and skipped["no_consent"]["skipped"] == 1
    assert (events["confirmed"], events["cancelled"], events["attended_yes"], events["attended_no"]) == (2, 1, 1, 1)
    assert events["msmes_registered"] == 2 and workshops == {"confirmed": 1, "attended_no": 1}
    assert (surveys["responses"], surveys["msmes_answered"]) == (1, 1)
    # climber: 1 -> 2 (up) -> 2 (same) -> 1 (down), back at its first level; steady: 1 -> 3 (up).
    assert (diagnostics["first"], diagnostics["up"], diagnostics["same"], diagnostics["down"]) == (2, 2, 1, 1)
    assert (diagnostics["msmes_assessed"], diagnostics["msmes_up"]) == (2, 1)


def test_incremental_equals_full_after_the_services_change(tenant):
    run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        ticket = Ticket.objects.filter(first_responded_at__isnull=True).get()
        ticket.first_responded_at = timezone.now()
        ticket.save()
        # A cancelled campaign skips its queued messages: no timestamp moves.
        Delivery.objects.filter(status=Delivery.Status.FAILED).update(status=Delivery.Status.SKIPPED)
        # Attendance recorded after the event: no timestamp either.
        Registration.objects.filter(attended="unknown").update(attended="yes")
        AssessmentFactory(msme=MsmeFactory(), level=4)
        SurveyAnswerFactory()
    run(tenant, rollups.refresh)
    incremental = activity_tables(tenant)
    assert incremental == full_activity(tenant)
    assert incremental["tickets", "all", "", "answered"] == 3
    assert incremental["outreach", "all", "", "skipped"] == 2
    assert incremental["diagnostics", "all", "", "first"] == 3


def _rate_one() -> None:
    # What the service writes, by an UPDATE that leaves `updated_at` alone.
    unrated = Ticket.objects.filter(rating="").get()
    Ticket.objects.filter(pk=unrated.pk).update(rating="good", rated_at=timezone.now())


def _edit_an_events_kind() -> None:
    Event.objects.filter(kind="workshop").update(kind="course")


def _delete_a_ticket() -> None:
    Ticket.objects.filter(rating="bad").delete()


def _replace_a_diagnostic() -> None:
    """An MSME's diagnostic deleted and a visitor's claimed, taken the same day: the count of diagnostics and
    the latest day stay as they were."""
    latest = Assessment.objects.order_by("-created_at").first()
    AssessmentFactory(msme=MsmeFactory(), level=5, score=90, created_at=latest.created_at)
    Assessment.objects.filter(pk=latest.pk).delete()


@pytest.mark.parametrize("change", [_rate_one, _edit_an_events_kind, _delete_a_ticket, _replace_a_diagnostic])
def test_incremental_equals_full_after_a_change_that_moves_no_updated_at(tenant, change):
    """Each change alone, long after the last run (out of its slack), written without `updated_at`."""
    long_ago = timezone.now() - rollups.CHANGE_SLACK * 6
    with tenant_context(tenant), transaction.atomic():
        Ticket.objects.update(updated_at=long_ago)
    run(tenant, rollups.rebuild)
    before = activity_tables(tenant)
    with tenant_context(tenant), transaction.atomic():
        RollupState.objects.update(last_run_at=timezone.now() - rollups.CHANGE_SLACK * 3)
        change()
    run(tenant, rollups.refresh)
    incremental = activity_tables(tenant)
    assert incremental == full_activity(tenant)
    assert incremental != before


def test_a_source_that_did_not_change_is_not_counted_again(tenant):
    long_ago = timezone.now() - rollups.CHANGE_SLACK * 5
    with tenant_context(tenant), transaction.atomic():
        Ticket.objects.update(updated_at=long_ago, response_breached_at=None)
    run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        RollupState.objects.update(last_run_at=timezone.now() - rollups.CHANGE_SLACK * 2)
        before = set(ActivityCount.objects.filter(source="tickets").values_list("pk", flat=True))
        state = RollupState.objects.get()
        counted = activity.count_activity(state, full=False, recent_since=state.last_run_at - rollups.CHANGE_SLACK)
        after = set(ActivityCount.objects.filter(source="tickets").values_list("pk", flat=True))
    assert "tickets" not in counted and before == after
    # The sources changed lately (deliveries, registrations... made a moment ago) are counted again.
    assert "outreach" in counted


def test_the_agency_sees_its_services_figures_and_downloads_them(client, login_as, tenant):
    run(tenant, rollups.rebuild)
    login_as(Role.AGENCY_STAFF, tenant)
    response = client.get(INDEX)
    assert response.status_code == 200
    tables = {table.slug: table for table in response.context["activity"]}
    assert {"help-service", "help-topics", "help-routes", "outreach-channels", "events-kinds", "surveys"} <= set(tables)
    everyone = tables["help-service"].rows[-1]
    assert everyone[0] == "All questions"
    # 3 questions, 2 answered in 4.0 hours on average, 1 of 3 on time, 1 resolved in 1.0 day, 1 of 2 rated good.
    assert everyone[1] == [3, 2, "4.0", "33%", 1, "1.0", "0%", "50%"]
    assert dict(response.context["headlines"])["MSMEs above their first level"] == 1
    body = response.content.decode()
    assert "Helpdesk service by tier" in body and "PCT (Patent Cooperation Treaty)" in body
    download = client.get(reverse("dashboards:csv", args=["help-service"]))
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][:2] == ["Service tier", "Questions"] and rows[-1] == [
        "All questions",
        "3",
        "2",
        "4.0",
        "33%",
        "1",
        "1.0",
        "0%",
        "50%",
    ]
    api = client.get(reverse("api:stats-table", args=["outreach-channels"])).json()
    assert api["columns"] == ["Sent", "Not sent (skipped)", "Failed", "Unsubscribed after"]
    assert {row["label"]: row["figures"] for row in api["rows"]}["SMS"] == [1, 0, 0, 1]
    assert client.get(reverse("dashboards:csv", args=["no-such-table"])).status_code == 404


def test_an_agency_without_activity_is_told_so(client, login_as):
    empty = TenantFactory()
    with tenant_context(empty), transaction.atomic():
        MsmeFactory()
    run(empty, rollups.rebuild)
    login_as(Role.AGENCY_STAFF, empty)
    response = client.get(INDEX)
    assert response.context["activity"] == []
    assert "have nothing to count yet" in response.content.decode()


def test_divisions_see_the_questions_of_each_country_with_small_counts_withheld(client, tenant):
    other = TenantFactory(slug="ph", name="Philippines agency", country="PH")
    with tenant_context(other), transaction.atomic():
        HelpdeskTicketFactory.create_batch(7, topic="pct", division=Division.PCT)
        HelpdeskTicketFactory.create_batch(6, topic="trademarks")
    run(tenant, rollups.rebuild)
    run(other, rollups.rebuild)
    client.force_login(UserFactory(division=Division.PCT, division_role=User.DivisionRole.ANALYST))
    view = client.get(INDEX).context["view"]
    tables = {table.slug: table for table in view.tables}
    assert list(tables["help-topics"].countries) == ["Kenya", "Philippines"]
    rows = {label: ([f.text for f in figures], total) for label, figures, total in tables["help-topics"].rows}
    # Kenya's 2 PCT questions: "<5", and the row's total or the Philippines' 7 withheld (7 and a total of 9
    # would give the 2 away).
    pct, total = rows["PCT: international patent applications"]
    assert pct[0] == "<5" and WITHHELD in (pct[1], total.text)
    # The questions of each country: one total per country in both tables of questions, shown or withheld alike.
    # With two countries, the Philippines' 13 and the total of 16 would give Kenya's 3 away: one is withheld.
    totals = {
        (*(f.text for f in tables[slug].column_totals), tables[slug].total.text)
        for slug in ("help-topics", "help-routes")
    }
    assert len(totals) == 1
    kenya, philippines, everyone = next(iter(totals))
    assert kenya == "<5" and WITHHELD in (philippines, everyone)


def test_an_analyst_never_receives_what_an_msme_asked_or_who_asked_it(client, tenant):
    """Every page, download and API answer of a division analyst, scanned for the questions' words and the
    askers', the registrations' and the messages' names and addresses."""
    run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        private = {
            value
            for ticket in Ticket.objects.all()
            for value in (ticket.subject, ticket.body, ticket.requester_name, ticket.requester_email, ticket.msme_name)
        }
        private |= {value for r in Registration.objects.all() for value in (r.name, r.email)}
        private |= set(Delivery.objects.values_list("address", flat=True))
    private.discard("")
    assert len(private) > 10
    client.force_login(UserFactory(division=Division.AMC, division_role=User.DivisionRole.ANALYST))
    slugs = ["help-topics", "help-routes", "maturity-moves", "outreach", "events"]
    responses = [
        client.get(INDEX),
        client.get(reverse("dashboards:profile")),
        client.get(reverse("dashboards:agency-profile", args=["ke"])),
        *(client.get(reverse("dashboards:csv", args=[slug])) for slug in slugs),
        *(client.get(reverse("api:stats-table", args=[slug])) for slug in slugs),
    ]
    for response in responses:
        assert response.status_code == 200
        body = response.content.decode()
        assert not [value for value in private if value in body], response.request["PATH_INFO"]


def test_the_agency_page_reads_as_many_queries_whatever_its_services_did(client, login_as, tenant):
    run(tenant, rollups.rebuild)
    login_as(Role.AGENCY_STAFF, tenant)
    client.get(INDEX)  # the session and the caches, once
    with CaptureQueriesContext(connection) as before:
        assert client.get(INDEX).status_code == 200
    with tenant_context(tenant), transaction.atomic():
        HelpdeskTicketFactory.create_batch(5, topic="copyright", tier="experienced", division=Division.MADRID)
        DeliveryFactory.create_batch(3, channel="post", status=Delivery.Status.SENT)
        RegistrationFactory.create_batch(2, event__kind="course")
        SurveyAnswerFactory.create_batch(2)
    run(tenant, rollups.rebuild)
    with CaptureQueriesContext(connection) as after:
        response = client.get(INDEX)
    assert len({table.slug for table in response.context["activity"]}) >= 6
    assert len(after) == len(before), [q["sql"][:80] for q in after.captured_queries]
