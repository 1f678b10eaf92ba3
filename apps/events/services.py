"""Every write of events and trainings, each recorded in the audit trail.

Seats: a registration is confirmed while the event has a free seat, else it waits. Registering and
cancelling lock the event's row first (`SELECT ... FOR UPDATE`), so two registrations for the last seat
are counted one after the other and never both get it, and a cancellation promotes the first waiting
registration exactly once. The messages (confirmation, waiting list, promotion, cancellation) leave after
the transaction commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import diff, snapshot
from apps.core.policies import Actor, can
from apps.events import notifications, rules
from apps.events.models import Event, Feedback, Registration
from apps.events.policies import is_agency_staff, is_member, member_msme_ids
from apps.guidance.topics import topic_slugs
from apps.outreach import outbox
from apps.registry.models import Msme
from apps.tenants import audit
from apps.tenants.context import require_active_tenant
from apps.tenants.tasks import enqueue_for_tenant

CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED

EVENT_FIELDS = (
    "title",
    "description",
    "kind",
    "online_url",
    "venue",
    "city",
    "language",
    "time_zone",
    "starts_at",
    "ends_at",
    "capacity",
    "registration_open",
    "topics",
)
# A change of these makes calendar apps update the invitation (a new SEQUENCE).
CALENDAR_FIELDS = ("title", "description", "online_url", "venue", "city", "starts_at", "ends_at")


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _notify_all(kind: str, event: Event, registrations: QuerySet[Registration]) -> None:
    """The message of `kind` to every one of `registrations` (the event's): in this transaction when they are
    few; else the event is marked and a task writes them after the commit (apps.events.tasks.write_messages)."""
    if registrations.count() <= outbox.FANOUT_IN_REQUEST:
        _notify(kind, list(registrations))
        return
    Event.objects.filter(pk=event.pk).update(messages_pending=kind, messages_pending_at=timezone.now())
    from apps.events.tasks import write_messages  # apps.events.tasks imports this module

    enqueue_for_tenant(write_messages, str(event.pk), kind)  # on commit


def _notify(kind: str, registrations: list[Registration]) -> None:
    """The messages of `kind` to these registrations' people: written to the outbox in this transaction (they
    commit with it, or not at all) and sent once it commits."""
    if registrations:
        notifications.enqueue(kind, [registration.pk for registration in registrations], require_active_tenant())


# --- Events --------------------------------------------------------------------------------------------


def _event_values(data: dict[str, Any], current: Event | None = None) -> dict[str, Any]:
    values = {name: getattr(current, name) for name in EVENT_FIELDS} if current is not None else {}
    values.update({name: data[name] for name in EVENT_FIELDS if name in data})
    for name in ("title", "description", "online_url", "venue", "city"):
        values[name] = (values.get(name) or "").strip()
    values.setdefault("kind", Event.Kind.WEBINAR)
    values.setdefault("language", "")
    values.setdefault("time_zone", "UTC")
    values.setdefault("registration_open", True)
    values["topics"] = list(values.get("topics") or [])
    return values


def _event_check(values: dict[str, Any]) -> None:
    _raise(
        rules.event_errors(
            title=values["title"],
            description=values["description"],
            kind=values["kind"],
            online_url=values["online_url"],
            venue=values["venue"],
            city=values["city"],
            language=values["language"],
            time_zone=values["time_zone"],
            starts_at=values.get("starts_at"),
            ends_at=values.get("ends_at"),
            capacity=values.get("capacity"),
            topics=values["topics"],
            kinds=list(Event.Kind.values),
            topic_slugs=topic_slugs(),
        )
    )


@transaction.atomic
def event_create(*, actor: Actor, data: dict[str, Any]) -> Event:
    if not can(actor, "events.manage"):
        raise PermissionDenied(_("Only the agency's staff create events."))
    values = _event_values(data)
    _event_check(values)
    event = Event.objects.create(created_by=actor.user, **values)
    audit.record(instance=event, action="create", actor=actor.user, changes=snapshot(event))
    return event


@transaction.atomic
def event_update(*, actor: Actor, event: Event, data: dict[str, Any]) -> Event:
    """Edit an event; a change of its time, place or text gives it a new revision (its invitation's SEQUENCE),
    and the people registered get the updated invitation. Raising the capacity seats those waiting."""
    if not can(actor, "events.manage", event):
        raise PermissionDenied(_("Only the agency's staff edit events."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError({"status": [_("A cancelled event cannot be edited.")]})
    before = snapshot(event)
    values = _event_values(data, event)
    _event_check(values)
    moved = any(values[name] != getattr(event, name) for name in CALENDAR_FIELDS)
    for name, value in values.items():
        setattr(event, name, value)
    if moved:
        event.sequence += 1
    event.save()
    changes = diff(before, snapshot(event))
    if changes:
        audit.record(instance=event, action="update", actor=actor.user, changes=changes)
    promoted = _fill_free_seats(event, actor=actor)
    if moved:
        active = event.registrations.exclude(status=CANCELLED).exclude(pk__in=[r.pk for r in promoted])
        _notify_all("updated", event, active)
    return event


@transaction.atomic
def event_cancel(*, actor: Actor, event: Event) -> Event:
    """Call the event off: everyone registered is told, with an invitation that removes it from calendars."""
    if not can(actor, "events.manage", event):
        raise PermissionDenied(_("Only the agency's staff cancel events."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError({"status": [_("The event is cancelled already.")]})
    event.status = Event.Status.CANCELLED
    event.registration_open = False
    event.sequence += 1
    event.save(update_fields=["status", "registration_open", "sequence", "updated_at"])
    audit.record(
        instance=event,
        action="update",
        actor=actor.user,
        changes={"status": [Event.Status.PUBLISHED, Event.Status.CANCELLED]},
    )
    _notify_all("event_cancelled", event, event.registrations.exclude(status=CANCELLED))
    return event


# --- Registrations -------------------------------------------------------------------------------------


def member_msme(actor: Actor) -> Msme | None:
    """The MSME a member registers (their first, as the registry's "my business" page shows)."""
    return Msme.objects.filter(pk__in=member_msme_ids(actor)).order_by("name", "pk").first()


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=CONFIRMED).count()


def _has_seat(event: Event) -> bool:
    return event.capacity is None or _confirmed_count(event) < event.capacity


def registration_errors(event: Event, *, now: datetime | None = None) -> dict[str, list[str]]:
    """Why `event` takes no registration now (none: it does)."""
    now = now or timezone.now()
    if event.is_cancelled:
        return {"event": [_("This event is cancelled.")]}
    if event.ends_at <= now:
        return {"event": [_("This event is over.")]}
    if not event.registration_open:
        return {"event": [_("Registration for this event is closed.")]}
    return {}


@transaction.atomic
def registration_create(
    *, actor: Actor, event: Event, msme: Msme | None = None, name: str = "", email: str = ""
) -> Registration:
    """Register an MSME for `event`: a member registers their own MSME (and attends), agency staff register
    any MSME of the registry on its behalf, naming who attends (default: the MSME's own address). Confirmed
    while a seat is free, else on the waiting list."""
    if not can(actor, "events.register", event):
        raise PermissionDenied(_("Only the agency's MSMEs and staff register for its events."))
    name, email = name.strip(), email.strip().lower()
    user = None
    if is_agency_staff(actor):
        if msme is None:
            raise ValidationError({"msme": [_("Pick the MSME to register.")]})
        _raise(rules.person_errors(name=name, email=email))
        name = name or msme.name
        email = email or msme.email
    elif is_member(actor):
        own = member_msme(actor)
        if own is None:
            raise ValidationError({"msme": [_("Register your business first: events are for registered MSMEs.")]})
        if msme is not None and msme.pk != own.pk:
            raise PermissionDenied(_("Members register their own MSME."))
        msme, user = own, actor.user
        name = (getattr(user, "full_name", "") or user.get_username()).strip()[: rules.NAME_MAX]
        email = user.email
    else:
        raise PermissionDenied(_("Only the agency's MSMEs and staff register for its events."))
    # The event's row lock: registrations and cancellations of one event are counted one after the other.
    event = Event.objects.select_for_update().get(pk=event.pk)
    _raise(registration_errors(event))
    if event.registrations.filter(msme=msme).exclude(status=CANCELLED).exists():
        raise ValidationError({"msme": [_("This MSME is registered for the event already.")]})
    status = CONFIRMED if _has_seat(event) else WAITING
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event, msme=msme, user=user, name=name, email=email, registered_by=actor.user, status=status
            )
    except IntegrityError:
        raise ValidationError({"msme": [_("This MSME is registered for the event already.")]}) from None
    audit.record(
        instance=registration,
        action="create",
        actor=actor.user,
        changes={"event": str(event.pk), "status": status, "name": name, "email": email},
        label=event.title,
    )
    _notify("confirmed" if status == CONFIRMED else "waiting", [registration])
    return registration


def _fill_free_seats(event: Event, *, actor: Actor | None) -> list[Registration]:
    """Seat the first waiting registrations while seats are free (the event's row is locked by the caller)."""
    if event.is_cancelled:
        return []
    waiting = event.registrations.filter(status=WAITING).order_by("created_at", "id")
    if event.capacity is not None:
        free = event.capacity - _confirmed_count(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = CONFIRMED
        registration.save(update_fields=["status"])
        audit.record(
            instance=registration,
            action="update",
            actor=getattr(actor, "user", None),
            changes={"status": [WAITING, CONFIRMED]},
            label=event.title,
        )
    _notify("promoted", promoted)
    return promoted


@transaction.atomic
def registration_cancel(*, actor: Actor, registration: Registration) -> Registration:
    """The MSME (or staff for it) cancels; a freed seat goes to the first registration waiting."""
    if not can(actor, "events.cancel_registration", registration):
        raise PermissionDenied(_("Only the MSME registered or the agency's staff cancel a registration."))
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == CANCELLED:
        raise ValidationError({"registration": [_("This registration is cancelled already.")]})
    if event.ends_at <= timezone.now():
        raise ValidationError({"registration": [_("The event is over; its registrations stay as they were.")]})
    before = registration.status
    registration.status = CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    notifications.withdraw_for(registration)
    audit.record(
        instance=registration,
        action="update",
        actor=actor.user,
        changes={"status": [before, CANCELLED]},
        label=event.title,
    )
    if before == CONFIRMED:
        _fill_free_seats(event, actor=actor)
    return registration


@transaction.atomic
def attendance_mark(*, actor: Actor, event: Event, marks: dict[str, str]) -> int:
    """Staff record who attended: `marks` maps registration ids to yes / no / unknown. The number changed."""
    if not can(actor, "events.manage", event):
        raise PermissionDenied(_("Only the agency's staff mark attendance."))
    if len(marks) > rules.ATTENDANCE_MAX:
        raise ValidationError(
            {"attended": [_("Mark at most %(max)d registrations at once.") % {"max": rules.ATTENDANCE_MAX}]}
        )
    if any(value not in Registration.Attended.values for value in marks.values()):
        raise ValidationError({"attended": [_("Mark each registration as attended, not attended or unknown.")]})
    if event.starts_at > timezone.now() and any(value != Registration.Attended.UNKNOWN for value in marks.values()):
        raise ValidationError({"attended": [_("Attendance is marked once the event has started.")]})
    rows = event.registrations.filter(pk__in=list(marks)).exclude(status=CANCELLED).select_for_update()
    changed = 0
    for registration in rows:
        value = marks[str(registration.pk)]
        if registration.attended == value:
            continue
        audit.record(
            instance=registration,
            action="update",
            actor=actor.user,
            changes={"attended": [registration.attended, value]},
            label=event.title,
        )
        registration.attended = value
        registration.save(update_fields=["attended"])
        changed += 1
    return changed


# --- Feedback ------------------------------------------------------------------------------------------


def feedback_allowed(registration: Registration, *, now: datetime | None = None) -> bool:
    """After the event has started, for a confirmed registration whose person was not marked absent."""
    now = now or timezone.now()
    return (
        registration.status == CONFIRMED
        and registration.attended != Registration.Attended.NO
        and registration.event.starts_at <= now
        and not registration.event.is_cancelled
    )


@transaction.atomic
def feedback_give(*, registration: Registration, rating: int | None, comment: str = "") -> Feedback:
    """The registered person's rating and comment, once (through the signed link: no account needed)."""
    comment = comment.strip()
    _raise(rules.feedback_errors(rating=rating, comment=comment))
    registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    if not feedback_allowed(registration):
        raise ValidationError({"rating": [_("This registration takes no feedback.")]})
    if Feedback.objects.filter(registration=registration).exists():
        raise ValidationError({"rating": [_("Thank you: your feedback on this event is recorded already.")]})
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(registration=registration, rating=rating, comment=comment)
    except IntegrityError:
        raise ValidationError({"rating": [_("Thank you: your feedback on this event is recorded already.")]}) from None
    audit.record(
        instance=feedback,
        action="create",
        actor=registration.user,
        changes={"rating": rating, "comment": comment},
        label=registration.event.title,
    )
    return feedback
