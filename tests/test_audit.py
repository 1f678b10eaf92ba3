"""The audit trail of tenant-owned models (apps.core.audit, apps.tenants.audit): each channel, the import's
one event and its rows, the history section, erasure, tenant isolation, and a ratchet on the services."""

from __future__ import annotations

import importlib
import inspect
import io
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from apps.core.audit import Channel, audit_context
from apps.core.roles import Role
from apps.diagnostics import services as diagnostics_services
from apps.events import services as events_services
from apps.helpdesk import counselling, files
from apps.helpdesk import services as helpdesk_services
from apps.helpdesk.models import Queue, QueueAgent
from apps.news import services as news_services
from apps.outreach import segment_services
from apps.outreach import services as outreach_services
from apps.programmes import services as programmes_services
from apps.programmes.catalogue import PROGRAMMES
from apps.registry import services as registry_services
from apps.registry.importing.service import msme_import
from apps.registry.models import ImportJob, IpAsset, IsicCode, Msme, MsmeMember
from apps.reminders import services as reminders_services
from apps.stories import services as stories_services
from apps.surveys import services as surveys_services
from apps.tenants import audit
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent
from apps.tenants.tasks import tenant_task
from tests.diagnostics.helpers import LEVEL_3, most_answers
from tests.factories import (
    AssessmentFactory,
    CampaignFactory,
    CounsellingSessionFactory,
    CounsellingSlotFactory,
    DeliveryFactory,
    EventFactory,
    ImportJobFactory,
    IpAssetFactory,
    MsmeFactory,
    MsmeMemberFactory,
    RegistrationFactory,
    SegmentFactory,
    UserFactory,
    user_with_role,
)
from tests.policies.actors import actor_of
from tests.surveys import helpers as survey_helpers

pytestmark = pytest.mark.django_db

HEADER = "name,registration_number,sector_isic,employees,email"


def _data(number: str, name: str = "Loom") -> dict[str, Any]:
    return {"name": name, "registration_number": number, "employees": 3, "sector_isic": IsicCode.objects.get(pk="1410")}


def _import(tenant, text: str, *, actor=None, file_name: str = "msmes.csv", **options: Any):
    return msme_import(tenant=tenant, stream=io.BytesIO(text.encode()), file_name=file_name, actor=actor, **options)


# --- Channels: set where the write happens, never passed by the service -------------------------------


def test_a_page_write_is_recorded_through_the_page_channel(client, login_as, tenant_a):
    staff = login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a):
        msme = MsmeFactory(verification="pending")
    response = client.post(reverse("registry:verify", args=[msme.pk]))
    assert response.status_code in {200, 302}
    with tenant_context(tenant_a):
        event = AuditEvent.objects.get(object_id=msme.pk, action="verify")
    assert (event.channel, event.actor, event.division) == (Channel.PAGE, staff, "")


def test_an_api_write_is_recorded_through_the_api_channel(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a):
        msme = MsmeFactory()
    response = client.patch(f"/api/v1/msmes/{msme.pk}/", {"employees": 77}, content_type="application/json")
    assert response.status_code == 200, response.content
    with tenant_context(tenant_a):
        event = AuditEvent.objects.get(object_id=msme.pk, action="update")
    assert event.channel == Channel.API and event.changes["employees"][1] == 77


def test_a_task_write_is_recorded_through_the_task_channel(tenant_a):
    @tenant_task(name="tests.audit.rename")
    def rename(tenant, msme_id: str) -> None:
        registry_services.msme_update(msme=Msme.objects.get(pk=msme_id), data={"name": "Renamed"})

    with tenant_context(tenant_a):
        msme = MsmeFactory()
    rename.run(tenant_a.pk, str(msme.pk))
    with tenant_context(tenant_a):
        event = AuditEvent.objects.get(object_id=msme.pk, action="update")
    assert (event.channel, event.actor) == (Channel.TASK, None)


def test_a_write_outside_any_request_or_task_is_a_command(tenant_a, in_tenant):
    in_tenant(tenant_a)
    msme = registry_services.msme_create(tenant=tenant_a, data=_data("C-1"))
    assert AuditEvent.objects.get(object_id=msme.pk).channel == Channel.COMMAND


def test_the_division_of_a_division_scope_is_recorded(tenant_a, in_tenant):
    in_tenant(tenant_a)
    msme = MsmeFactory(verification="pending")
    with audit_context(channel=Channel.PAGE, division="madrid"):
        registry_services.msme_verify(msme=msme, actor=None)
    event = AuditEvent.objects.get(object_id=msme.pk, action="verify")
    assert (event.channel, event.division) == (Channel.PAGE, "madrid")


def test_the_request_middleware_sets_the_channel_only_for_the_request(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    assert client.get(reverse("registry:index")).status_code == 200
    with tenant_context(tenant_a):
        msme = MsmeFactory(verification="pending")
        registry_services.msme_verify(msme=msme, actor=None)
        assert AuditEvent.objects.get(object_id=msme.pk, action="verify").channel == Channel.COMMAND


# --- The import: one event for the job, each row linked to it --------------------------------------------


def test_an_import_is_one_event_that_its_created_and_updated_rows_link_to(tenant_a, in_tenant):
    in_tenant(tenant_a)
    stored = MsmeFactory(registration_number="R2", employees=5)
    user = UserFactory(email="importer@example.org")
    result = _import(
        tenant_a, f"{HEADER}\nLoom,R1,1410,4,\nStored,R2,1410,9,\nBad,R3,XX,1,\n", actor=user, on_duplicate="update"
    )
    assert (result.created, result.updated, result.failed) == (1, 1, 1)
    (job,) = AuditEvent.objects.filter(action="import")
    assert (job.actor, job.channel, job.object_repr) == (user, Channel.IMPORT, "msmes.csv")
    assert job.changes == {"file": "msmes.csv", "created": 1, "updated": 1, "skipped": 0, "failed": 1}
    # the created row links to the job's event, with no event of its own; the updated row has its diff
    created = Msme.objects.get(registration_number="R1")
    assert created.created_by_import == job and not AuditEvent.objects.filter(object_id=created.pk).exists()
    stored.refresh_from_db()
    assert stored.created_by_import is None
    (update,) = AuditEvent.objects.filter(batch=job)
    assert (update.object_id, update.action, update.changes["employees"]) == (stored.pk, "update", [5, 9])
    assert (update.channel, update.actor_id, update.object_type) == (Channel.IMPORT, user.pk, "registry.msme")
    assert list(audit.history_for(created)) == [job]
    assert job not in audit.history_for(stored)


def test_a_dry_run_records_nothing(tenant_a, in_tenant):
    in_tenant(tenant_a)
    _import(tenant_a, f"{HEADER}\nLoom,R1,1410,4,\n", dry_run=True)
    assert not AuditEvent.objects.exists() and not Msme.objects.exists()


def test_the_msme_history_says_it_was_created_by_the_import(client, login_as, tenant_a):
    staff = login_as(Role.AGENCY_STAFF, tenant_a, email="staff@example.org")
    with tenant_context(tenant_a):
        _import(tenant_a, f"{HEADER}\nLoom,R1,1410,4,\n", actor=staff, file_name="spring.csv")
        msme = Msme.objects.get(registration_number="R1")
        job = AuditEvent.objects.get(action="import")
    page = client.get(reverse("registry:detail", args=[msme.pk])).content.decode()
    history = page.split('id="history"')[1]
    date = formats.date_format(timezone.localtime(job.at), "DATE_FORMAT")
    assert f"created by import of <bdi>spring.csv</bdi> on {date} by <bdi>staff@example.org</bdi>" in history


# --- The history section ----------------------------------------------------------------------------------


def _render_history(obj) -> str:
    request = RequestFactory().get("/")
    return Template("{% load audit %}{% audit_history obj %}").render(Context({"obj": obj, "request": request}))


def test_the_history_section_shows_the_object_and_its_children(tenant_a, in_tenant):
    in_tenant(tenant_a)
    msme = registry_services.msme_create(tenant=tenant_a, data=_data("H-1"))
    registry_services.asset_create(msme=msme, data={"asset_type": "trademark", "title": "LOOM", "jurisdiction": "KE"})
    assessment = diagnostics_services.assessment_record(msme=msme, answers=LEVEL_3)
    html = _render_history(msme)
    assert "IP asset" in html and "LOOM" in html
    assert "Assessment" in html and "3 Protecting" in html
    assert "through the command" in html
    assert AuditEvent.objects.get(object_id=assessment.pk).parent_id == msme.pk


def test_the_history_section_takes_the_same_queries_however_many_events(tenant_a, in_tenant):
    in_tenant(tenant_a)
    _import(tenant_a, f"{HEADER}\nLoom,R1,1410,4,\n", actor=UserFactory())
    msme = Msme.objects.get(registration_number="R1")
    with CaptureQueriesContext(connection) as few:
        assert "created by import of" in _render_history(msme)
    for number in range(12):
        registry_services.asset_create(
            msme=msme,
            data={"asset_type": "trademark", "title": f"MARK {number}", "jurisdiction": "KE"},
            actor=UserFactory(),
        )
    _import(tenant_a, f"{HEADER}\nLoom,R1,1410,40,\n", actor=UserFactory(), on_duplicate="update")
    _import(tenant_a, f"{HEADER}\nLoom,R1,1410,41,\n", actor=UserFactory(), on_duplicate="update")
    with CaptureQueriesContext(connection) as many:
        html = _render_history(msme)
    assert "created by import of" in html and html.count("updated by import of") == 2
    assert len(many) == len(few) == 2  # the count and the page, with its actors and imports joined


def test_the_asset_page_shows_its_own_history_with_the_same_tag(client, login_as, tenant_a):
    staff = login_as(Role.AGENCY_STAFF, tenant_a, email="staff@example.org")
    with tenant_context(tenant_a):
        asset = IpAssetFactory(title="Old mark")
        registry_services.asset_update(asset=asset, data={"title": "New mark"}, actor=staff)
    page = client.get(reverse("registry:asset-edit", args=[asset.msme_id, asset.pk])).content.decode()
    history = page.split('id="history"')[1]
    assert "This IP asset" in history and "title" in history and "staff@example.org" in history
    assert (
        client.get(reverse("registry:asset-create", args=[asset.msme_id])).content.decode().count('id="history"') == 0
    )


# --- Erasure and isolation -----------------------------------------------------------------------------------


def test_erasure_blanks_personal_data_in_the_history_also_of_imported_rows_and_children(tenant_a, in_tenant):
    in_tenant(tenant_a)
    member = UserFactory()
    _import(tenant_a, f"{HEADER}\nJane Doe Trading,R1,1410,4,jane@example.org\n", actor=member)
    msme = Msme.objects.get(registration_number="R1")
    MsmeMemberFactory(msme=msme, user=member)
    asset = IpAssetFactory(msme=msme)
    registry_services.asset_update(asset=asset, data={"owner": "Jane Doe"}, actor=member)
    diagnostics_services.assessment_record(msme=msme, answers=most_answers(), actor=member)
    registry_services.msme_erase(msme=msme, actor=None)
    msme.refresh_from_db()
    history = list(audit.history_for(msme))
    text = repr([(e.object_repr, e.changes) for e in history])
    assert "Jane" not in text and "jane@example.org" not in text and "R1" not in text
    # what is not personal stays: the link to the import, whose event (the whole job's) is left as it was
    job = AuditEvent.objects.get(action="import")
    assert msme.created_by_import == job and job in history
    assert (job.changes["file"], job.actor_id) == ("msmes.csv", member.pk)
    assert {e.actor_id for e in history if e != job} == {None}


def test_no_audit_read_crosses_tenants(tenant_a, tenant_b):
    with tenant_context(tenant_b):
        theirs = registry_services.msme_create(
            tenant=tenant_b,
            data=_data("B-1", "Theirs"),
        )
    with tenant_context(tenant_a):
        ours = registry_services.msme_create(
            tenant=tenant_a,
            data=_data("A-1", "Ours"),
        )
        assert list(audit.history_for(theirs)) == []
        assert [e.object_id for e in AuditEvent.objects.all()] == [ours.pk]
        if connection.vendor != "postgresql":
            return
        # Past the ORM, the database's row-level security (the suite runs as the runtime role) says the same.
        with connection.cursor() as cursor:
            cursor.execute("SELECT object_id, tenant_id FROM tenants_auditevent")
            assert cursor.fetchall() == [(ours.pk, tenant_a.pk)]


# --- Ratchet: every write service of the registry and the diagnostics records its audit -----------------------


def _msme() -> Msme:
    return MsmeFactory()


def _asset() -> IpAsset:
    return IpAssetFactory()


def _undone(tenant):
    """An import of two MSMEs, undone: the job's event records it (each removed MSME has its delete event)."""
    job = ImportJobFactory(dry_run=False, status="done")
    _import(tenant, f"{HEADER}\nLoom,U1,1410,4,\nWeave,U2,1410,3,\n", job=job)
    assert registry_services.import_undo(job=job, actor=None).removed == 2
    assert AuditEvent.objects.filter(action="delete", object_type="registry.msme").count() == 2
    return job


def _undo_queued(tenant):
    """An undo too big for a request, queued: the job's event records it (the task is sent after the commit)."""
    job = ImportJobFactory(dry_run=False, status="done")
    _import(tenant, f"{HEADER}\nLoom,U1,1410,4,\n", job=job)
    return registry_services.import_undo_queue(job=job, actor=None)


def _undo_run(tenant):
    """A queued undo run by its task: each removed MSME has its delete event, the job its update event."""
    job = ImportJobFactory(dry_run=False, status="done")
    _import(tenant, f"{HEADER}\nLoom,U1,1410,4,\nWeave,U2,1410,3,\n", job=job)
    ImportJob.objects.filter(pk=job.pk).update(undo_status=ImportJob.UndoStatus.QUEUED)
    with audit_context(channel=Channel.TASK):
        job = registry_services.import_undo_run(job_id=job.pk, actor_id=None)
    assert (job.undo_status, job.removed) == ("done", 2)
    assert AuditEvent.objects.filter(action="delete", object_type="registry.msme", channel="task").count() == 2
    return job


# name -> (run it: returns the object whose event is expected, the expected action)
def _verified_many(tenant):
    # One event per MSME, as a single verification records: the test looks for the first one's.
    msme = MsmeFactory(verification="pending")
    registry_services.msme_verify_many(ids=[str(msme.pk), str(MsmeFactory(verification="pending").pk)], actor=None)
    return msme


WRITES: dict[str, tuple[Callable[[Any], Any], str]] = {
    "registry.msme_create": (
        lambda tenant: registry_services.msme_create(tenant=tenant, data=_data("W-1")),
        "create",
    ),
    "registry.msme_update": (
        lambda tenant: registry_services.msme_update(msme=(m := _msme()), data={"employees": m.employees + 1}),
        "update",
    ),
    "registry.msme_verify": (
        lambda tenant: registry_services.msme_verify(msme=MsmeFactory(verification="pending"), actor=None),
        "verify",
    ),
    "registry.msme_verify_many": (_verified_many, "verify"),
    "registry.msme_set_maturity": (
        lambda tenant: registry_services.msme_set_maturity(msme=_msme(), level=2, assessed_on=None, actor=None),
        "update",
    ),
    "registry.msme_delete": (lambda tenant: _deleted(_msme(), registry_services.msme_delete), "delete"),
    "registry.msme_erase": (lambda tenant: registry_services.msme_erase(msme=_msme(), actor=None), "erase"),
    "registry.msme_consent_withdraw": (
        lambda tenant: (
            m := MsmeFactory(consent_outreach=True),
            registry_services.msme_consent_withdraw(msme=m, source="unsubscribe_link"),
        )[0],
        "update",
    ),
    "registry.msme_self_register": (
        lambda tenant: registry_services.msme_self_register(
            user=UserFactory(),
            tenant=tenant,
            data=_data("S-1"),
        ),
        "create",
    ),
    "registry.asset_create": (
        lambda tenant: registry_services.asset_create(
            msme=_msme(), data={"asset_type": "trademark", "title": "T", "jurisdiction": "KE"}
        ),
        "create",
    ),
    "registry.asset_update": (
        lambda tenant: registry_services.asset_update(asset=_asset(), data={"title": "Other title"}),
        "update",
    ),
    "registry.asset_delete": (lambda tenant: _deleted(_asset(), registry_services.asset_delete, "asset"), "delete"),
    "registry.import_undo": (_undone, "update"),
    "registry.import_undo_queue": (_undo_queued, "update"),
    "registry.import_undo_run": (_undo_run, "update"),
    "diagnostics.assessment_record": (
        lambda tenant: diagnostics_services.assessment_record(msme=_msme(), answers=LEVEL_3),
        "create",
    ),
    "diagnostics.visitor_assessment_claim": (
        lambda tenant: diagnostics_services.visitor_assessment_claim(
            visitor_assessment=diagnostics_services.visitor_assessment_create(LEVEL_3), msme=_msme(), user=None
        ),
        "create",
    ),
    "diagnostics.sync_maturity_level": (
        lambda tenant: _synced(AssessmentFactory(level=4)),
        "update",
    ),
    "helpdesk.ticket_open": (lambda tenant: _ticket(tenant), "create"),
    "helpdesk.ticket_reply": (
        lambda tenant: helpdesk_services.ticket_reply(actor=(t := _worked(tenant)).agent, ticket=t, body="Hello"),
        "create",
    ),
    "helpdesk.ticket_system_note": (
        lambda tenant: helpdesk_services.ticket_system_note(ticket=_ticket(tenant), body="A file was dropped."),
        "create",
    ),
    "helpdesk.ticket_set_status": (
        lambda tenant: helpdesk_services.ticket_set_status(actor=(t := _worked(tenant)).agent, ticket=t, status="open"),
        "update",
    ),
    "helpdesk.ticket_close_own": (
        lambda tenant: helpdesk_services.ticket_close_own(actor=(t := _worked(tenant)).member, ticket=t),
        "update",
    ),
    "helpdesk.ticket_assign": (
        lambda tenant: helpdesk_services.ticket_assign(
            actor=(t := _worked(tenant)).agent, ticket=t, assignee=t.agent.user
        ),
        "update",
    ),
    "helpdesk.ticket_auto_assign": (
        lambda tenant: helpdesk_services.ticket_auto_assign(actor=(t := _worked(tenant)).agent, ticket=t),
        "update",
    ),
    "helpdesk.ticket_transfer": (
        lambda tenant: helpdesk_services.ticket_transfer(
            actor=(t := _worked(tenant)).agent, ticket=t, queue=Queue.objects.create(tenant=tenant, name="Designs desk")
        ),
        "update",
    ),
    "helpdesk.ticket_merge": (
        lambda tenant: helpdesk_services.ticket_merge(
            actor=(t := _worked(tenant)).agent, ticket=t, into=_ticket(tenant, t.member)
        ),
        "update",
    ),
    "helpdesk.ticket_link": (
        lambda tenant: helpdesk_services.ticket_link(
            actor=(t := _worked(tenant)).agent, ticket=t, other=_ticket(tenant, t.member)
        ),
        "create",
    ),
    "helpdesk.ticket_rate": (lambda tenant: _rated(tenant), "update"),
    "files.attach": (
        lambda tenant: files.attach(
            ticket=(t := _worked(tenant)),
            message=helpdesk_services.ticket_reply(actor=t.member, ticket=t, body="The scan"),
            name="scan.pdf",
            data_or_file=b"%PDF-1.4\n%%EOF\n",
        ),
        "create",
    ),
    "counselling.slot_publish": (lambda tenant: _slot(_agent(tenant)), "create"),
    "counselling.slot_withdraw": (lambda tenant: _withdrawn(_agent(tenant)), "delete"),
    "counselling.session_book": (lambda tenant: _booked(tenant), "create"),
    "counselling.session_cancel": (
        lambda tenant: counselling.session_cancel(actor=(m := _member(tenant)), counselling_session=_booked(tenant, m)),
        "update",
    ),
    "counselling.session_record": (lambda tenant: _recorded(_agent(tenant)), "update"),
    # reminders: a member's choice and calendar addresses (the address's secret is in no event)
    "reminders.reminder_settings_update": (
        lambda tenant: reminders_services.reminder_settings_update(
            member=MsmeMemberFactory(), data={"remind_90": False}, actor=None
        ),
        "create",
    ),
    "reminders.calendar_token_create": (
        lambda tenant: reminders_services.calendar_token_create(member=MsmeMemberFactory(), actor=None)[0],
        "create",
    ),
    "reminders.calendar_token_revoke": (lambda tenant: _revoked_calendar_token(), "update"),
    # surveys
    "surveys.survey_create": (lambda tenant: survey_helpers.make_survey(status="draft"), "create"),
    "surveys.survey_update": (
        lambda tenant: surveys_services.survey_update(survey=survey_helpers.make_survey(), data={"title": "Renamed"}),
        "update",
    ),
    "surveys.survey_set_questions": (
        lambda tenant: (
            (s := survey_helpers.make_survey())
            and surveys_services.survey_set_questions(survey=s, questions=survey_helpers.QUESTIONS[:1])
            and s
        ),
        "update",
    ),
    "surveys.survey_open": (lambda tenant: survey_helpers.make_survey(status="open"), "update"),
    "surveys.survey_close": (lambda tenant: survey_helpers.make_survey(status="closed"), "update"),
    "surveys.response_submit": (
        lambda tenant: surveys_services.response_submit(
            survey=(s := survey_helpers.make_survey()), msme=MsmeFactory(), answers=survey_helpers.answers_for(s)
        ),
        "create",
    ),
    # events
    "events.event_create": (lambda tenant: _event(tenant), "create"),
    "events.event_update": (
        lambda tenant: events_services.event_update(
            actor=_staff(tenant), event=_event(tenant), data={"title": "Trademarks, the basics (2nd run)"}
        ),
        "update",
    ),
    "events.event_cancel": (
        lambda tenant: events_services.event_cancel(actor=_staff(tenant), event=_event(tenant)),
        "update",
    ),
    "events.registration_create": (lambda tenant: _registered(tenant), "create"),
    "events.registration_cancel": (
        lambda tenant: events_services.registration_cancel(
            actor=(m := _member(tenant)), registration=_registered(tenant, m)
        ),
        "update",
    ),
    "events.attendance_mark": (lambda tenant: _attended(tenant), "update"),
    "events.feedback_give": (
        lambda tenant: events_services.feedback_give(registration=_attended(tenant), rating=5, comment="Useful."),
        "create",
    ),
    # Outreach segments (apps/outreach/segment_services.py).
    "segments.segment_create": (
        lambda tenant: segment_services.segment_create(data={"name": "Audited", "filters": {"exports": ["true"]}}),
        "create",
    ),
    "segments.segment_update": (
        lambda tenant: segment_services.segment_update(segment=SegmentFactory(), data={"name": "Renamed"}),
        "update",
    ),
    "segments.segment_delete": (
        lambda tenant: _deleted(SegmentFactory(), segment_services.segment_delete, "segment"),
        "delete",
    ),
    # outreach
    "outreach.campaign_create": (
        lambda tenant: outreach_services.campaign_create(
            data={"name": "Audited", "fallback_language": "en"},
            messages=[{"language": "en", "subject": "S", "body": "B"}],
            actor=None,
        ),
        "create",
    ),
    "outreach.campaign_update": (
        lambda tenant: outreach_services.campaign_update(
            campaign=CampaignFactory(),
            data={"name": "Renamed", "fallback_language": "en"},
            messages=[{"language": "en", "subject": "S", "body": "B"}],
            actor=None,
        ),
        "update",
    ),
    "outreach.campaign_send": (
        lambda tenant: (c := CampaignFactory(), outreach_services.campaign_send(campaign=c, actor=None))[0],
        "update",
    ),
    "outreach.campaign_cancel": (
        lambda tenant: (c := CampaignFactory(), outreach_services.campaign_cancel(campaign=c, actor=None))[0],
        "update",
    ),
    "outreach.delivery_unsubscribe": (
        lambda tenant: (
            (
                d := DeliveryFactory(msme=MsmeFactory(consent_outreach=True)),
                outreach_services.delivery_unsubscribe(delivery=d),
            )[0].msme
        ),
        "update",
    ),
}

# Public functions of the services modules that write no tenant-owned row of their own, each with why.
NOT_WRITES = {
    "registry.acts_for_agency": "a question",
    "registry.registration_number_error": "a question",
    "registry.stamp_consent": "sets fields on an unsaved instance for its caller's write",
    "registry.msme_export": "a read",
    "registry.tenant_recompute_size_classes": "derived values recomputed after the tenant's thresholds changed",
    "diagnostics.result_fields": "a pure function",
    "diagnostics.visitor_assessment_create": "a visitor's assessment is not tenant-owned",
    "counselling.slot_errors": "a pure function",
    "events.member_msme": "a read",
    "events.registration_errors": "a question",
    "events.feedback_allowed": "a question",
    "counselling.member_msme": "a read",
    "counselling.free_slots": "a read",
    "counselling.sessions_for": "a read",
    "counselling.agent_slots": "a read",
    "counselling.member_tickets": "a read",
    "counselling.topic_choices": "a pure function",
    "counselling.remind_tenant": "stamps reminder_sent_at, a job's bookkeeping (as the SLA sweep's stamps)",
    "counselling.reminder_subject": "a pure function",
    "counselling.reminder_body": "a pure function",
    "counselling.reminder_recipients": "a pure function",
    "helpdesk.tier_for": "a read",
    "outreach.campaign_send_test": "an e-mail to the actor themselves; no row is written",
    # The trail is of tenant-owned rows; users, their tokens and sessions are the accounts' (allauth keeps
    # their security log), and switching tenant writes only the session.
    "accounts.api_token_authenticate": "a read (it stamps the token's last use)",
    "accounts.language_for_email": "a read",
    "accounts.profile_update": "a user's own name and language: not a tenant-owned row",
    "accounts.api_token_create": "an API token: a user's, not a tenant-owned row",
    "accounts.api_token_revoke": "an API token: a user's, not a tenant-owned row",
    "accounts.api_tokens_revoke_all": "API tokens: a user's, not tenant-owned rows",
    "accounts.session_passed_mfa": "a read",
    "accounts.staff_mfa_missing": "a read",
    "accounts.user_has_totp": "a read",
    "accounts.saved_filter_create": "a user's shortcut to a list's filters: no tenant data changes",
    "accounts.saved_filter_delete": "a user's shortcut to a list's filters: no tenant data changes",
    "accounts.saved_filter_query": "a question",
    "tenants.tenant_switch": "writes the session only",
    "helpdesk.tickets_bulk": "each ticket through ticket_assign and ticket_set_status, which record their events",
    "surveys.clean_answers": "a pure function",
}

# --- news ---------------------------------------------------------------------------------------------------


def _news_data(**overrides):
    return {
        "kind": "news",
        "topic": "trademarks",
        "region": "",
        "closes_on": None,
        "fallback_language": "en",
        "texts": {"en": {"title": "A title", "summary": "", "body": "A text"}},
        **overrides,
    }


def _news_post(tenant):
    return news_services.post_create(actor=_staff(tenant), data=_news_data())


def _staff(tenant):
    return actor_of(user_with_role(Role.AGENCY_STAFF, tenant))


def _published(tenant):
    return news_services.post_publish(actor=_staff(tenant), post=_news_post(tenant))


def _news_comment(tenant):
    return news_services.comment_create(actor=_member(tenant), post=_published(tenant), body="Useful, thank you.")


WRITES.update(
    {
        "news.post_create": (_news_post, "create"),
        "news.post_update": (
            lambda tenant: news_services.post_update(
                actor=_staff(tenant), post=_news_post(tenant), data=_news_data(topic="patents")
            ),
            "update",
        ),
        "news.post_publish": (_published, "publish"),
        "news.post_delete": (
            lambda tenant: _deleted(_news_post(tenant), news_services.post_delete, name="post"),
            "delete",
        ),
        "news.follow_set": (
            lambda tenant: news_services.follow_set(actor=_member(tenant), topic="patents", follow=True),
            "create",
        ),
        "news.comment_create": (_news_comment, "create"),
        "news.comment_moderate": (
            lambda tenant: news_services.comment_moderate(
                actor=_staff(tenant), comment=_news_comment(tenant), approve=True
            ),
            "moderate",
        ),
    }
)
NOT_WRITES.update(
    {
        "news.comments_moderate": "each comment through comment_moderate, which records its event",
        "news.recent_comment_count": "a read",
    }
)


def _ticket(tenant, member=None):
    member = member or _member(tenant)
    msme = MsmeMember.objects.filter(user=member.user).first().msme
    return helpdesk_services.ticket_open(
        actor=member, subject="Our logo", body="How to protect it?", language="en", msme=msme
    )


def _worked(tenant):
    """A ticket of a new member's, with an agent of its queue: `ticket.member`, `ticket.agent`."""
    ticket = _ticket(tenant)
    ticket.member = actor_of(ticket.requester)
    ticket.agent = _agent(tenant)
    QueueAgent.objects.create(queue=ticket.queue, user=ticket.agent.user, languages=["en"])
    return ticket


def _rated(tenant):
    ticket = _worked(tenant)
    helpdesk_services.ticket_set_status(actor=ticket.agent, ticket=ticket, status="resolved")
    return helpdesk_services.ticket_rate(actor=ticket.member, ticket=ticket, rating="good")


def _agent(tenant):
    return actor_of(user_with_role(Role.HELPDESK_AGENT, tenant))


def _member(tenant):
    user = user_with_role(Role.MSME_MEMBER, tenant)
    MsmeMemberFactory(msme=MsmeFactory(), user=user)
    return actor_of(user)


def _slot(agent):
    start = timezone.now() + timedelta(days=2)
    return counselling.slot_publish(actor=agent, starts_at=start, ends_at=start + timedelta(hours=1), mode="online")


def _withdrawn(agent):
    slot = _slot(agent)
    gone = SimpleNamespace(pk=slot.pk)
    counselling.slot_withdraw(actor=agent, slot=slot)
    return gone


def _booked(tenant, member=None):
    return counselling.session_book(actor=member or _member(tenant), slot=_slot(_agent(tenant)))


def _recorded(agent):
    started = CounsellingSlotFactory(agent=agent.user, starts_at=timezone.now() - timedelta(minutes=5))
    session = CounsellingSessionFactory(slot=started)
    return counselling.session_record(actor=agent, counselling_session=session, notes="Held; advice given.")


def _deleted(obj, service, name: str = "msme"):
    gone = SimpleNamespace(pk=obj.pk)  # delete() clears the instance's pk
    service(**{name: obj, "actor": None})
    return gone


def _synced(assessment):
    diagnostics_services.sync_maturity_level(msme=assessment.msme, actor=None)
    return assessment.msme


def _revoked_calendar_token():
    member = MsmeMemberFactory()
    token, _secret = reminders_services.calendar_token_create(member=member, actor=None)
    reminders_services.calendar_token_revoke(member=member, actor=None)
    return token


# Write modules of an app besides its `services.py`.
OTHER_WRITE_MODULES = {"counselling": counselling, "files": files, "segments": segment_services}


def _write_modules() -> list[tuple[str, Any]]:
    """Every installed app's `services` module (found, so that a new app is covered), and the others above."""
    found = []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            found.append((config.label, importlib.import_module(f"{config.name}.services")))
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.services":
                raise
    return [*found, *OTHER_WRITE_MODULES.items()]


def _public_functions() -> set[str]:
    names = set()
    for label, module in _write_modules():
        for name, value in inspect.getmembers(module, inspect.isfunction):
            if value.__module__ == module.__name__ and not name.startswith("_"):
                names.add(f"{label}.{name}")
    return names


def test_ratchet_every_public_service_function_is_declared_audited_or_not_a_write():
    assert _public_functions() == set(WRITES) | set(NOT_WRITES)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_ratchet_each_write_service_records_its_audit_event(tenant_a, in_tenant, name):
    in_tenant(tenant_a)
    write, action = WRITES[name]
    obj = write(tenant_a)
    assert AuditEvent.objects.filter(action=action, object_id=obj.pk).exists(), f"{name} wrote no {action} event"


# --- events ---------------------------------------------------------------------------------------------


def _staff(tenant):
    return actor_of(user_with_role(Role.AGENCY_STAFF, tenant))


def _event(tenant, *, in_days: float = 3):
    start = timezone.now() + timedelta(days=in_days)
    return events_services.event_create(
        actor=_staff(tenant),
        data={
            "title": "Trademarks, the basics",
            "kind": "webinar",
            "online_url": "https://meet.example.org/tm",
            "language": "en",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
        },
    )


def _registered(tenant, member=None):
    return events_services.registration_create(actor=member or _member(tenant), event=_event(tenant))


def _attended(tenant):
    started = EventFactory(starts_at=timezone.now() - timedelta(hours=1))
    registration = RegistrationFactory(event=started)
    events_services.attendance_mark(actor=_staff(tenant), event=started, marks={str(registration.pk): "yes"})
    registration.refresh_from_db()
    return registration


# --- programmes and success stories ---------------------------------------------------------------------------


def _programme_request(tenant, member=None):
    member = member or _member(tenant)
    msme = MsmeMember.objects.filter(user=member.user).first().msme
    request = programmes_services.request_send(
        actor=member,
        programme=PROGRAMMES["tisc"],
        kind="patentability",
        description="Is our dryer new?",
        details={"technology": "Solar drying"},
        detail_lines=[("Field of technology", "Solar drying")],
        language="en",
        msme=msme,
    )
    request.member = member
    return request


def _staged(tenant):
    request = _programme_request(tenant)
    agent = _agent(tenant)
    QueueAgent.objects.create(queue=request.ticket.queue, user=agent.user, languages=["en"])
    return programmes_services.request_set_stage(actor=agent, request=request, stage="in_progress", outcome="Started.")


def _story(tenant):
    return stories_services.story_submit(
        actor=_staff(tenant),
        data={
            "title": "A brand abroad",
            "sector_section": "A",
            "country": "KE",
            "ip_used": ["trademark"],
            "topics": ["trademarks"],
            "summary": "Registered before exporting.",
            "body": "It registered its mark, then exported.",
            "language": "en",
        },
    )


WRITES.update(
    {
        "programmes.request_send": (_programme_request, "create"),
        "programmes.request_set_stage": (_staged, "update"),
        "programmes.request_withdraw": (
            lambda tenant: (
                lambda request: programmes_services.request_withdraw(actor=request.member, request=request)
            )(_programme_request(tenant)),
            "update",
        ),
        "stories.story_submit": (_story, "create"),
        "stories.story_review": (
            lambda tenant: stories_services.story_review(
                actor=actor_of(user_with_role(Role.PLATFORM_ADMIN)), story=_story(tenant), publish=True
            ),
            "update",
        ),
    }
)
NOT_WRITES.update(
    {
        "programmes.active_language": "a question",
        "programmes.programme_of": "a read",
        "programmes.queue_for": "a read (a division's queue made on first use is shared, not tenant-owned)",
        "programmes.ticket_text": "a pure function",
    }
)
