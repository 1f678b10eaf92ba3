"""Registering (a member for their MSME, staff on its behalf), capacity and the waiting list, cancelling
(a freed seat goes to the first waiting), attendance, feedback once, and the event's own edits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.core.roles import Role
from apps.events import notifications, services
from apps.events.models import Event, Feedback, Registration
from apps.outreach import outbox
from apps.outreach import tasks as outreach_tasks
from apps.outreach.models import OutboxMessage
from apps.tenants.models import AuditEvent
from tests.factories import MsmeFactory, MsmeMemberFactory, RegistrationFactory, user_with_role
from tests.policies.actors import actor_of

CONFIRMED, WAITING, CANCELLED = "confirmed", "waiting", "cancelled"


def _ics(message) -> str:
    """The invitation attached to an e-mail (Django gives a text/* attachment back as text)."""
    content = message.attachments[0][1]
    return content.decode() if isinstance(content, bytes) else content


def _members(world, count):
    actors = []
    for _ in range(count):
        user = user_with_role(Role.MSME_MEMBER, world.tenant)
        MsmeMemberFactory(msme=MsmeFactory(email=""), user=user)
        actors.append(actor_of(user))
    return actors


def test_a_member_registers_their_msme_and_gets_the_invitation(world, django_capture_on_commit_callbacks):
    event = world.event()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(actor=world.member, event=event)
    assert registration.status == CONFIRMED
    assert registration.msme == world.msme and registration.user == world.member.user
    assert registration.email == world.member.user.email
    assert AuditEvent.objects.filter(object_id=registration.pk, action="create").exists()
    [message] = mail.outbox
    assert message.to == [world.member.user.email]
    assert event.title in message.subject
    [(filename, _content, mimetype)] = message.attachments
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    assert f"UID:event-{event.pk}@" in _ics(message)


def test_one_active_registration_per_event_and_msme(world):
    event = world.event()
    services.registration_create(actor=world.member, event=event)
    with pytest.raises(ValidationError) as error:
        services.registration_create(actor=world.staff, event=event, msme=world.msme)
    assert "msme" in error.value.message_dict


def test_staff_register_an_msme_on_its_behalf_naming_who_attends(world):
    event = world.event()
    registration = services.registration_create(
        actor=world.staff, event=event, msme=world.other_msme, name="Amina Otieno", email="Amina@Example.org"
    )
    assert registration.msme == world.other_msme and registration.user is None
    assert (registration.name, registration.email) == ("Amina Otieno", "amina@example.org")
    assert registration.registered_by == world.staff.user


def test_staff_must_pick_the_msme(world):
    with pytest.raises(ValidationError) as error:
        services.registration_create(actor=world.staff, event=world.event())
    assert "msme" in error.value.message_dict


def test_a_member_registers_only_their_own_msme(world):
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=world.member, event=world.event(), msme=world.other_msme)


def test_a_member_without_a_business_is_told_to_register_it(world):
    lone = actor_of(user_with_role(Role.MSME_MEMBER, world.tenant))
    with pytest.raises(ValidationError) as error:
        services.registration_create(actor=lone, event=world.event())
    assert "msme" in error.value.message_dict


@pytest.mark.parametrize("who", ["helpdesk", "analyst", "admin", "anonymous"])
def test_other_roles_do_not_register(world, who):
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=world.actors[who], event=world.event(), msme=world.msme)


def test_past_the_capacity_registrations_wait_in_order(world):
    event = world.event(capacity=2)
    members = _members(world, 4)
    statuses = [services.registration_create(actor=m, event=event).status for m in members]
    assert statuses == [CONFIRMED, CONFIRMED, WAITING, WAITING]


def test_a_cancelled_seat_goes_to_the_first_waiting(world, django_capture_on_commit_callbacks):
    event = world.event(capacity=1)
    first, second, third = _members(world, 3)
    seated = services.registration_create(actor=first, event=event)
    waiting_first = services.registration_create(actor=second, event=event)
    waiting_second = services.registration_create(actor=third, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=first, registration=seated)
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses == {seated.pk: CANCELLED, waiting_first.pk: CONFIRMED, waiting_second.pk: WAITING}
    assert AuditEvent.objects.filter(object_id=waiting_first.pk, changes__status=[WAITING, CONFIRMED]).exists()
    # Their waiting-list message went with this drain too (the test's registrations never committed).
    [promotion] = [m for m in mail.outbox if m.to == [second.user.email] and "seat" in m.subject.lower()]
    assert "A seat was freed" in promotion.body
    assert not [m for m in mail.outbox if m.to == [third.user.email] and "seat" in m.subject.lower()]


def test_cancelling_a_waiting_registration_promotes_nobody(world):
    event = world.event(capacity=1)
    first, second = _members(world, 2)
    services.registration_create(actor=first, event=event)
    waiting = services.registration_create(actor=second, event=event)
    services.registration_cancel(actor=second, registration=waiting)
    assert list(Registration.objects.values_list("status", flat=True).order_by("created_at")) == [
        CONFIRMED,
        CANCELLED,
    ]


def test_a_cancelled_msme_may_register_again(world):
    event = world.event()
    registration = services.registration_create(actor=world.member, event=event)
    services.registration_cancel(actor=world.member, registration=registration)
    again = services.registration_create(actor=world.member, event=event)
    assert again.status == CONFIRMED and again.pk != registration.pk


def test_cancelling_twice_is_refused(world):
    registration = services.registration_create(actor=world.member, event=world.event())
    services.registration_cancel(actor=world.member, registration=registration)
    # A second click (the page still showed it active): told, by the row read under its lock.
    with pytest.raises(ValidationError):
        services.registration_cancel(actor=world.member, registration=registration)
    registration.refresh_from_db()
    with pytest.raises(PermissionDenied):  # as read now, the rule sees nothing left to cancel
        services.registration_cancel(actor=world.member, registration=registration)


def test_another_member_cannot_cancel(world):
    registration = services.registration_create(actor=world.member, event=world.event())
    with pytest.raises(PermissionDenied):
        services.registration_cancel(actor=world.other_member, registration=registration)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"registration_open": False}, "event"), ({"status": Event.Status.CANCELLED}, "event")],
)
def test_closed_or_cancelled_events_take_no_registration(world, change, field):
    event = world.event()
    Event.objects.filter(pk=event.pk).update(**change)
    event.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.registration_create(actor=world.member, event=event)
    assert field in error.value.message_dict


def test_raising_the_capacity_seats_those_waiting(world):
    event = world.event(capacity=1)
    first, second = _members(world, 2)
    services.registration_create(actor=first, event=event)
    waiting = services.registration_create(actor=second, event=event)
    services.event_update(actor=world.staff, event=event, data={"capacity": 2})
    waiting.refresh_from_db()
    assert waiting.status == CONFIRMED


def test_moving_an_event_raises_its_sequence_and_tells_those_registered(world, django_capture_on_commit_callbacks):
    event = world.event()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(actor=world.member, event=event)  # the confirmation goes
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.event_update(
            actor=world.staff,
            event=event,
            data={"starts_at": event.starts_at + timedelta(days=1), "ends_at": event.ends_at + timedelta(days=1)},
        )
    assert moved.sequence == 1
    [message] = mail.outbox
    assert "SEQUENCE:1" in _ics(message)
    # A change that calendars do not show keeps the revision.
    assert services.event_update(actor=world.staff, event=moved, data={"capacity": 50}).sequence == 1


def test_cancelling_an_event_sends_a_cancel_invitation(world, django_capture_on_commit_callbacks):
    event = world.event()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(actor=world.member, event=event)  # the confirmation goes
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.event_cancel(actor=world.staff, event=event)
    assert cancelled.is_cancelled and cancelled.sequence == 1
    [message] = mail.outbox
    ics = _ics(message)
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics
    with pytest.raises(ValidationError):
        services.event_cancel(actor=world.staff, event=cancelled)


def test_cancelling_an_event_tells_every_registration_batch_by_batch(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(notifications, "CHUNK", 2)
    event = world.event()
    for number in range(5):
        RegistrationFactory(event=event, email=f"person{number}@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.event_cancel(actor=world.staff, event=event)
    assert len(callbacks) == 3  # a drain queued per chunk written: 2 + 2 + 1
    assert sorted(address for message in mail.outbox for address in message.to) == [
        f"person{number}@example.org" for number in range(5)
    ]


def test_a_registration_rolled_back_sends_no_message(world, django_capture_on_commit_callbacks):
    event = world.event()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.registration_create(actor=world.member, event=event)
        raise RuntimeError("a later write of the same request failed")
    assert callbacks == [] and not mail.outbox
    assert not Registration.objects.exists() and not OutboxMessage.objects.exists()


def test_each_person_gets_each_message_once_whatever_runs_again(world, django_capture_on_commit_callbacks):
    event = world.event(capacity=1)
    first, second = _members(world, 2)
    with django_capture_on_commit_callbacks(execute=True):
        seated = services.registration_create(actor=first, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(actor=second, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=first, registration=seated)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=world.staff, event=event)
    for _run in range(2):  # the beat sweep and a drain redelivered find nothing left to send
        with django_capture_on_commit_callbacks(execute=True):
            outreach_tasks.outbox_sweep()
            outbox.drain()
    sent = sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox)
    assert sent == sorted(
        [
            (first.user.email, "Registered"),
            (second.user.email, "Waiting list"),
            (second.user.email, "A seat for you"),
            (second.user.email, "Cancelled"),
        ]
    )
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": " "}, "title"),
        ({"online_url": "", "venue": "", "city": ""}, "online_url"),
        ({"language": "xx"}, "language"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"capacity": 0}, "capacity"),
        ({"topics": ["no-such-topic"]}, "topics"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_bad_events_are_refused_by_field(world, data, field):
    with pytest.raises(ValidationError) as error:
        world.event(**data)
    assert field in error.value.message_dict


def test_an_event_ends_after_it_starts(world):
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        world.event(starts_at=start, ends_at=start - timedelta(minutes=1))
    assert "ends_at" in error.value.message_dict


def test_members_do_not_create_events(world):
    with pytest.raises(PermissionDenied):
        services.event_create(actor=world.member, data={"title": "Mine"})


def test_staff_mark_attendance_in_bulk_each_change_audited(world):
    event = world.event(in_days=-0.1, hours=4)  # started
    one, two = RegistrationFactory(event=event), RegistrationFactory(event=event)
    changed = services.attendance_mark(actor=world.staff, event=event, marks={str(one.pk): "yes", str(two.pk): "no"})
    assert changed == 2
    assert dict(Registration.objects.values_list("pk", "attended")) == {one.pk: "yes", two.pk: "no"}
    assert AuditEvent.objects.filter(object_id=one.pk, changes__attended=["unknown", "yes"]).exists()
    assert services.attendance_mark(actor=world.staff, event=event, marks={str(one.pk): "yes"}) == 0


def test_attendance_is_not_marked_before_the_event_or_with_odd_values(world):
    event = world.event()
    registration = RegistrationFactory(event=event)
    with pytest.raises(ValidationError):
        services.attendance_mark(actor=world.staff, event=event, marks={str(registration.pk): "yes"})
    with pytest.raises(ValidationError):
        services.attendance_mark(actor=world.staff, event=event, marks={str(registration.pk): "maybe"})
    with pytest.raises(PermissionDenied):
        services.attendance_mark(actor=world.member, event=event, marks={})


def test_feedback_once_per_registration_after_the_event(world):
    event = world.event(in_days=-1)
    registration = RegistrationFactory(event=event, msme=world.msme)
    feedback = services.feedback_give(registration=registration, rating=5, comment=" Useful. ")
    assert (feedback.rating, feedback.comment) == (5, "Useful.")
    with pytest.raises(ValidationError):
        services.feedback_give(registration=registration, rating=4)
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(("rating", "comment"), [(0, ""), (6, ""), (None, ""), (3, "x" * 2001)])
def test_bad_feedback_is_refused(world, rating, comment):
    registration = RegistrationFactory(event=world.event(in_days=-1))
    with pytest.raises(ValidationError):
        services.feedback_give(registration=registration, rating=rating, comment=comment)


def test_no_feedback_before_the_event_or_from_the_absent(world):
    upcoming = RegistrationFactory(event=world.event())
    absent = RegistrationFactory(event=world.event(in_days=-1), attended="no")
    for registration in (upcoming, absent):
        with pytest.raises(ValidationError):
            services.feedback_give(registration=registration, rating=4)
