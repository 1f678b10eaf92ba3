"""Counselling sessions: publishing slots, booking (once per slot), cancelling, recording notes (internal
unless shared), reminders (once, even when the job runs twice), the pages and tenant isolation."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.claims import claim_unstamped
from apps.core.roles import Division
from apps.helpdesk import counselling, selectors, tasks
from apps.helpdesk.models import CounsellingSession, CounsellingSlot, Message, Queue, QueueAgent, Ticket
from apps.tenants.audit import AuditEvent
from apps.tenants.context import tenant_context
from tests.factories import CounsellingSlotFactory, HelpdeskTicketFactory
from tests.helpdesk.conftest import Desk, _queue
from tests.policies.actors import one_tenant

BOOKED, CANCELLED, HELD = "booked", "cancelled", "held"


def _publish(desk, *, in_days: float = 2, hours: float = 1, actor=None, **fields):
    start = (timezone.now() + timedelta(days=in_days)).replace(microsecond=0)
    values = {"starts_at": start, "ends_at": start + timedelta(hours=hours), "mode": "online", "where": ""}
    values.update(fields)
    return counselling.slot_publish(actor=actor or desk.agent, **values)


def _book(desk, slot, *, actor=None, **fields):
    return counselling.session_book(actor=actor or desk.member, slot=slot, **fields)


@pytest.fixture
def later(monkeypatch):
    """Move the clock forward: `later(timedelta(days=3))`."""
    real_now = timezone.now

    def move(delta: timedelta) -> None:
        monkeypatch.setattr(timezone, "now", lambda: real_now() + delta)

    return move


# --- Publishing ----------------------------------------------------------------------------------------


def test_an_agent_publishes_a_slot_and_it_is_audited(in_tenant):
    slot = _publish(in_tenant, mode="visit", where="Plot 12, Industrial Area")
    assert (slot.agent, slot.mode, slot.where) == (in_tenant.agent.user, "visit", "Plot 12, Industrial Area")
    assert slot.tenant_id == in_tenant.tenant.pk
    assert AuditEvent.objects.filter(object_id=slot.pk, action="create").exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"in_days": -1}, "starts_at", "Pick a time in the future."),
        ({"hours": -1}, "ends_at", "The session must end after it starts."),
        ({"hours": 0}, "ends_at", "The session must end after it starts."),
        ({"hours": 4.5}, "ends_at", "A session lasts at most 4 hours."),
        ({"mode": "phone"}, "mode", "Pick online or a visit."),
        ({"mode": "visit", "where": "  "}, "where", "Say where the visit takes place."),
        ({"where": "x" * 301}, "where", "Keep this under 300 characters."),
    ],
)
def test_a_slot_is_refused_when_it_is_invalid(in_tenant, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        _publish(in_tenant, **fields)
    assert refused.value.message_dict[field] == [message]
    assert not CounsellingSlot.objects.exists()


def test_four_hours_is_allowed_but_not_an_overlap_with_the_agents_own_slots(in_tenant):
    first = _publish(in_tenant, hours=4)
    with pytest.raises(ValidationError) as refused:
        _publish(in_tenant, starts_at=first.starts_at + timedelta(hours=3), ends_at=first.ends_at + timedelta(hours=1))
    assert refused.value.message_dict["starts_at"] == ["You already offer a session at that time."]
    # Back to back is no overlap.
    _publish(in_tenant, starts_at=first.ends_at, ends_at=first.ends_at + timedelta(hours=1))


def test_an_agent_offers_a_bounded_number_of_future_slots(in_tenant, monkeypatch):
    monkeypatch.setattr(counselling, "MAX_FUTURE_SLOTS", 2)
    _publish(in_tenant, in_days=1)
    _publish(in_tenant, in_days=2)
    with pytest.raises(ValidationError) as refused:
        _publish(in_tenant, in_days=3)
    assert "starts_at" in refused.value.message_dict


@pytest.mark.parametrize("who", ["member", "division_agent", "agency"])
def test_only_the_agencys_agents_publish(in_tenant, who):
    with pytest.raises(PermissionDenied):
        _publish(in_tenant, actor=getattr(in_tenant, who))


def test_a_free_slot_is_withdrawn_a_booked_one_is_not(in_tenant):
    free, booked = _publish(in_tenant, in_days=1), _publish(in_tenant, in_days=2)
    _book(in_tenant, booked)
    counselling.slot_withdraw(actor=in_tenant.agent, slot=free)
    assert not CounsellingSlot.objects.filter(pk=free.pk).exists()
    assert AuditEvent.objects.filter(object_id=free.pk, action="delete").exists()
    with pytest.raises(ValidationError):
        counselling.slot_withdraw(actor=in_tenant.agent, slot=booked)
    with pytest.raises(PermissionDenied):
        counselling.slot_withdraw(actor=in_tenant.member, slot=booked)


# --- Booking -------------------------------------------------------------------------------------------


def test_a_member_books_a_free_slot_which_opens_a_ticket_for_their_msme(in_tenant):
    slot = _publish(in_tenant)
    session = _book(in_tenant, slot, topic="trademarks", note="We want to protect our brand abroad.")
    ticket = session.ticket
    assert (session.state, session.msme, session.requester) == (BOOKED, in_tenant.world.msme, in_tenant.member.user)
    assert ticket.subject.startswith("Counselling session: ") and ticket.topic == "trademarks"
    assert ticket.body == "We want to protect our brand abroad." and ticket.msme == in_tenant.world.msme
    assert ticket.requester == in_tenant.member.user
    assert Message.objects.filter(ticket=ticket, kind="change", changes__has_key="counselling_session").exists()
    assert AuditEvent.objects.filter(object_id=session.pk, action="create").exists()
    assert slot not in counselling.free_slots(in_tenant.member)


def test_without_a_topic_the_subject_names_the_date(in_tenant):
    session = _book(in_tenant, _publish(in_tenant))
    assert session.ticket.subject.startswith("Counselling session: ") and session.ticket.body


def test_a_booking_can_follow_an_existing_ticket_of_the_member_but_not_anothers(in_tenant):
    mine = HelpdeskTicketFactory(msme=in_tenant.world.msme, requester=in_tenant.member.user, queue=in_tenant.queue)
    theirs = HelpdeskTicketFactory(msme=in_tenant.world.other_msme, queue=in_tenant.queue)
    tickets_before = Ticket.objects.count()
    session = _book(in_tenant, _publish(in_tenant, in_days=1), ticket=mine)
    assert session.ticket == mine and Ticket.objects.count() == tickets_before
    with pytest.raises(ValidationError) as refused:
        _book(in_tenant, _publish(in_tenant, in_days=2), ticket=theirs)
    assert "ticket" in refused.value.message_dict


def test_a_slot_is_never_booked_twice(in_tenant):
    slot = _publish(in_tenant)
    _book(in_tenant, slot)
    tickets = Ticket.objects.count()
    with pytest.raises(ValidationError) as refused:
        _book(in_tenant, slot, actor=in_tenant.other_member)
    assert refused.value.message_dict["slot"] == ["This slot is booked already; pick another."]
    assert CounsellingSession.objects.filter(slot=slot).count() == 1 and Ticket.objects.count() == tickets


def test_two_members_booking_at_the_same_moment_the_constraint_refuses_the_second(in_tenant, monkeypatch):
    """Both pass the check before either has written: the database's conditional uniqueness decides, and
    the loser gets a validation error (its ticket is rolled back with it), not a server error."""
    slot = _publish(in_tenant)
    _book(in_tenant, slot)
    monkeypatch.setattr(counselling, "_slot_taken", lambda slot: False)
    tickets = Ticket.objects.count()
    with pytest.raises(ValidationError) as refused:
        _book(in_tenant, slot, actor=in_tenant.other_member)
    assert refused.value.message_dict["slot"] == ["This slot is booked already; pick another."]
    assert CounsellingSession.objects.filter(slot=slot).count() == 1 and Ticket.objects.count() == tickets


def test_a_past_slot_and_an_unknown_topic_are_refused_and_only_members_book(in_tenant, later):
    slot = _publish(in_tenant, in_days=1)
    with pytest.raises(ValidationError) as refused:
        _book(in_tenant, slot, topic="no-such-topic")
    assert "topic" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        _book(in_tenant, slot, actor=in_tenant.agent)
    later(timedelta(days=2))
    with pytest.raises(ValidationError) as refused:
        _book(in_tenant, slot)
    assert "slot" in refused.value.message_dict


# --- Cancelling ----------------------------------------------------------------------------------------


def test_the_member_cancels_before_the_start_and_the_slot_is_free_again(in_tenant):
    slot = _publish(in_tenant)
    session = _book(in_tenant, slot)
    with pytest.raises(PermissionDenied):
        counselling.session_cancel(actor=in_tenant.other_member, counselling_session=session)
    counselling.session_cancel(actor=in_tenant.member, counselling_session=session)
    session.refresh_from_db()
    assert session.state == CANCELLED
    assert slot in counselling.free_slots(in_tenant.other_member)
    assert AuditEvent.objects.filter(object_id=session.pk, action="update").exists()
    with pytest.raises(ValidationError):
        counselling.session_cancel(actor=in_tenant.member, counselling_session=session)
    # Free again: another member books it.
    assert _book(in_tenant, slot, actor=in_tenant.other_member).state == BOOKED


def test_the_agent_cancels_too_but_nobody_after_the_start(in_tenant, later):
    first = _book(in_tenant, _publish(in_tenant, in_days=1))
    counselling.session_cancel(actor=in_tenant.agent, counselling_session=first)
    second = _book(in_tenant, _publish(in_tenant, in_days=2))
    later(timedelta(days=2, hours=0.5))
    with pytest.raises(ValidationError):
        counselling.session_cancel(actor=in_tenant.member, counselling_session=second)


# --- Notes ---------------------------------------------------------------------------------------------


def test_unshared_notes_are_an_internal_note_the_member_never_sees(in_tenant, later):
    session = _book(in_tenant, _publish(in_tenant, in_days=1))
    with pytest.raises(ValidationError):  # not started yet
        counselling.session_record(actor=in_tenant.agent, counselling_session=session, notes="Too early")
    later(timedelta(days=1, minutes=30))
    with pytest.raises(PermissionDenied):
        counselling.session_record(actor=in_tenant.member, counselling_session=session, notes="Mine")
    counselling.session_record(
        actor=in_tenant.agent, counselling_session=session, notes="Cash-flow worries; not ready to file."
    )
    session.refresh_from_db()
    assert (session.state, session.notes_shared) == (HELD, False)
    members_view = [m.body for m in selectors.timeline(session.ticket, internal=False)]
    agents_view = selectors.timeline(session.ticket, internal=True)
    assert "Cash-flow worries; not ready to file." not in members_view
    assert agents_view.filter(kind="note", body="Cash-flow worries; not ready to file.").exists()
    with pytest.raises(ValidationError):  # once
        counselling.session_record(actor=in_tenant.agent, counselling_session=session, notes="Again")


def test_shared_notes_are_a_public_reply_on_the_ticket(in_tenant, later):
    session = _book(in_tenant, _publish(in_tenant, in_days=1))
    later(timedelta(days=1, minutes=30))
    counselling.session_record(
        actor=in_tenant.agent, counselling_session=session, notes="File the mark in class 30.", notes_shared=True
    )
    members_view = selectors.timeline(session.ticket, internal=False)
    assert members_view.filter(kind="reply", body="File the mark in class 30.", from_agent=True).exists()
    session.ticket.refresh_from_db()
    assert session.ticket.first_responded_at is not None


# --- Reminders -----------------------------------------------------------------------------------------


def test_reminders_go_once_to_the_member_and_the_agent_even_when_the_job_runs_twice(
    desk, mailoutbox, django_capture_on_commit_callbacks
):
    with tenant_context(desk.tenant), transaction.atomic():
        soon = _book(desk, _publish(desk, in_days=0.5))
        _book(desk, _publish(desk, in_days=3), actor=desk.other_member)  # not within a day
    with django_capture_on_commit_callbacks(execute=True):
        tasks.counselling_reminders()
        tasks.counselling_reminders()
    assert sorted(to for mail in mailoutbox for to in mail.to) == sorted(
        [desk.member.user.email, desk.agent.user.email]
    )
    assert all(mail.subject.startswith("Reminder: counselling session on ") for mail in mailoutbox)
    assert soon.ticket.reference in mailoutbox[0].body
    with tenant_context(desk.tenant), transaction.atomic():
        assert CounsellingSession.objects.get(pk=soon.pk).reminder_sent_at is not None


def test_two_overlapping_runs_stamp_each_session_once(in_tenant):
    """The second run read the same rows before the first committed: it stamps (and sends) none."""
    session = _book(in_tenant, _publish(in_tenant, in_days=0.5))
    now = timezone.now()
    sessions = CounsellingSession.objects.filter(pk=session.pk)
    claim = {"stamp_field": "reminder_sent_at", "now": now, "limit": 10}
    assert [row.pk for row in claim_unstamped(sessions, **claim)] == [session.pk]
    assert claim_unstamped(sessions, **claim) == []


def test_no_reminder_for_a_cancelled_session(in_tenant, mailoutbox, django_capture_on_commit_callbacks):
    session = _book(in_tenant, _publish(in_tenant, in_days=0.5))
    counselling.session_cancel(actor=in_tenant.member, counselling_session=session)
    with django_capture_on_commit_callbacks(execute=True):
        assert counselling.remind_tenant() == 0
    assert mailoutbox == []


# --- Tenant isolation ----------------------------------------------------------------------------------


def test_another_agencys_slots_and_sessions_are_not_seen_nor_booked(desk, client):
    other = one_tenant()
    with tenant_context(other.tenant), transaction.atomic():
        foreign = CounsellingSlotFactory(where="Foreign agency room 77")
    client.force_login(desk.member.user)
    page = client.get(reverse("helpdesk:sessions"))
    assert page.status_code == 200 and "Foreign agency room 77" not in page.content.decode()
    response = client.post(reverse("helpdesk:session-book", args=[foreign.pk]))
    assert response.status_code == 404
    with tenant_context(desk.tenant), transaction.atomic():
        assert not CounsellingSlot.objects.filter(pk=foreign.pk).exists()
        assert not counselling.free_slots(desk.member).filter(pk=foreign.pk).exists()


# --- Pages ---------------------------------------------------------------------------------------------


def test_the_member_page_lists_free_slots_with_a_constant_number_of_queries(desk, client):
    client.force_login(desk.member.user)
    url = reverse("helpdesk:sessions")
    client.get(url)  # warm the signed-in cache

    def queries(n: int) -> int:
        with tenant_context(desk.tenant), transaction.atomic():
            CounsellingSlotFactory.create_batch(n, agent=desk.agent.user, mode="visit")
        with CaptureQueriesContext(transaction.get_connection()) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries(2)
    assert queries(40) == few


def test_a_member_books_and_cancels_through_the_page(desk, client):
    with tenant_context(desk.tenant), transaction.atomic():
        slot = CounsellingSlotFactory(agent=desk.agent.user, where="Room 9 at the agency")
    client.force_login(desk.member.user)
    page = client.get(reverse("helpdesk:sessions"))
    assert reverse("helpdesk:session-book", args=[slot.pk]) in page.content.decode()
    response = client.post(reverse("helpdesk:session-book", args=[slot.pk]), {"topic": "", "note": "Logo question"})
    assert response.status_code == 302
    with tenant_context(desk.tenant), transaction.atomic():
        session = CounsellingSession.objects.get(slot=slot)
    again = client.post(reverse("helpdesk:session-book", args=[slot.pk]), {"topic": "", "note": ""})
    assert again.status_code == 400 and "This slot is booked already" in again.content.decode()
    assert client.post(reverse("helpdesk:session-cancel", args=[session.pk])).status_code == 302
    with tenant_context(desk.tenant), transaction.atomic():
        assert CounsellingSession.objects.get(pk=session.pk).state == CANCELLED


def test_an_agent_publishes_and_records_through_the_page(desk, client, later):
    client.force_login(desk.agent.user)
    page = client.get(reverse("helpdesk:sessions"))
    assert page.status_code == 200 and reverse("helpdesk:slot-publish") in page.content.decode()
    bad = client.post(reverse("helpdesk:slot-publish"), {"starts_at": "2001-01-01T10:00", "ends_at": "x"})
    assert bad.status_code == 400 and "Pick a time in the future." not in bad.content.decode()  # ends_at invalid
    past = client.post(
        reverse("helpdesk:slot-publish"),
        {"starts_at": "2001-01-01T10:00", "ends_at": "2001-01-01T11:00", "mode": "online"},
    )
    assert past.status_code == 400 and "Pick a time in the future." in past.content.decode()
    start = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:00")
    end = (timezone.now() + timedelta(days=1, hours=1)).strftime("%Y-%m-%dT%H:00")
    ok = client.post(reverse("helpdesk:slot-publish"), {"starts_at": start, "ends_at": end, "mode": "online"})
    assert ok.status_code == 302
    with tenant_context(desk.tenant), transaction.atomic():
        slot = CounsellingSlot.objects.get()
        session = _book(desk, slot)
    page = client.get(reverse("helpdesk:sessions")).content.decode()
    assert reverse("helpdesk:slot-withdraw", args=[slot.pk]) not in page
    assert reverse("helpdesk:session-cancel", args=[session.pk]) in page
    later(timedelta(days=1, hours=1))
    url = reverse("helpdesk:session-record", args=[session.pk])
    assert client.post(url, {"notes": ""}).status_code == 400
    assert client.post(url, {"notes": "Advised on a collective mark."}).status_code == 302
    with tenant_context(desk.tenant), transaction.atomic():
        session.refresh_from_db()
        assert session.state == HELD and not session.notes_shared


def test_the_agent_page_has_a_constant_number_of_queries(desk, client):
    client.force_login(desk.agent.user)
    url = reverse("helpdesk:sessions")
    client.get(url)
    made = {"n": 0}

    def queries(n: int) -> int:
        with tenant_context(desk.tenant), transaction.atomic():
            for _slot in range(n):
                made["n"] += 1
                slot = CounsellingSlotFactory(
                    agent=desk.agent.user, starts_at=timezone.now() + timedelta(days=made["n"])
                )
                if made["n"] % 2:
                    _book(desk, slot)
        with CaptureQueriesContext(transaction.get_connection()) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries(2)
    assert queries(20) == few


@pytest.mark.parametrize(("who", "status"), [("division_agent", 403), ("agency", 403)])
def test_others_are_refused_the_page(desk, client, who, status):
    client.force_login(getattr(desk, who).user)
    assert client.get(reverse("helpdesk:sessions")).status_code == status


# --- At the same moment, for real (PostgreSQL: two connections) ----------------------------------------


def _in_thread(target, *args):
    """Run `target` in a thread of its own (its own connection); returns (thread, outcome dict)."""
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = target(*args)
        except Exception as error:  # the test reads it
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.fixture
def committed_desk(transactional_db):
    """The `desk` of tests/helpdesk/conftest.py, committed: other connections see it."""
    with transaction.atomic():
        world = one_tenant()
        queue = _queue(world)
        division_queue = Queue.objects.create(division=Division.AMC, name="AMC Good Offices")
        QueueAgent.objects.create(queue=queue, user=world.actors["helpdesk"].user)
    return Desk(world=world, queue=queue, division_queue=division_queue)


def test_two_members_booking_one_slot_at_once_one_wins_the_other_is_told(committed_desk):
    desk = committed_desk
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent transactions need PostgreSQL")
    with tenant_context(desk.tenant), transaction.atomic():
        slot = CounsellingSlotFactory(agent=desk.agent.user)
    booked, release = threading.Event(), threading.Event()

    def first():
        with tenant_context(desk.tenant), transaction.atomic():
            session = _book(desk, slot)
            booked.set()
            release.wait(10)  # hold the uncommitted booking while the second member books
            return session

    def second():
        booked.wait(10)
        with tenant_context(desk.tenant), transaction.atomic():
            return _book(desk, slot, actor=desk.other_member)

    one, first_outcome = _in_thread(first)
    two, second_outcome = _in_thread(second)
    time.sleep(1)  # the second is now waiting on the first's row of the unique index
    release.set()
    one.join(20)
    two.join(20)
    assert "error" not in first_outcome, first_outcome
    assert isinstance(second_outcome.get("error"), ValidationError), second_outcome
    assert second_outcome["error"].message_dict["slot"] == ["This slot is booked already; pick another."]
    with tenant_context(desk.tenant), transaction.atomic():
        assert CounsellingSession.objects.filter(slot=slot).count() == 1
        # The loser's ticket went with its booking.
        assert not Ticket.objects.filter(requester=desk.other_member.user).exists()


def test_two_reminder_runs_at_once_remind_each_session_once(committed_desk):
    desk = committed_desk
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent transactions need PostgreSQL")
    with tenant_context(desk.tenant), transaction.atomic():
        slot = CounsellingSlotFactory(agent=desk.agent.user, starts_at=timezone.now() + timedelta(hours=3))
        _book(desk, slot)
    stamped, release = threading.Event(), threading.Event()

    def first():
        with tenant_context(desk.tenant), transaction.atomic():
            count = counselling.remind_tenant()
            stamped.set()
            release.wait(10)
            return count

    def second():
        stamped.wait(10)
        with tenant_context(desk.tenant), transaction.atomic():
            return counselling.remind_tenant()

    one, first_outcome = _in_thread(first)
    two, second_outcome = _in_thread(second)
    two.join(20)  # SKIP LOCKED: the second run does not wait for the first
    release.set()
    one.join(20)
    assert (first_outcome, second_outcome) == ({"result": 1}, {"result": 0})


def test_the_reminder_speaks_to_each_person_in_their_language(in_tenant):
    from apps.core.roles import Role
    from apps.helpdesk.counselling import reminder_recipients
    from tests.factories import CounsellingSessionFactory, HelpdeskTicketFactory, user_with_role

    in_tenant.queue.languages = ["fr", "en"]
    in_tenant.queue.save()
    member = in_tenant.member.user
    agent = user_with_role(Role.HELPDESK_AGENT, in_tenant.tenant)
    ticket = HelpdeskTicketFactory(msme=in_tenant.world.msme, queue=in_tenant.queue, language="ar", requester=member)
    session = CounsellingSessionFactory(ticket=ticket, requester=member, slot__agent=agent)
    assert reminder_recipients(session) == [(member.email, "ar"), (agent.email, "fr")]
