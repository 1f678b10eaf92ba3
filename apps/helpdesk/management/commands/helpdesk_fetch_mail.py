"""helpdesk_fetch_mail [--maildir PATH] [--limit N]: post the replies waiting in the helpdesk's mailbox."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.helpdesk.mail.fetch import configured, fetch_mail
from apps.helpdesk.mail.mailboxes import MailboxError


class Command(BaseCommand):
    help = (
        "Read new e-mail replies to tickets from a Maildir (--maildir, else HELPDESK_MAILDIR) or the IMAP folder "
        "of HELPDESK_IMAP_URL, and post, ignore or refuse each one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--maildir", help="a Maildir to read instead of the configured mailboxes")
        parser.add_argument(
            "--limit", type=int, help="read at most this many messages from each mailbox (default: HELPDESK_MAIL_BATCH)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limit = options["limit"]
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        if options["maildir"]:
            maildir, imap_url = options["maildir"], ""
        else:
            maildir, imap_url = configured()
        if not maildir and not imap_url:
            raise CommandError("No mailbox: pass --maildir, or set HELPDESK_MAILDIR or HELPDESK_IMAP_URL.")
        try:
            counts = fetch_mail(maildir=maildir, imap_url=imap_url, limit=limit)
        except (MailboxError, ValueError) as error:
            raise CommandError(str(error)) from None
        summary = ", ".join(f"{counts[key]} {key}" for key in ("posted", "ignored", "refused", "failed"))
        self.stdout.write(f"Helpdesk mail: {summary}.")
