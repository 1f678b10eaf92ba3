"""The channel interface: e-mail through Django's mail, SMS and WhatsApp to files, results per message."""

from __future__ import annotations

import email.policy
import json
import re
import smtplib

import pytest
from django.core import mail
from django.db import transaction

from apps.outreach import channels
from apps.outreach.channels import Outcome, OutgoingMessage
from apps.outreach.recipients import Recipient, member_recipients, msme_recipient, phone_address
from apps.tenants.context import tenant_context
from tests.factories import MsmeFactory, MsmeMemberFactory, UserFactory


def _email(to: str = "owner@example.org", **extra) -> OutgoingMessage:
    fields = {"subject": "Renewal", "body": "Your mark is due.", **extra}
    return OutgoingMessage(channel="email", to=to, **fields)


def test_an_email_batch_goes_through_django_mail_with_its_headers_and_html():
    batch = [
        _email("a@example.org", headers={"List-Unsubscribe": "<https://x/u/1>"}, html_body="<p>Due</p>"),
        _email("b@example.org"),
    ]
    results = channels.send_batch("email", batch)
    assert [r.outcome for r in results] == [Outcome.SENT, Outcome.SENT]
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@example.org"]]
    assert mail.outbox[0].extra_headers["List-Unsubscribe"] == "<https://x/u/1>"
    assert mail.outbox[0].alternatives[0][0] == "<p>Due</p>"
    assert mail.outbox[1].alternatives == []


class _Refusing:
    """A mail connection whose server refuses one address for good, another for now, then drops."""

    def __init__(self, *args, **kwargs):
        self.sent = []

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        to = messages[0].to[0]
        if to == "gone@example.org":
            raise smtplib.SMTPRecipientsRefused({to: (550, b"no such user")})
        if to == "busy@example.org":
            raise smtplib.SMTPRecipientsRefused({to: (451, b"try later")})
        if to == "drop@example.org":
            raise smtplib.SMTPServerDisconnected("gone away")
        self.sent.append(to)
        return 1


def test_email_results_say_which_failed_for_good_and_which_may_be_retried(settings):
    settings.EMAIL_BACKEND = "tests.outreach.test_channels._Refusing"
    addresses = ["ok@example.org", "gone@example.org", "busy@example.org", "drop@example.org", "later@example.org"]
    results = channels.send_batch("email", [_email(a) for a in addresses])
    assert [r.outcome for r in results] == [
        Outcome.SENT,
        Outcome.FAILED,
        Outcome.RETRY,
        Outcome.RETRY,  # the connection dropped: this one and the rest wait for the next try
        Outcome.RETRY,
    ]
    assert "550" in results[1].detail


def test_sms_and_whatsapp_go_one_json_line_each_to_their_channel_s_file(settings, tmp_path):
    settings.OUTREACH_FILE_DIR = str(tmp_path)
    sms = [OutgoingMessage(channel="sms", to="+254700000001", subject="", body="Hello ü", reference="d1")]
    assert channels.send_batch("sms", sms) == [channels.SENT]
    channels.send_batch("whatsapp", [OutgoingMessage(channel="whatsapp", to="+20100000000", subject="", body="x")])
    lines = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {"channel": "sms", "to": "+254700000001", "body": "Hello ü", "reference": "d1"}
    ]
    assert (tmp_path / "whatsapp.jsonl").exists()


def test_a_batch_is_one_channel_and_post_has_no_backend():
    with pytest.raises(ValueError):
        channels.send_batch("email", [OutgoingMessage(channel="sms", to="+2547", subject="", body="x")])
    with pytest.raises(KeyError):
        channels.backend_for("post")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+254 700 000 001", "+254700000001"),
        ("0044 (20) 7946-0958", "+442079460958"),
        ("0722-123456", "0722123456"),
        ("call me", ""),
        ("+1234567890123456", ""),  # more than 15 digits
        ("", ""),
    ],
)
def test_phone_numbers_are_cleaned_or_refused(raw, expected):
    assert phone_address(raw) == expected


@pytest.mark.django_db
def test_an_msme_is_reached_on_its_channel_and_language_else_its_agency_s(tenant_a):
    tenant_a.languages = ["sw", "fr"]
    tenant_a.outreach_channels = ["sms", "email"]
    tenant_a.save()
    with tenant_context(tenant_a), transaction.atomic():
        stated = MsmeFactory(
            email="x@example.org", phone="+254 711 111111", preferred_channel="email", preferred_language="ar"
        )
        silent = MsmeFactory(email="", phone="0711 222222", preferred_channel="", preferred_language="sw")
        posted = MsmeFactory(preferred_channel="post")
        member = MsmeMemberFactory(msme=silent, user=UserFactory(email="m@example.org"))
        MsmeMemberFactory(msme=silent, user=UserFactory(email="gone@example.org", is_active=False))
        assert msme_recipient(stated, tenant_a) == Recipient("email", "x@example.org", "ar")
        # Swahili is not a portal language: the agency's first one it speaks (French); SMS from the agency.
        assert msme_recipient(silent, tenant_a) == Recipient("sms", "0711222222", "fr")
        assert msme_recipient(posted, tenant_a).address == ""
        reached = member_recipients(silent, tenant_a)
    assert [(r.channel, r.address, r.user) for r in reached] == [("sms", "0711222222", member.user)]


@pytest.mark.django_db
def test_a_segment_selects_with_the_registry_s_filters(tenant_a):
    from apps.outreach.segments import segment_msmes
    from tests.factories import SegmentFactory

    with tenant_context(tenant_a), transaction.atomic():
        micro = MsmeFactory(size_class="micro")
        MsmeFactory(size_class="small", employees=20)
        assert list(segment_msmes(SegmentFactory(filters={"size_class": ["micro"]}))) == [micro]
        assert segment_msmes(SegmentFactory(filters={"size_class": ["huge"]})).count() == 0
        assert segment_msmes(None).count() == 2


def test_a_message_that_cannot_be_sent_fails_alone_and_the_batch_goes_on():
    batch = [
        _email("a@example.org"),
        OutgoingMessage(channel="email", to="b@example.org", subject="Two\nlines", body="b"),
        _email("c@example.org"),
    ]
    results = channels.send_batch("email", batch)
    assert [r.outcome for r in results] == [Outcome.SENT, Outcome.FAILED, Outcome.SENT]
    assert "BadHeaderError" in results[1].detail or "ValueError" in results[1].detail
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["c@example.org"]]


def test_only_backends_that_keep_what_they_wrote_can_tell_what_they_sent(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert channels.tells_what_it_sent("email")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert not channels.tells_what_it_sent("email")


@pytest.mark.parametrize("policy", [email.policy.default, email.policy.SMTP])
def test_a_long_list_unsubscribe_url_is_written_as_it_is_never_as_encoded_words(policy):
    url = "https://portal.example.org/outreach/unsubscribe/" + "eyJ0IjoxLCJkIjoiMGZhM2MwNDQtYTYy" * 3 + "/"
    channels.send_batch("email", [_email(headers={"List-Unsubscribe": f"<{url}>"})])
    written = mail.outbox[0].message(policy=policy).as_bytes().decode()
    assert f"List-Unsubscribe: <{url}>" in written
    assert "=?utf-8?" not in written


def _unshared_bytes(message: OutgoingMessage, policy: email.policy.Policy) -> bytes:
    # What the e-mail was before its repeated headers were parsed once: each message parses all of its own.
    built = channels._email_of(message, None)
    plain = super(channels._UnfoldedEmail, built).message(policy=policy.clone(max_line_length=998))
    return _same_boundary(plain.as_bytes())


def _same_boundary(written: bytes) -> bytes:
    return re.sub(rb"===============\d+==", b"=====boundary==", written)  # random per message


@pytest.mark.parametrize("policy", [email.policy.default, email.policy.SMTP])
def test_e_mails_sharing_their_repeated_headers_are_written_byte_for_byte_as_before(settings, policy):
    settings.DEFAULT_FROM_EMAIL = "Agence Été <outreach@example.org>"
    fixed = {"Date": "Sun, 06 Dec 2026 07:00:00 +0000", "Message-ID": "<1@portal.example.org>"}
    url = "https://portal.example.org/outreach/unsubscribe/" + "eyJ0IjoxLCJkIjoiMGZhM2MwNDQtYTYy" * 3 + "/"
    messages = [
        _email(
            f"owner{n}@example.org",
            subject=subject,
            body=f"Dear {subject},\n\nsee {url}\n",
            headers={
                **fixed,
                "List-Unsubscribe": f"<{url}{n}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                channels.REFERENCE_HEADER: str(n),
            },
            **({"html_body": "<p>Due</p>"} if n % 2 else {}),
        )
        for n, subject in enumerate(["Renewal", "Nouvelles pour Café Ñandú", "x" * 200, "Renewal"] * 2)
    ]
    for message in messages:
        shared = _same_boundary(channels._email_of(message, None).message(policy=policy).as_bytes())
        assert shared == _unshared_bytes(message, policy)
    first, again = (channels._email_of(messages[0], None).message(policy=policy) for _ in range(2))
    assert first["From"] is again["From"]  # parsed once, shared
    assert first["To"] is not again["To"]


def test_the_file_mail_backend_tells_which_references_it_wrote(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    assert channels.already_sent("email", ["r1"]) == set()  # nothing written yet
    for batch in (["r1", "r2"], ["r3"]):  # a file per batch (per connection)
        messages = [_email(headers={channels.REFERENCE_HEADER: ref}, body=f"Dear {ref}0") for ref in batch]
        channels.send_batch("email", messages)
    (tmp_path / "torn.log").write_bytes(b"Subject: x\r\nX-Outreach-Reference: r4 \r\nX-Outreach-Reference")
    (tmp_path / "other.txt").write_bytes(b"X-Outreach-Reference: r5\n")  # not the backend's
    wanted = ["r1", "r3", "r4", "r5", "r6", "r10"]
    assert channels.already_sent("email", wanted) == {"r1", "r3", "r4"}
