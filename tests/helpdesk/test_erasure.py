"""Erasing an MSME reaches its helpdesk tickets: their text and contacts, their messages, their files (removed
once the erasure commits); another MSME's tickets stay (apps.registry.erasure, apps/helpdesk/erasure.py)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from apps.helpdesk import services as helpdesk_services
from apps.helpdesk.models import Attachment, Message, Ticket
from apps.registry import services
from apps.registry.erasure import ERASED, declarations, erase_elsewhere
from tests.policies.actors import AGENCY, HELPDESK


def test_every_declaration_runs(desk, in_tenant):
    """Each declared path and field exists and takes its value (an MSME with nothing elsewhere: nothing touched)."""
    touched = erase_elsewhere(desk.world.other_msme)
    assert set(touched) == {d.model._meta.label for d in declarations()}
    assert all(count == 0 for count in touched.values())


def _ticket(desk, msme, subject: str) -> Ticket:
    ticket = helpdesk_services.ticket_open(
        actor=desk.member, subject=subject, body=f"{subject}: call Ms Kamau on 0700 111 222", language="en", msme=msme
    )
    message = helpdesk_services.ticket_reply(
        actor=desk.actor(HELPDESK), ticket=ticket, body="Ms Kamau, here is the form."
    )
    Attachment.objects.create(
        ticket=ticket,
        message=message,
        file=ContentFile(b"%PDF-1.4 Kamau", name="kamau.pdf"),
        name="kamau.pdf",
        content_type="application/pdf",
        size=14,
    )
    return ticket


def test_erasure_reaches_the_msmes_tickets_messages_and_files(desk, in_tenant, django_capture_on_commit_callbacks):
    erased, kept = desk.world.msme, desk.world.other_msme
    ticket = _ticket(desk, erased, "Trademark for Savanna")
    other = _ticket(desk, kept, "Untouched question")
    stored = Attachment.objects.get(ticket=ticket).file
    assert stored.storage.exists(stored.name)

    with django_capture_on_commit_callbacks(execute=True):
        services.msme_erase(msme=erased, actor=desk.actor(AGENCY).user)

    ticket.refresh_from_db()
    assert (ticket.subject, ticket.body) == (ERASED, ERASED)
    assert (ticket.msme_name, ticket.requester_name, ticket.requester_email) == ("", "", "")
    assert all(m.body == "" and m.author_name == "" for m in Message.objects.filter(ticket=ticket))
    assert not Attachment.objects.filter(ticket=ticket).exists()
    assert not stored.storage.exists(stored.name)  # the file went once the erasure committed

    other.refresh_from_db()
    assert other.subject == "Untouched question" and "Ms Kamau" in other.body
    assert Message.objects.filter(ticket=other, body__contains="Ms Kamau").exists()
    assert Attachment.objects.filter(ticket=other).exists()


def test_a_rolled_back_erasure_keeps_the_files(desk, in_tenant, django_capture_on_commit_callbacks):
    ticket = _ticket(desk, desk.world.msme, "Kept")
    stored = Attachment.objects.get(ticket=ticket).file
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        erase_elsewhere(desk.world.msme)
    assert callbacks and stored.storage.exists(stored.name)  # deletion waits for a commit that never comes
