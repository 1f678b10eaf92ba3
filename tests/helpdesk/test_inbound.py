"""Replies by e-mail, end to end: real .eml files, addressed with reply addresses signed for tickets made here,
go through process_inbound; notifications carry the Reply-To and Message-ID that lead back to their ticket."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from apps.core.policies import can
from apps.core.roles import Division
from apps.helpdesk import notifications, services, tasks
from apps.helpdesk.mail import fetch, inbound
from apps.helpdesk.mail.addresses import (
    notification_message_id,
    read_reply_address,
    reply_address,
    ticket_from_references,
)
from apps.helpdesk.mail.mailboxes import MailboxItem
from apps.helpdesk.models import Attachment, Message, RefusedEmail, Status, Ticket
from apps.tenants.context import division_context, tenant_context
from apps.tenants.files import private_storage

MAIL = Path(__file__).parent / "mail"
DOMAIN = "help.example.org"
PDF_NAME = "statuts de l\u2019entreprise.pdf"


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.HELPDESK_REPLY_DOMAINS = [DOMAIN]
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <helpdesk@help.example.org>"


def _header_blocks(head: bytes) -> list[bytes]:
    blocks: list[bytes] = []
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and blocks:
            blocks[-1] += b"\n" + line
        else:
            blocks.append(line)
    return blocks


def eml(name: str, **headers: str | None) -> bytes:
    """The fixture's bytes with the named headers replaced (None: removed); the body is kept as it is.

    Header names are given with underscores: In_Reply_To="<...>".
    """
    raw = (MAIL / name).read_bytes().replace(b"\r\n", b"\n")
    head, _sep, body = raw.partition(b"\n\n")
    names = {key.replace("_", "-").lower(): value for key, value in headers.items()}
    kept = [block for block in _header_blocks(head) if block.split(b":", 1)[0].strip().lower().decode() not in names]
    added = [f"{key.title()}: {value}".encode() for key, value in names.items() if value is not None]
    return b"\n".join([*added, *kept]) + b"\n\n" + body


def _open(desk, **fields) -> Ticket:
    values = {"subject": "Our brand", "body": "How do we register our brand?", "language": "en"}
    values.update(fields)
    with tenant_context(desk.tenant), transaction.atomic():
        return services.ticket_open(actor=desk.member, msme=desk.world.msme, **values)


def _set_status(desk, ticket: Ticket, status: str) -> None:
    with tenant_context(desk.tenant), transaction.atomic():
        services.ticket_set_status(actor=desk.agent, ticket=Ticket.objects.get(pk=ticket.pk), status=status)


def _reply_to(ticket: Ticket, user) -> str:
    return reply_address(ticket.pk, user.pk, domain=DOMAIN)


def _timeline(desk, ticket: Ticket) -> list[Message]:
    with tenant_context(desk.tenant), transaction.atomic():
        return list(
            Message.objects.filter(ticket_id=ticket.pk).exclude(kind=Message.Kind.CHANGE).order_by("created_at")
        )


def _reload(desk, ticket: Ticket) -> Ticket:
    with tenant_context(desk.tenant), transaction.atomic():
        return Ticket.objects.get(pk=ticket.pk)


def _member_reply(desk, ticket: Ticket, name: str = "gmail_alternative.eml", **headers: str | None) -> bytes:
    member = desk.member.user
    values: dict[str, str | None] = {
        "From": f"Member <{member.email.upper()}>",  # the address's case does not matter
        "To": f"Helpdesk <{_reply_to(ticket, member)}>",
        "Delivered_To": _reply_to(ticket, member),
        "X_Original_To": None,
        "Cc": None,
        "References": None,
        "In_Reply_To": None,
    }
    values.update(headers)
    return eml(name, **values)


# --- Posted -----------------------------------------------------------------------------------------------------


def test_a_requesters_reply_lands_on_its_ticket_without_the_quote_and_reopens_it(desk):
    ticket = _open(desk)
    other = _open(desk, subject="Another question")
    _set_status(desk, ticket, Status.WAITING)

    outcome = inbound.process_inbound(_member_reply(desk, ticket))

    assert outcome.status == inbound.POSTED and outcome.ticket_id == ticket.pk
    [reply] = _timeline(desk, ticket)
    assert reply.body == "Thank you, that answers my question.\nWe will file the application next week."
    assert reply.kind == Message.Kind.REPLY and reply.via == Message.Via.EMAIL and not reply.from_agent
    assert reply.author == desk.member.user and reply.email_fingerprint == "<CAJx8vQ5m2Yd7n+Lw3k=9pZr@mail.gmail.com>"
    assert _reload(desk, ticket).status == Status.OPEN
    assert _timeline(desk, other) == []
    assert not RefusedEmail.objects.exists()


def test_an_agents_reply_by_email_is_a_public_agent_answer(desk):
    ticket = _open(desk)
    agent = desk.agent.user
    raw = eml(
        "outlook_reply.eml",
        From=f'"Agent" <{agent.email}>',
        To=f'"{_reply_to(ticket, agent)}" <{_reply_to(ticket, agent)}>',
    )

    outcome = inbound.process_inbound(raw)

    assert outcome.posted
    [reply] = _timeline(desk, ticket)
    assert reply.kind == Message.Kind.REPLY and reply.from_agent and reply.author == agent
    assert reply.body.startswith("Hello,\n\nThe fee was paid yesterday") and "Please confirm" not in reply.body
    ticket = _reload(desk, ticket)
    assert ticket.status == Status.OPEN and ticket.first_responded_at is not None


def test_a_division_agent_answers_a_routed_ticket_by_email_in_their_divisions_scope(desk):
    ticket = _open(desk)
    with tenant_context(desk.tenant), transaction.atomic():
        services.ticket_transfer(actor=desk.agent, ticket=Ticket.objects.get(pk=ticket.pk), queue=desk.division_queue)
    agent = desk.division_agent.user
    raw = eml("pdf_attachment.eml", From=agent.email, To=_reply_to(ticket, agent))

    outcome = inbound.process_inbound(raw)

    assert outcome.posted and outcome.attachments == 1
    with division_context(Division.AMC), transaction.atomic():
        reply = Message.objects.get(ticket_id=ticket.pk, kind=Message.Kind.REPLY)
        assert reply.from_agent and reply.division == Division.AMC and reply.tenant_id == desk.tenant.pk
        attachment = Attachment.objects.get(message=reply)
        assert attachment.division == Division.AMC and attachment.tenant_id == desk.tenant.pk
        assert attachment.file.name.startswith(f"{desk.tenant.pk}/helpdesk/")


def test_a_division_agent_may_not_answer_a_ticket_no_longer_routed_to_them(desk):
    ticket = _open(desk)  # in the agency's own queue
    agent = desk.division_agent.user
    raw = eml("outlook_reply.eml", From=agent.email, To=_reply_to(ticket, agent))

    _assert_refused(desk, ticket, inbound.process_inbound(raw), inbound.NOT_ALLOWED)


def test_an_html_only_reply_is_read_as_text_without_scripts_or_the_quote(desk):
    ticket = _open(desk)

    assert inbound.process_inbound(_member_reply(desk, ticket, "html_only.eml")).posted

    [reply] = _timeline(desk, ticket)
    assert "We make kente bags and would like to protect the pattern." in reply.body
    assert "- Can a pattern be a design?" in reply.body
    assert "alert" not in reply.body and "tracking" not in reply.body and "must not appear" not in reply.body


def test_a_reply_found_by_its_references_alone_is_posted_as_the_sender(desk):
    """No reply address (sent to the general address), but In-Reply-To names a notification of the ticket."""
    ticket = _open(desk)
    in_reply_to = notification_message_id(ticket.pk, uuid.uuid4(), DOMAIN)
    raw = _member_reply(
        desk, ticket, "french_reply.eml", To="support@help.example.org", Delivered_To=None, In_Reply_To=in_reply_to
    )

    assert inbound.process_inbound(raw).posted

    [reply] = _timeline(desk, ticket)
    assert reply.author == desk.member.user
    assert reply.body.startswith("Bonjour,") and "délai de priorité" not in reply.body


def test_an_attachment_is_stored_privately_and_served_only_through_its_ticket(desk):
    ticket = _open(desk)

    outcome = inbound.process_inbound(_member_reply(desk, ticket, "pdf_attachment.eml"))

    assert outcome.posted and outcome.attachments == 1 and outcome.dropped == ()
    with tenant_context(desk.tenant), transaction.atomic():
        attachment = Attachment.objects.select_related("ticket", "message").get(ticket_id=ticket.pk)
        assert attachment.message.body == "Please find our statutes attached, as requested."
        assert attachment.name == PDF_NAME and attachment.content_type == "application/pdf"
        # On the private storage, under the tenant's folder and a random name; no URL reaches it.
        # The private storage's class and folder: not its identity, since a test that overrides STORAGES makes
        # Django build the storages afresh while the field keeps the instance it was given.
        storage = private_storage()
        assert type(attachment.file.storage) is type(storage) and attachment.file.storage.location == storage.location
        assert re.fullmatch(rf"{desk.tenant.pk}/helpdesk/{attachment.pk}/[0-9a-f]{{32}}\.pdf", attachment.file.name)
        with pytest.raises(ValueError):
            attachment.file.url  # noqa: B018
        with attachment.file.open("rb") as stored:
            data = stored.read()
        assert data.startswith(b"%PDF-1.4") and attachment.size == len(data)
        # Served to those who may see the ticket only.
        assert can(desk.member, "helpdesk.download_attachment", attachment)
        assert can(desk.agent, "helpdesk.download_attachment", attachment)
        assert not can(desk.other_member, "helpdesk.download_attachment", attachment)
        assert not can(desk.division_agent, "helpdesk.download_attachment", attachment)


def test_a_forbidden_attachment_is_dropped_with_an_internal_note_and_the_reply_still_posted(desk):
    ticket = _open(desk)

    outcome = inbound.process_inbound(_member_reply(desk, ticket, "exe_as_pdf.eml"))

    assert outcome.posted and outcome.attachments == 0
    assert [(file.name, file.code) for file in outcome.dropped] == [("invoice.pdf", "type")]
    reply, note = _timeline(desk, ticket)
    assert reply.kind == Message.Kind.REPLY and reply.body == "Your invoice is attached. Open it today."
    assert note.kind == Message.Kind.NOTE and note.author is None and note.via == Message.Via.EMAIL
    assert "invoice.pdf" in note.body and "a program" in note.body
    with tenant_context(desk.tenant), transaction.atomic():
        assert not Attachment.objects.filter(ticket_id=ticket.pk).exists()


# --- Refused and ignored ------------------------------------------------------------------------------------------


def _assert_refused(desk, ticket: Ticket, outcome, code: str) -> RefusedEmail:
    assert outcome.status == inbound.REFUSED and outcome.code == code, outcome
    assert _timeline(desk, ticket) == []
    refused = RefusedEmail.objects.get(pk=outcome.refused_id)
    assert refused.reason_code == code and refused.reason
    return refused


def test_a_forged_reply_address_is_refused_recorded_and_never_answered(
    desk, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = _open(desk)
    genuine = _reply_to(ticket, desk.member.user)
    local, _at, domain = genuine.partition("@")
    forged = f"{local[:-3]}{'a' if local[-3] != 'a' else 'b'}{local[-2:]}@{domain}"  # one character changed

    with django_capture_on_commit_callbacks(execute=True):
        outcome = inbound.process_inbound(_member_reply(desk, ticket, To=forged, Delivered_To=forged))

    refused = _assert_refused(desk, ticket, outcome, "forged_signature")
    assert refused.sender == desk.member.user.email.lower()
    assert refused.subject.startswith("Re: [Ticket]") and refused.fingerprint.startswith("<CAJx8vQ5")
    assert mailoutbox == []  # no backscatter, and nobody notified of a reply that was not posted
    assert any(r.levelname == "WARNING" and "forged_signature" in r.getMessage() for r in caplog.records)


def test_a_forged_reference_is_refused(desk):
    ticket = _open(desk)
    tampered = notification_message_id(ticket.pk, uuid.uuid4(), DOMAIN).replace("@", "x@")
    raw = _member_reply(desk, ticket, To="support@help.example.org", Delivered_To=None, In_Reply_To=tampered)

    assert inbound.process_inbound(raw).code.startswith("forged_")
    assert _timeline(desk, ticket) == []


def test_an_address_and_references_naming_different_tickets_are_refused(desk):
    ticket, other = _open(desk), _open(desk, subject="Other")
    raw = _member_reply(desk, ticket, References=notification_message_id(other.pk, uuid.uuid4(), DOMAIN))

    _assert_refused(desk, ticket, inbound.process_inbound(raw), inbound.TWO_TICKETS)
    assert _timeline(desk, other) == []


def test_a_replayed_email_is_refused_the_second_time(desk):
    ticket = _open(desk)
    raw = _member_reply(desk, ticket)

    assert inbound.process_inbound(raw).posted
    outcome = inbound.process_inbound(raw)

    assert outcome.status == inbound.REFUSED and outcome.code == inbound.REPLAY
    assert len(_timeline(desk, ticket)) == 1
    assert RefusedEmail.objects.get().reason_code == inbound.REPLAY


def test_a_reply_from_another_address_is_refused(desk):
    ticket = _open(desk)
    raw = _member_reply(desk, ticket, From="Someone <someone@elsewhere.example>")

    refused = _assert_refused(desk, ticket, inbound.process_inbound(raw), inbound.WRONG_SENDER)
    assert refused.sender == "someone@elsewhere.example"


def test_an_address_made_for_another_member_is_refused_from_this_one(desk):
    """The address is the other member's: even a real user of the tenant may not write with it."""
    ticket = _open(desk)
    other = desk.other_member.user
    raw = _member_reply(desk, ticket, To=_reply_to(ticket, other), Delivered_To=None)

    _assert_refused(desk, ticket, inbound.process_inbound(raw), inbound.WRONG_SENDER)


def test_a_reply_to_a_closed_ticket_is_refused(desk):
    ticket = _open(desk)
    _set_status(desk, ticket, Status.CLOSED)

    _assert_refused(desk, ticket, inbound.process_inbound(_member_reply(desk, ticket)), inbound.CLOSED)
    assert _reload(desk, ticket).status == Status.CLOSED


def test_a_reply_for_a_ticket_that_does_not_exist_is_refused(desk):
    ticket = _open(desk)
    gone = uuid.uuid4()
    address = reply_address(gone, desk.member.user.pk, domain=DOMAIN)
    outcome = inbound.process_inbound(_member_reply(desk, ticket, To=address, Delivered_To=None))

    _assert_refused(desk, ticket, outcome, inbound.UNKNOWN_TICKET)


def test_a_mail_that_answers_no_ticket_is_refused(desk):
    ticket = _open(desk)
    raw = _member_reply(desk, ticket, To="support@help.example.org", Delivered_To=None)

    _assert_refused(desk, ticket, inbound.process_inbound(raw), inbound.NO_TICKET)


def test_an_auto_reply_is_ignored_and_not_recorded(desk):
    ticket = _open(desk)
    raw = _member_reply(desk, ticket, "auto_reply.eml")

    outcome = inbound.process_inbound(raw)

    assert outcome.status == inbound.IGNORED and outcome.code == "auto_submitted"
    assert _timeline(desk, ticket) == [] and not RefusedEmail.objects.exists()


def test_a_message_too_large_is_refused_from_its_headers(desk, settings):
    ticket = _open(desk)
    settings.HELPDESK_MAIL_MAX_BYTES = 500
    refused = _assert_refused(
        desk, ticket, inbound.process_inbound(_member_reply(desk, ticket, "pdf_attachment.eml")), inbound.TOO_LARGE
    )
    assert refused.sender == desk.member.user.email.lower() and refused.subject == "Our company statutes"
    assert refused.fingerprint == "<statutes-1@example.com>"


# --- The mailbox ------------------------------------------------------------------------------------------------


def test_the_command_reads_a_maildir_and_moves_what_it_processed_to_cur(desk, tmp_path):
    ticket = _open(desk)
    for folder in ("new", "cur", "tmp"):
        (tmp_path / folder).mkdir()
    (tmp_path / "new" / "1700000000.1.host").write_bytes(_member_reply(desk, ticket))
    (tmp_path / "new" / "1700000001.1.host").write_bytes(eml("auto_reply.eml"))

    call_command("helpdesk_fetch_mail", "--maildir", str(tmp_path))

    assert sorted(path.name for path in (tmp_path / "cur").iterdir()) == [
        "1700000000.1.host:2,S",
        "1700000001.1.host:2,S",
    ]
    assert list((tmp_path / "new").iterdir()) == []
    assert len(_timeline(desk, ticket)) == 1
    # Read again: nothing is new.
    call_command("helpdesk_fetch_mail", "--maildir", str(tmp_path))
    assert len(_timeline(desk, ticket)) == 1


def test_the_command_reads_at_most_limit_messages(desk, tmp_path):
    ticket = _open(desk)
    for number in range(3):
        raw = _member_reply(desk, ticket, Message_Id=f"<limit-{number}@example.org>")
        (tmp_path / "new").mkdir(parents=True, exist_ok=True)
        (tmp_path / "new" / f"17000000{number}.1.host").write_bytes(raw)

    call_command("helpdesk_fetch_mail", "--maildir", str(tmp_path), "--limit", "2")

    assert len(list((tmp_path / "new").iterdir())) == 1 and len(_timeline(desk, ticket)) == 2


def test_the_beat_task_does_nothing_without_a_mailbox_and_reads_the_configured_maildir(desk, settings, tmp_path):
    settings.HELPDESK_MAILDIR = ""
    settings.HELPDESK_IMAP_URL = ""
    assert tasks.fetch_mail() == {}
    assert not (tmp_path / "new").exists()

    ticket = _open(desk)
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "1700000000.1.host").write_bytes(_member_reply(desk, ticket))
    settings.HELPDESK_MAILDIR = str(tmp_path)
    assert tasks.fetch_mail() == {"posted": 1}
    assert len(_timeline(desk, ticket)) == 1


def test_a_message_that_fails_is_kept_flagged_and_not_read_again(desk, tmp_path, monkeypatch):
    ticket = _open(desk)
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "1700000000.1.host").write_bytes(_member_reply(desk, ticket))

    def broken(raw: bytes):
        raise RuntimeError("database gone")

    monkeypatch.setattr(fetch, "process_inbound", broken)
    assert fetch.fetch_mail(maildir=str(tmp_path)) == {"failed": 1}

    assert [path.name for path in (tmp_path / "cur").iterdir()] == ["1700000000.1.host:2,F"]
    monkeypatch.undo()
    assert fetch.fetch_mail(maildir=str(tmp_path)) == {}
    assert _timeline(desk, ticket) == []


def test_the_configured_imap_folder_is_read_and_each_message_marked(desk, settings, monkeypatch):
    ticket = _open(desk)
    marked: list[tuple[str, str]] = []

    class Folder:
        def done(self, item: MailboxItem) -> None:
            marked.append(("done", item.key))

        def failed(self, item: MailboxItem) -> None:
            marked.append(("failed", item.key))

    calls = []

    def read_imap(host, port, user, password, **options):
        calls.append((host, port, user, password, options["folder"], options["ssl"], options["limit"]))
        raw = _member_reply(desk, ticket)
        yield MailboxItem(key="7", raw=raw, size=len(raw), source=Folder())

    monkeypatch.setattr(fetch, "read_imap", read_imap)
    settings.HELPDESK_MAILDIR = ""
    settings.HELPDESK_IMAP_URL = "imaps://help:secret@imap.example.org/INBOX"

    assert tasks.fetch_mail() == {"posted": 1}
    assert calls == [("imap.example.org", 993, "help", "secret", "INBOX", True, None)]
    assert marked == [("done", "7")] and len(_timeline(desk, ticket)) == 1


def test_an_imap_url_is_read_into_its_parts():
    imap = fetch.parse_imap_url("imaps://help%40example.org:p%40ss%2Fword@mail.example.org/Help%20desk")
    assert (imap.host, imap.port, imap.user, imap.password, imap.folder, imap.ssl) == (
        "mail.example.org",
        993,
        "help@example.org",
        "p@ss/word",
        "Help desk",
        True,
    )
    plain = fetch.parse_imap_url("imap://u:p@localhost:1143")
    assert (plain.port, plain.folder, plain.ssl) == (1143, "INBOX", False)
    with pytest.raises(ValueError):
        fetch.parse_imap_url("https://mail.example.org/")


# --- Outgoing -----------------------------------------------------------------------------------------------------


def _agent_answers(desk, ticket: Ticket, mailoutbox, django_capture_on_commit_callbacks, *, note: str = ""):
    with django_capture_on_commit_callbacks(execute=True), tenant_context(desk.tenant), transaction.atomic():
        current = Ticket.objects.get(pk=ticket.pk)
        if note:
            services.ticket_reply(actor=desk.agent, ticket=current, body=note, internal=True)
        services.ticket_reply(actor=desk.agent, ticket=current, body="File form TM-1 with the office.")
    return [mail for mail in mailoutbox if desk.member.user.email in mail.to]


def test_a_notification_is_threaded_and_its_reply_to_names_the_ticket_and_the_recipient(
    desk, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = _open(desk)
    [sent] = _agent_answers(desk, ticket, mailoutbox, django_capture_on_commit_callbacks)

    token = read_reply_address(sent.reply_to[0])
    assert (token.ticket_id, token.user_id) == (ticket.pk, desk.member.user.pk)
    message = sent.message()
    assert ticket_from_references(message["Message-ID"], None) == ticket.pk
    assert message["In-Reply-To"] == message["References"] == notifications.thread_root_id(ticket)
    assert ticket_from_references(message["In-Reply-To"], message["References"]) == ticket.pk
    assert message["Auto-Submitted"] == "auto-generated"

    # The answer to it, as a mail client writes it, lands on the ticket.
    raw = _member_reply(
        desk, ticket, To=sent.reply_to[0], Delivered_To=None, In_Reply_To=message["Message-ID"], References=None
    )
    assert inbound.process_inbound(raw).posted


def test_agents_notifications_reply_to_is_their_own(desk, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = _open(desk)
    [opened] = [mail for mail in mailoutbox if desk.agent.user.email in mail.to]
    token = read_reply_address(opened.reply_to[0])
    assert (token.ticket_id, token.user_id) == (ticket.pk, desk.agent.user.pk)
    assert opened.message()["Message-ID"] == notifications.thread_root_id(ticket)


def test_an_internal_note_is_never_in_an_email_to_the_requester(desk, mailoutbox, django_capture_on_commit_callbacks):
    ticket = _open(desk)
    secret = "Internal: the applicant missed the deadline once."
    to_member = _agent_answers(desk, ticket, mailoutbox, django_capture_on_commit_callbacks, note=secret)

    assert len(to_member) == 1 and "File form TM-1" in to_member[0].body
    assert all(secret not in mail.body for mail in mailoutbox)


@pytest.mark.django_db
def test_refused_emails_are_kept_for_the_retention_period_only(settings):
    from datetime import timedelta

    from django.utils import timezone

    from apps.helpdesk.mail.inbound import refused_emails_purge
    from apps.helpdesk.models import RefusedEmail
    from apps.helpdesk.tasks import purge_refused_emails

    settings.HELPDESK_REFUSED_EMAIL_RETENTION_DAYS = 30
    now = timezone.now()
    old = RefusedEmail.objects.create(
        sender="x@example.org", reason_code="forged", reason="forged", received_at=now - timedelta(days=31)
    )
    recent = RefusedEmail.objects.create(
        sender="y@example.org", reason_code="forged", reason="forged", received_at=now - timedelta(days=29)
    )
    assert refused_emails_purge(now=now) == 1
    assert list(RefusedEmail.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not RefusedEmail.objects.filter(pk=old.pk).exists()
    assert purge_refused_emails() == 0
