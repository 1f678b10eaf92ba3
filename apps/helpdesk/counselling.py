"""Counselling sessions (the overview's "visit and support"): the agency's agents publish slots, online or
as a visit; an MSME member books one, which opens (or follows) a ticket; the agent records what was said,
kept internal on the ticket unless shared. Reminders go out the day before, once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from apps.core.audit import snapshot
from apps.core.claims import claim_unstamped
from apps.core.policies import Actor, can
from apps.guidance.topics import get_topic, localized, topic_slugs
from apps.helpdesk import rules, services
from apps.helpdesk.models import CounsellingSession, CounsellingSlot, Message, Ticket
from apps.registry.models import Msme, MsmeMember
from apps.tenants import audit
from apps.tenants.context import require_active_tenant
from apps.tenants.models import Tenant
from apps.tenants.tasks import tenant_task

SLOT_MAX_HOURS = 4
# An agent's future slots: enough for months of weekly sessions, not a flood of rows.
MAX_FUTURE_SLOTS = 200
WHERE_MAX = 300
NOTE_MAX = 2000
REMINDER_AHEAD = timedelta(hours=24)
# The most reminders one tenant's run sends; the rest go with the next run (every 15 minutes).
REMINDER_BATCH = 500

BOOKED = CounsellingSession.State.BOOKED
HELD = CounsellingSession.State.HELD
CANCELLED = CounsellingSession.State.CANCELLED


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


# --- Rules ---------------------------------------------------------------------------------------------


def slot_errors(
    *, starts_at: datetime | None, ends_at: datetime | None, mode: str, where: str, now: datetime
) -> dict[str, list[str]]:
    """What is wrong with a slot on its own (overlaps and the agent's count need the database)."""
    errors: dict[str, list[str]] = {}
    if starts_at is None:
        errors["starts_at"] = [_("Say when the session starts.")]
    elif starts_at <= now:
        errors["starts_at"] = [_("Pick a time in the future.")]
    if ends_at is None:
        errors["ends_at"] = [_("Say when the session ends.")]
    elif starts_at is not None:
        if ends_at <= starts_at:
            errors["ends_at"] = [_("The session must end after it starts.")]
        elif ends_at - starts_at > timedelta(hours=SLOT_MAX_HOURS):
            errors["ends_at"] = [_("A session lasts at most %(hours)d hours.") % {"hours": SLOT_MAX_HOURS}]
    if mode not in CounsellingSlot.Mode.values:
        errors["mode"] = [_("Pick online or a visit.")]
    if len(where) > WHERE_MAX:
        errors["where"] = [_("Keep this under %(max)d characters.") % {"max": WHERE_MAX}]
    elif mode == CounsellingSlot.Mode.VISIT and not where.strip():
        errors["where"] = [_("Say where the visit takes place.")]
    return errors


# --- Reads ---------------------------------------------------------------------------------------------


def _is_tenant_agent(actor: Actor) -> bool:
    return can(actor, "helpdesk.offer_sessions")


def _member_msme_ids(actor: Actor) -> QuerySet:
    return MsmeMember.objects.filter(user_id=actor.user.pk).values("msme_id")


def member_msme(actor: Actor) -> Msme | None:
    """The MSME the member books for (their first, as the registry's "my business" does)."""
    return Msme.objects.filter(pk__in=_member_msme_ids(actor)).order_by("name", "pk").first()


def free_slots(actor: Actor, *, now: datetime | None = None) -> QuerySet[CounsellingSlot]:
    """The agency's slots still to come that nobody holds a booking for, soonest first."""
    now = now or timezone.now()
    taken = CounsellingSession.objects.filter(slot=OuterRef("pk"), state__in=[BOOKED, HELD])
    return (
        CounsellingSlot.objects.filter(starts_at__gt=now)
        .exclude(Exists(taken))
        .select_related("agent")
        .order_by("starts_at", "id")
    )


def sessions_for(actor: Actor) -> QuerySet[CounsellingSession]:
    """A member's bookings (theirs or their MSME's); an agent's sessions (on the slots they published)."""
    queryset = CounsellingSession.objects.select_related("slot", "slot__agent", "ticket", "requester").order_by(
        "-slot__starts_at", "id"
    )
    if _is_tenant_agent(actor):
        return queryset.filter(slot__agent_id=actor.user.pk)
    if can(actor, "helpdesk.book_session"):
        return queryset.filter(Q(requester_id=actor.user.pk) | Q(msme_id__in=_member_msme_ids(actor)))
    raise PermissionDenied(_("Counselling sessions are for MSME members and the agency's helpdesk agents."))


def agent_slots(actor: Actor, *, now: datetime | None = None) -> QuerySet[CounsellingSlot]:
    """The agent's slots still to come, soonest first, each saying whether it is booked (`is_booked`)."""
    now = now or timezone.now()
    booked = CounsellingSession.objects.filter(slot=OuterRef("pk"), state=BOOKED)
    return (
        CounsellingSlot.objects.filter(agent_id=actor.user.pk, ends_at__gt=now)
        .annotate(is_booked=Exists(booked))
        .order_by("starts_at", "id")
    )


def member_tickets(actor: Actor) -> QuerySet[Ticket]:
    """The member's open tickets a booking may follow."""
    return (
        Ticket.objects.filter(Q(requester_id=actor.user.pk) | Q(msme_id__in=_member_msme_ids(actor)))
        .filter(merged_into__isnull=True)
        .exclude(status="closed")
        .order_by("-created_at")
        .only("id", "reference", "subject", "status")
    )


def topic_choices(language: str) -> list[tuple[str, str]]:
    choices = []
    for slug in topic_slugs():
        topic = get_topic(slug)
        choices.append((slug, localized(topic.title, language)[0] if topic is not None else slug))
    return sorted(choices, key=lambda pair: pair[1].casefold())


# --- Writes --------------------------------------------------------------------------------------------


@transaction.atomic
def slot_publish(
    *, actor: Actor, starts_at: datetime | None, ends_at: datetime | None, mode: str, where: str = ""
) -> CounsellingSlot:
    """An agent of the agency offers a time: in the future, at most a few hours, not over another of theirs."""
    if not _is_tenant_agent(actor):
        raise PermissionDenied(_("Only the agency's helpdesk agents publish counselling slots."))
    now = timezone.now()
    where = where.strip()
    _raise(slot_errors(starts_at=starts_at, ends_at=ends_at, mode=mode, where=where, now=now))
    user = actor.user
    # One agent's publishes one after the other: two at once could otherwise both pass the overlap check.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    mine = CounsellingSlot.objects.filter(agent_id=user.pk)
    if mine.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise ValidationError({"starts_at": [_("You already offer a session at that time.")]})
    if mine.filter(ends_at__gt=now).count() >= MAX_FUTURE_SLOTS:
        raise ValidationError(
            {"starts_at": [_("You already offer %(max)d sessions to come.") % {"max": MAX_FUTURE_SLOTS}]}
        )
    slot = CounsellingSlot.objects.create(agent=user, starts_at=starts_at, ends_at=ends_at, mode=mode, where=where)
    audit.record(instance=slot, action="create", actor=user, changes=snapshot(slot))
    return slot


@transaction.atomic
def slot_withdraw(*, actor: Actor, slot: CounsellingSlot) -> None:
    """The agent takes back a slot nobody booked (a cancelled booking does not hold it)."""
    if not can(actor, "helpdesk.offer_sessions", slot) or slot.agent_id != actor.user.pk:
        raise PermissionDenied(_("Only the agent who published a slot withdraws it."))
    slot = CounsellingSlot.objects.select_for_update().get(pk=slot.pk)
    if _slot_taken(slot):
        raise ValidationError({"slot": [_("This slot is booked: cancel the session first.")]})
    audit.record(instance=slot, action="delete", actor=actor.user, changes=snapshot(slot))
    slot.delete()


def _slot_taken(slot: CounsellingSlot) -> bool:
    return slot.sessions.filter(state__in=[BOOKED, HELD]).exists()


def _session_subject(*, topic: str, slot: CounsellingSlot, language: str) -> str:
    found = get_topic(topic) if topic else None
    what = localized(found.title, language)[0] if found is not None else _when(slot.starts_at)
    return (_("Counselling session: %(what)s") % {"what": what})[: rules.SUBJECT_MAX]


def _language() -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = (translation.get_language() or settings.LANGUAGE_CODE).lower()
    if language not in codes:
        language = language.split("-")[0]
    return language if language in codes else settings.LANGUAGE_CODE


def _note_on(ticket: Ticket, *, actor: Any, change: list[Any]) -> None:
    """The booking's steps in the ticket's timeline, where the MSME and the agents both see them."""
    Message.objects.create(
        tenant_id=ticket.tenant_id,
        division=ticket.division,
        ticket=ticket,
        kind=Message.Kind.CHANGE,
        author=actor,
        author_name=(getattr(actor, "full_name", "") or actor.get_username()).strip() if actor else "",
        from_agent=False,
        via=Message.Via.PAGE,
        changes={"counselling_session": change},
        created_at=timezone.now(),
    )


@transaction.atomic
def session_book(
    *, actor: Actor, slot: CounsellingSlot, topic: str = "", note: str = "", ticket: Ticket | None = None
) -> CounsellingSession:
    """A member books a free slot for their MSME: a new ticket is opened for it, or it follows one of
    theirs. One live booking per slot, even when two members book at the same moment."""
    if not can(actor, "helpdesk.book_session", slot):
        raise PermissionDenied(_("Only members of a registered MSME book counselling sessions."))
    errors: dict[str, list[str]] = {}
    if topic and topic not in topic_slugs():
        errors["topic"] = [_("Pick a topic from the list.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Keep the note under %(max)d characters.") % {"max": NOTE_MAX}]
    if slot.starts_at <= timezone.now():
        errors["slot"] = [_("This session has started already; pick another.")]
    elif _slot_taken(slot):
        errors["slot"] = [_("This slot is booked already; pick another.")]
    if ticket is not None and not member_tickets(actor).filter(pk=ticket.pk).exists():
        errors["ticket"] = [_("Pick one of your open tickets.")]
    _raise(errors)
    msme = member_msme(actor)
    if ticket is None:
        language = _language()
        body = note.strip() or _("I booked a counselling session on %(when)s.") % {"when": _when(slot.starts_at)}
        ticket = services.ticket_open(
            actor=actor,
            subject=_session_subject(topic=topic, slot=slot, language=language),
            body=body,
            topic=topic,
            language=language,
            msme=msme,
        )
    try:
        # The conditional unique constraint decides between two bookings at the same moment.
        with transaction.atomic():
            session = CounsellingSession.objects.create(
                slot=slot, ticket=ticket, msme=msme, requester=actor.user, state=BOOKED
            )
    except IntegrityError:
        raise ValidationError({"slot": [_("This slot is booked already; pick another.")]}) from None
    _note_on(ticket, actor=actor.user, change=[None, _when(slot.starts_at)])
    audit.record(
        instance=session,
        action="create",
        actor=actor.user,
        changes={"slot": str(slot.pk), "ticket": ticket.reference, "state": BOOKED},
        label=ticket.reference,
    )
    return session


def _may_cancel(actor: Actor, session: CounsellingSession) -> bool:
    if _is_tenant_agent(actor):
        return session.slot.agent_id == actor.user.pk
    if not can(actor, "helpdesk.book_session"):
        return False
    return session.requester_id == actor.user.pk or (
        session.msme_id is not None and _member_msme_ids(actor).filter(msme_id=session.msme_id).exists()
    )


@transaction.atomic
def session_cancel(*, actor: Actor, counselling_session: CounsellingSession) -> CounsellingSession:
    """The member or the agent calls a booked session off before it starts; the slot is free again."""
    session = counselling_session
    if not _may_cancel(actor, session):
        raise PermissionDenied(_("Only the MSME that booked the session or its agent cancels it."))
    if session.state != BOOKED:
        raise ValidationError({"session": [_("Only a booked session can be cancelled.")]})
    if session.slot.starts_at <= timezone.now():
        raise ValidationError({"session": [_("The session has started; it can no longer be cancelled.")]})
    # Once, even when the member and the agent cancel together.
    if not CounsellingSession.objects.filter(pk=session.pk, state=BOOKED).update(state=CANCELLED):
        raise ValidationError({"session": [_("Only a booked session can be cancelled.")]})
    session.state = CANCELLED
    _note_on(session.ticket, actor=actor.user, change=[_when(session.slot.starts_at), None])
    audit.record(
        instance=session,
        action="update",
        actor=actor.user,
        changes={"state": [BOOKED, CANCELLED]},
        label=session.ticket.reference,
    )
    return session


@transaction.atomic
def session_record(
    *, actor: Actor, counselling_session: CounsellingSession, notes: str, notes_shared: bool = False
) -> CounsellingSession:
    """The agent marks the session held and writes what was said: on the ticket as a public reply when
    shared with the MSME, else as an internal note it never sees."""
    session = counselling_session
    if not _is_tenant_agent(actor) or session.slot.agent_id != actor.user.pk:
        raise PermissionDenied(_("Only the session's agent records it."))
    _raise(rules.message_errors(body=notes, field="notes"))
    if session.state != BOOKED:
        raise ValidationError({"notes": [_("Only a booked session can be recorded as held.")]})
    if session.slot.starts_at > timezone.now():
        raise ValidationError({"notes": [_("The session has not started yet.")]})
    if not CounsellingSession.objects.filter(pk=session.pk, state=BOOKED).update(
        state=HELD, notes=notes, notes_shared=notes_shared
    ):
        raise ValidationError({"notes": [_("Only a booked session can be recorded as held.")]})
    session.refresh_from_db()
    services.ticket_reply(actor=actor, ticket=session.ticket, body=notes, internal=not notes_shared)
    audit.record(
        instance=session,
        action="update",
        actor=actor.user,
        changes={"state": [BOOKED, HELD], "notes_shared": [False, notes_shared]},
        label=session.ticket.reference,
    )
    return session


# --- Reminders -----------------------------------------------------------------------------------------


def remind_tenant(now: datetime | None = None) -> int:
    """The active tenant's booked sessions starting within a day: each reminded once, after commit."""
    now = now or timezone.now()
    due = CounsellingSession.objects.filter(
        state=BOOKED,
        reminder_sent_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + REMINDER_AHEAD,
    )
    claimed = claim_unstamped(
        due.order_by("slot__starts_at"), stamp_field="reminder_sent_at", now=now, limit=REMINDER_BATCH
    )
    stamped = [session.pk for session in claimed]
    tenant_id = require_active_tenant().pk
    for pk in stamped:
        transaction.on_commit(lambda pk=pk: send_session_reminder.delay(tenant_id, str(pk)))
    return len(stamped)


def reminder_subject(session: CounsellingSession) -> str:
    return _("Reminder: counselling session on %(when)s") % {"when": _when(session.slot.starts_at)}


def reminder_body(session: CounsellingSession) -> str:
    slot = session.slot
    lines = [
        reminder_subject(session),
        "",
        _("Kind: %(mode)s") % {"mode": slot.get_mode_display()},
    ]
    if slot.where:
        lines.append(_("Where: %(where)s") % {"where": slot.where})
    lines += [
        _("Ticket: %(ref)s %(subject)s") % {"ref": session.ticket.reference, "subject": session.ticket.subject},
        "",
        _("If you cannot come, cancel the session on the portal so that someone else can book the time."),
        "",
        settings.PORTAL_URL.rstrip("/") + "/helpdesk/sessions/",
    ]
    return "\n".join(lines)


def reminder_recipients(session: CounsellingSession) -> list[tuple[str, str]]:
    """(address, language): the member who booked, in the language of their ticket, and the agent, in their
    queue's first language; each address once."""
    member = session.requester.email if session.requester else session.ticket.requester_email
    agent = session.slot.agent.email if session.slot.agent.is_active else ""
    agent_language = session.ticket.queue.language
    found: dict[str, str] = {}
    for address, language in ((member, session.ticket.language), (agent, agent_language)):
        if address and address not in found:
            found[address] = language
    return list(found.items())


@tenant_task(name="helpdesk.send_session_reminder")
def send_session_reminder(tenant: Tenant, session_id: str) -> int:
    session = (
        CounsellingSession.objects.select_related("slot", "slot__agent", "ticket", "ticket__queue", "requester")
        .filter(pk=session_id, state=BOOKED)
        .first()
    )
    if session is None:
        return 0  # cancelled since
    sent = 0
    for address, language in reminder_recipients(session):
        with translation.override(language):
            email = EmailMessage(reminder_subject(session), reminder_body(session), to=[address])
        email.extra_headers["Auto-Submitted"] = "auto-generated"
        sent += email.send()
    return sent
