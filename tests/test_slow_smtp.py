"""A slow mail server (5 s a message) never slows a page: the account e-mails (sign-up confirmation, password
reset) are rendered in the request and sent by a Celery worker after the commit; the helpdesk's notifications
were already (apps.helpdesk.notifications). With the broker down, the message is sent at once instead of lost.

The server is a thread speaking just enough SMTP, which waits DELAY seconds before it accepts each message.
"""

from __future__ import annotations

import os
import socketserver
import threading
import time
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from apps.accounts.mail import email_from_payload, email_payload
from apps.accounts.models import User
from portal.celery import app
from tests.factories import UserFactory
from tests.outreach.workers import Worker

DELAY = 5.0
FAST = 2.0  # a page answers well within this; the mail server alone takes DELAY
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
PASSWORD = "a-long-horse-battery-7"


class _SlowSmtpHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server: SlowSmtpServer = self.server  # type: ignore[assignment]
        self.wfile.write(b"220 slow.test ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith(b"DATA"):
                self.wfile.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data)
                time.sleep(server.delay)
                server.messages.append(b"".join(lines))
                self.wfile.write(b"250 Queued\r\n")
            elif command.startswith(b"QUIT"):
                self.wfile.write(b"221 Bye\r\n")
                return
            else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                self.wfile.write(b"250 slow.test\r\n")


class SlowSmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, delay: float) -> None:
        super().__init__(("127.0.0.1", 0), _SlowSmtpHandler)
        self.delay = delay
        self.messages: list[bytes] = []


@pytest.fixture
def slow_smtp(settings) -> Iterator[SlowSmtpServer]:
    server = SlowSmtpServer(DELAY)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def broker_on(monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", False)


@pytest.fixture
def broker_down(monkeypatch):
    monkeypatch.setitem(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(app.conf, "broker_write_url", None)
    monkeypatch.setitem(app.conf, "task_always_eager", False)


def timed(func, *args, **kwargs):
    start = time.monotonic()
    result = func(*args, **kwargs)
    return result, time.monotonic() - start


def test_the_fake_server_is_slow(slow_smtp):
    """Against which the pages below are measured: one message sent in the request costs DELAY."""
    message = EmailMessage("Hello", "Body", "portal@example.org", ["someone@example.org"], connection=get_connection())
    _sent, took = timed(message.send)
    assert took >= DELAY and len(slow_smtp.messages) == 1


def test_an_account_message_survives_the_trip_through_the_queue():
    message = mail.EmailMultiAlternatives(
        "Subject ü", "Body", "portal@example.org", ["a@example.org"], reply_to=["r@example.org"], headers={"X-A": "1"}
    )
    message.attach_alternative("<p>Body</p>", "text/html")
    rebuilt = email_from_payload(email_payload(message))
    fields = ("subject", "body", "from_email", "to", "cc", "bcc", "reply_to", "extra_headers", "alternatives")
    assert {f: getattr(rebuilt, f) for f in fields} == {f: getattr(message, f) for f in fields}


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="needs REDIS_URL and a PostgreSQL DATABASE_URL: a real worker in its own process",
)
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)  # the request commits: the message is queued after the commit
def test_password_reset_and_sign_up_pages_do_not_wait_on_the_mail_server(client, slow_smtp, broker_on, tmp_path):
    UserFactory(email="owner@example.org")
    client.get(reverse("account_reset_password"))  # the first request of a process loads the modules
    response, took = timed(client.post, reverse("account_reset_password"), {"email": "owner@example.org"})
    assert response.status_code == 302 and took < FAST, took
    data = {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD}
    response, took = timed(client.post, reverse("account_signup"), data)
    assert response.status_code == 302 and took < FAST, took
    assert User.objects.filter(email="new@example.org").exists()
    assert slow_smtp.messages == []  # nothing went to the mail server from the request

    # A worker sends them (to files here): nothing lost, each once.
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    worker = Worker(mail_dir, tmp_path / "files").start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(mail_dir.glob("*.log"))) < 2:
            time.sleep(0.5)
    finally:
        worker.stop()
    written = "".join(path.read_text() for path in mail_dir.glob("*.log"))
    assert "/accounts/password/reset/key/" in written and "/accounts/confirm-email/" in written
    assert written.count("To: new@example.org") == 1 and written.count("To: owner@example.org") == 1


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_message_is_sent_at_once_not_lost(client, settings, broker_down):
    UserFactory(email="owner@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "owner@example.org"})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["owner@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_without_a_broker_the_message_is_sent_in_the_request_as_before(client, db):
    UserFactory(email="owner@example.org")
    client.post(reverse("account_reset_password"), {"email": "owner@example.org"})
    assert [message.to for message in mail.outbox] == [["owner@example.org"]]
