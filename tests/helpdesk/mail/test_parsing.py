"""Inbound e-mail from real .eml files: the reply without its quote, the addresses, the attachments, auto-replies;
and the limits and malformed input that must be refused or read without a crash."""

from __future__ import annotations

import datetime
import email
import hashlib
import random
import uuid
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from apps.helpdesk.attachments import AttachmentRefused, check_attachment
from apps.helpdesk.mail.addresses import (
    ForgedReplyAddress,
    ReplyToken,
    find_reply_token,
    message_fingerprint,
    ticket_from_references,
)
from apps.helpdesk.mail.parsing import (
    EmailRejected,
    EmailTooLarge,
    html_to_text,
    parse_email,
    strip_quoted,
    unflow,
)

FIXTURES = Path(__file__).parent
# The fixtures' reply addresses and Message-IDs were signed with this key for this ticket and user.
FIXTURE_SECRET_KEY = "helpdesk-mail-fixtures-secret-key-0123456789-abcdefghijklmnop"
TICKET = uuid.UUID("6f1c3c1e-2a55-4a4e-9a59-0c2f7d1f4b11")
USER_ID = 42


@pytest.fixture(autouse=True)
def _fixture_key(settings):
    settings.SECRET_KEY = FIXTURE_SECRET_KEY
    settings.SECRET_KEY_FALLBACKS = []
    settings.HELPDESK_REPLY_DOMAINS = ["help.example.org"]


def raw(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse(name: str, **limits):
    limits.setdefault("max_bytes", 1024 * 1024)
    limits.setdefault("max_attachments", 5)
    return parse_email(raw(name), **limits)


def _no_bad_characters(*values: str) -> None:
    for value in values:
        assert "\x00" not in value
        assert not any("\ud800" <= char <= "\udfff" for char in value), value
        value.encode("utf-8")  # what PostgreSQL will be sent


# --- The fixtures ---------------------------------------------------------------------------------------------


def test_gmail_multipart_alternative_reply():
    mail = parse("gmail_alternative.eml")
    assert mail.from_address == "amina.diallo@example.com"  # lower-cased
    assert mail.from_name == "Amina Diallo"
    assert mail.subject == "Re: [Ticket] Dépôt de ma marque \u2013 delai"  # RFC 2047, across two encoded words
    # The plain part is preferred; the quote after the wrapped "On ... wrote:" and the signature are gone.
    assert mail.text == "Thank you, that answers my question.\nWe will file the application next week."
    assert "opposition period" in mail.full_text
    assert mail.cc == ["moussa@example.com", "sales@example.com"]
    assert mail.message_id == "<CAJx8vQ5m2Yd7n+Lw3k=9pZr@mail.gmail.com>"
    assert mail.date == datetime.datetime(2023, 12, 4, 10, 31, 58, tzinfo=datetime.UTC)
    assert mail.attachments == []
    assert not mail.auto_submitted


def test_the_gmail_reply_lands_on_its_ticket_by_address_and_by_references():
    mail = parse("gmail_alternative.eml")
    assert mail.delivered_to == ["reply+n4odyhrkkvfe5gszbqxx2h2lceasvm6jz5savsvcfvips@help.example.org"]
    assert find_reply_token(mail.recipients) == ReplyToken(TICKET, USER_ID)
    assert len(mail.references) == 2
    assert ticket_from_references(mail.in_reply_to, mail.references) == TICKET


def test_a_reply_with_a_forged_address_and_reference_is_refused():
    forged = (
        raw("gmail_alternative.eml")
        .replace(b"reply+n4odyhrkkvfe5g", b"reply+n4odyhrkkvfe5h")
        .replace(b"<hd.n4odyhrkkvfe5gszbqxx2h2lce.ceir", b"<hd.n4odyhrkkvfe5hszbqxx2h2lce.ceir")
    )
    mail = parse_email(forged, max_bytes=1024 * 1024, max_attachments=5)
    with pytest.raises(ForgedReplyAddress) as refused:
        find_reply_token(mail.recipients)
    assert refused.value.code == ForgedReplyAddress.SIGNATURE
    with pytest.raises(ForgedReplyAddress):
        ticket_from_references(mail.in_reply_to, mail.references)


def test_the_fixture_reply_is_refused_under_another_key(settings):
    settings.SECRET_KEY = "some-other-deployment-secret-key-0123456789-0123456789-012345"
    mail = parse("gmail_alternative.eml")
    with pytest.raises(ForgedReplyAddress):
        find_reply_token(mail.recipients)
    with pytest.raises(ForgedReplyAddress):
        ticket_from_references(mail.in_reply_to, mail.references)


def test_html_only_mail_is_turned_into_text():
    mail = parse("html_only.eml")
    assert mail.text == (
        "Hello,\n\n"
        "We make kente bags and would like to protect the pattern.\nTwo questions:\n\n"
        "- Can a pattern be a design?\n"
        "- What does it cost & how long does it take?\n\n"
        "Thanks in advance,\nKofi"
    )
    assert "alert" not in mail.full_text and "tracking" not in mail.full_text and "color" not in mail.full_text
    assert "must not appear" not in mail.text  # the cited blockquote
    # Delivered-To and X-Original-To, lower-cased, in order, once each.
    assert mail.delivered_to == ["support@help.example.org", "helpdesk@help.example.org"]
    assert mail.recipients == ["support@help.example.org", "helpdesk@help.example.org"]


def test_french_quoted_reply_is_stripped():
    mail = parse("french_reply.eml")
    assert mail.from_name == "Françoise Ndiaye"
    assert mail.subject == "RE\xa0: Votre demande concernant le brevet"
    assert mail.text == (
        "Bonjour,\n\nMerci pour votre réponse. Pouvez-vous m'envoyer le formulaire ?\n\nCordialement,\nFrançoise"
    )
    assert ticket_from_references(mail.in_reply_to, mail.references) == TICKET
    assert find_reply_token(mail.recipients) == ReplyToken(TICKET, USER_ID)


def test_outlook_reply_is_cut_at_the_from_sent_block():
    mail = parse("outlook_reply.eml")
    assert mail.from_address == "crivera@empresa.example.mx"
    assert mail.from_name == "Rivera, Carlos"
    assert mail.text == (
        "Hello,\n\nThe fee was paid yesterday; the receipt number is 2023-4471.\n\nBest regards,\nCarlos Rivera"
    )
    assert "Please confirm" in mail.full_text


def test_outlook_html_is_cut_at_the_reply_header():
    mail = parse("outlook_reply.eml")
    message = email.message_from_bytes(raw("outlook_reply.eml"), policy=policy.default)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert 'id="divRplyFwdMsg"' in html
    text = html_to_text(html)
    assert text.endswith("Carlos Rivera")
    assert "Please confirm" not in text
    assert "Please confirm" in html_to_text(html, strip_quotes=False)
    assert mail.text.endswith("Carlos Rivera")


def test_pdf_attachment_is_returned_with_its_name_and_content():
    mail = parse("pdf_attachment.eml")
    assert mail.text == "Please find our statutes attached, as requested."
    assert len(mail.attachments) == 1
    filename, content_type, data = mail.attachments[0]
    assert filename == "statuts de l\u2019entreprise.pdf"  # RFC 2231, UTF-8
    assert content_type == "application/pdf"
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert check_attachment(filename, data, max_bytes=1024 * 1024) == "application/pdf"


def test_an_executable_declared_as_pdf_is_parsed_then_refused_by_content():
    mail = parse("exe_as_pdf.eml")
    [(filename, content_type, data)] = mail.attachments
    assert (filename, content_type) == ("invoice.pdf", "application/pdf")  # what the sender claims
    assert data.startswith(b"MZ")
    with pytest.raises(AttachmentRefused) as refused:
        check_attachment(filename, data, max_bytes=1024 * 1024)
    assert refused.value.code == "type"


def test_an_auto_reply_is_flagged():
    mail = parse("auto_reply.eml")
    assert mail.auto_submitted
    assert mail.text.startswith("I am out of the office")


def test_iso_8859_1_subject_and_body_are_decoded():
    mail = parse("latin1.eml")
    assert mail.from_name == "José Martínez"
    assert mail.subject == "Pregunta sobre mi marca registrada (diseño)"
    # The Spanish "El ... escribió:" line and its quote are gone.
    assert mail.text == "Buenos días,\n\n¿Cuánto cuesta proteger el diseño de nuestra señal en España?"


def test_malformed_headers_do_not_crash_and_keep_what_can_be_read():
    mail = parse("malformed_headers.eml")
    assert mail.from_address == "broken@example.org"  # from an unterminated quoted name
    assert mail.to == ["support@help.example.org"]
    assert mail.cc == []  # ",,,@@@," holds no address
    assert mail.date is None  # "the day after tomorrow"
    assert mail.message_id == "<no-brackets-here@example.org>"
    assert mail.references == ["<a@b>", "<nested@x>"]
    assert mail.in_reply_to == ""
    assert "raw" in mail.subject and "bytes" in mail.subject
    # An unknown charset falls back, broken base64 padding is read as far as it goes.
    assert mail.text == "Hello, I need help with my patent."
    _no_bad_characters(mail.subject, mail.from_name, mail.text, mail.full_text, *mail.references)


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.glob("*.eml")))
def test_every_fixture_gives_clean_strings_and_a_fingerprint(name):
    mail = parse(name)
    _no_bad_characters(mail.subject, mail.from_name, mail.from_address, mail.text, mail.full_text)
    assert mail.raw_sha256 == hashlib.sha256(raw(name)).hexdigest()
    assert message_fingerprint(mail) == mail.message_id
    assert mail.size == len(raw(name))


# --- Limits ---------------------------------------------------------------------------------------------------


def test_an_oversized_message_is_refused_before_parsing():
    big = raw("pdf_attachment.eml").replace(b"as requested.", b"as requested." + b" padding" * 200_000)
    assert len(big) > 1024 * 1024
    with pytest.raises(EmailTooLarge) as refused:
        parse_email(big, max_bytes=1024 * 1024, max_attachments=5)
    assert refused.value.code == "size"
    assert isinstance(refused.value, EmailRejected)
    # Not a byte is looked at: even garbage of that size is refused the same way.
    with pytest.raises(EmailTooLarge):
        parse_email(b"\xff" * (1024 * 1024 + 1), max_bytes=1024 * 1024, max_attachments=5)


def test_the_size_limit_defaults_to_the_setting(settings):
    settings.HELPDESK_MAIL_MAX_BYTES = 100
    with pytest.raises(EmailTooLarge):
        parse_email(raw("auto_reply.eml"))
    settings.HELPDESK_MAIL_MAX_BYTES = 10_000
    assert parse_email(raw("auto_reply.eml")).auto_submitted


def _with_attachments(count: int) -> bytes:
    message = EmailMessage()
    message["From"] = "sender@example.com"
    message["To"] = "support@help.example.org"
    message["Subject"] = "Many files"
    message.set_content("See the files.")
    for number in range(count):
        message.add_attachment(b"%PDF-1.4\n%%EOF\n", maintype="application", subtype="pdf", filename=f"f{number}.pdf")
    return message.as_bytes()


def test_too_many_attachments_are_refused():
    assert len(parse_email(_with_attachments(3), max_bytes=10**6, max_attachments=3).attachments) == 3
    with pytest.raises(EmailRejected) as refused:
        parse_email(_with_attachments(4), max_bytes=10**6, max_attachments=3)
    assert refused.value.code == "attachments"
    assert str(refused.value.reason)


def _nested(depth: int) -> bytes:
    head = b"From: a@example.com\r\nTo: b@example.com\r\nSubject: nested\r\nMIME-Version: 1.0\r\n"
    body = b"Content-Type: text/plain\r\n\r\ninnermost\r\n"
    for level in range(depth):
        boundary = f"b{level}".encode()
        body = (
            b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n'
            b"--" + boundary + b"\r\n" + body + b"\r\n--" + boundary + b"--\r\n"
        )
    return head + body


def test_deeply_nested_multiparts_are_refused():
    assert parse_email(_nested(8), max_bytes=10**6, max_attachments=5).text == "innermost"
    with pytest.raises(EmailRejected) as refused:
        parse_email(_nested(9), max_bytes=10**6, max_attachments=5)
    assert refused.value.code == "depth"
    with pytest.raises(EmailRejected):
        parse_email(_nested(200), max_bytes=10**6, max_attachments=5)


def test_too_many_parts_are_refused():
    parts = b"".join(b"--b\r\nContent-Type: text/plain\r\n\r\npart\r\n" for _ in range(300))
    message = b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' + parts + b"--b--\r\n"
    with pytest.raises(EmailRejected) as refused:
        parse_email(message, max_bytes=10**6, max_attachments=5)
    assert refused.value.code == "parts"


# --- Malformed input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        b"",
        b"\x00\x01\x02",
        b"not a mail at all",
        b"From: x\r\n\r\n",
        b"Subject: =?utf-8?q?unterminated\r\n\r\nbody",
        b"Subject: =?x-unknown?b?////?=\r\nFrom: <>\r\n\r\nbody",
        b"From: " + b"<" * 5000 + b"\r\n\r\nbody",
        b"To: " + b"a@b, " * 5000 + b"\r\n\r\nbody",
        b"Date: Mon, 99 Foo 99999 99:99:99 +9999\r\n\r\nbody",
        b"Content-Type: multipart/mixed\r\n\r\nno boundary at all",
        b'Content-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nnever closed',
        b'Content-Type: text/plain; charset="utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=E9=\r\n',
        b"Content-Type: text/html\r\n\r\n<div><p>unclosed <b>tags <script>alert(1)",
        b"Content-Type: text/plain; charset=utf-7\r\n\r\n+AGEAYgBj-",
        b"Content-Type: text/plain; charset=utf-7\r\n\r\n+2D3eAA- a lone surrogate",
        b"Content-Type: text/plain; charset=utf-16\r\n\r\n\x00\xd8 odd bytes",
        b"Content-Type: text/plain; charset=rot13\r\n\r\nnot a text encoding",
        b"Content-Type: application/pdf; name*=utf-8''%ZZ%\r\nContent-Disposition: attachment; filename*0*=bad''\r\n\r\nx",
        b"Content-Type: message/rfc822\r\n\r\nFrom: inner@example.com\r\nSubject: inner\r\n\r\ninner body",
        b"Header without colon\r\nFrom: a@example.com\r\n\r\nbody",
        b"From: a@example.com\r\nSubject: raw \xff\xfe\x00 bytes\r\n\r\nbody \xff\x00 here",
    ],
)
def test_malformed_messages_never_crash(message):
    mail = parse_email(message, max_bytes=10**6, max_attachments=5)
    _no_bad_characters(mail.subject, mail.from_name, mail.from_address, mail.text, mail.full_text, *mail.to)
    for filename, _content_type, data in mail.attachments:
        _no_bad_characters(filename)
        assert isinstance(data, bytes)
    assert "alert" not in mail.text


def test_a_forwarded_message_is_an_attachment():
    message = (
        b"From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n"
        b"--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: inner@example.com\r\nSubject: inner\r\n\r\ninner body\r\n"
        b"--b--\r\n"
    )
    mail = parse_email(message, max_bytes=10**6, max_attachments=5)
    assert mail.text == "See below."
    [(filename, content_type, data)] = mail.attachments
    assert (filename, content_type) == ("attachment-1.eml", "message/rfc822")
    assert b"inner body" in data


def test_a_bounce_is_flagged_as_automatic():
    bounce = (
        b"Return-Path: <>\r\nFrom: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--b--\r\n"
    )
    assert parse_email(bounce, max_bytes=10**6, max_attachments=5).auto_submitted


@pytest.mark.parametrize(
    ("header", "automatic"),
    [
        ("Auto-Submitted: auto-generated", True),
        ("Auto-Submitted: auto-replied; owner-email=a@b", True),
        ("Auto-Submitted: no", False),
        ("X-Autoreply: yes", True),
        ("X-Autorespond: vacation", True),
        ("Precedence: bulk", True),
        ("Precedence: list", True),
        ("Precedence: auto_reply", True),
        ("Precedence: first-class", False),
        ("X-Mailer: Thunderbird", False),
    ],
)
def test_auto_submitted_headers(header, automatic):
    message = f"From: a@example.com\r\n{header}\r\nSubject: hi\r\n\r\nbody\r\n".encode()
    assert parse_email(message, max_bytes=10**6, max_attachments=5).auto_submitted is automatic


# --- Quotes and signatures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("Thanks!\n\nOn Tue, 5 Dec 2023, Helpdesk <a@b.org> wrote:\n> old\n> text", "Thanks!"),
        ("Merci.\n\nLe mar. 5 déc. 2023 à 10:00, Assistance <a@b.org> a écrit :\n> ancien", "Merci."),
        ("Gracias.\n\nEl mar, 5 dic 2023 a las 10:00, Soporte (<a@b.org>) escribió:\n> viejo", "Gracias."),
        ("شكرا لكم.\n\nفي الثلاثاء، ٥ ديسمبر ٢٠٢٣، كتب الدعم <a@b.org>:\n> نص قديم", "شكرا لكم."),  # noqa: RUF001 - Arabic text
        ("شكرا.\n\n\u200fفي 5 ديسمبر 2023 10:00 ص، \u202bالدعم\u202c <a@b.org> كتب:\n> قديم", "شكرا."),  # noqa: RUF001 - Arabic text
        ("Danke.\n\nAm 05.12.2023 um 10:00 schrieb Support <a@b.org>:\n> alt", "Danke."),
        ("Ok.\n\n-----Original Message-----\nFrom: x\nSent: y\n\nold", "Ok."),
        ("D'accord.\n\n-----Message d'origine-----\nDe : x\n\nancien", "D'accord."),
        ("Sí.\n\n________________________________\nDe: Soporte\nEnviado: martes\n\nviejo", "Sí."),
        ("Fine.\n\nFrom: Support <a@b.org>\nSent: Tuesday\nTo: me\nSubject: hi\n\nold", "Fine."),
        ("Fine.\n\nDe : Support <a@b.org>\nEnvoyé : mardi\nÀ : moi\nObjet : salut\n\nancien", "Fine."),
        ("Regards,\nAmina\n-- \nAmina Diallo\n+221 000 0000", "Regards,\nAmina"),
        ("Top reply.\n\nOn Tue, Helpdesk wrote:\nunmarked quoted text from an HTML client", "Top reply."),
        # Inline answers between quoted lines are kept; the quoted lines are not.
        (
            "On Tue, 5 Dec 2023, Helpdesk <a@b.org> wrote:\n> Which class?\nClass 25.\n> Which country?\nKenya.",
            "Class 25.\nKenya.",
        ),
        ("No quote at all.\nTwo lines.", "No quote at all.\nTwo lines."),
        ("Windows\r\nline\r\nendings\r\n> quoted\r\n", "Windows\nline\nendings"),
        # A sentence that merely starts with "On" and ends with "wrote" is not an attribution without the colon.
        (
            "On reflection, this is what my lawyer wrote\nand more.",
            "On reflection, this is what my lawyer wrote\nand more.",
        ),
    ],
)
def test_strip_quoted(text, reply):
    assert strip_quoted(text) == reply


def test_a_from_line_alone_is_not_an_outlook_block():
    text = "From: the start of our business we sold bags.\nWe want a trade mark."
    assert strip_quoted(text) == text


def test_html_gmail_quote_and_line_breaks():
    html = (
        '<div dir="ltr">First line<br>Second line<div>Third</div><p>Para</p></div>'
        '<div class="gmail_quote"><div class="gmail_attr">On Tue, X wrote:</div>'
        "<blockquote>quoted <b>text</b></blockquote></div><p>never reached? no: after the quote</p>"
    )
    text = html_to_text(html)
    assert text.startswith("First line\nSecond line\nThird\n\nPara")
    assert "quoted" not in text and "wrote" not in text
    assert "after the quote" in text  # only the quote element itself is dropped


def test_html_entities_and_whitespace():
    assert html_to_text("<p>Caf&eacute; &amp; th&#233;&nbsp;!</p>\n\n<p>  a   b  </p>") == "Café & thé !\n\na b"
    assert html_to_text("<pre>  keep\n    indentation</pre>") == "keep\n    indentation"


def test_mutated_fixtures_never_crash():
    """Bytes flipped, cut or repeated at random (with a fixed seed) in every fixture: refused or read, never a crash."""
    chooser = random.Random(20231204)
    fixtures = [raw(path.name) for path in sorted(FIXTURES.glob("*.eml"))]
    for _round in range(400):
        data = bytearray(chooser.choice(fixtures))
        for _edit in range(chooser.randint(1, 8)):
            at = chooser.randrange(len(data))
            match chooser.randrange(4):
                case 0:
                    data[at] = chooser.randrange(256)
                case 1:
                    del data[at : at + chooser.randint(1, 40)]
                case 2:
                    data[at:at] = chooser.choice(
                        [b"\r\n", b"=?", b"?=", b"<", b">", b"--", b"\x00", b";", b'"', b"\xff"]
                    )
                case _:
                    data[at:at] = data[at : at + chooser.randint(1, 200)]
        try:
            mail = parse_email(bytes(data), max_bytes=10**6, max_attachments=5)
        except EmailRejected:
            continue
        _no_bad_characters(mail.subject, mail.from_name, mail.from_address, mail.text, mail.full_text, *mail.cc)


def test_html_links_keep_their_address():
    html = '<p>See <a href="https://www.wipo.int/madrid">the Madrid page</a> or <a href="https://x.org">https://x.org</a>.</p>'
    assert html_to_text(html) == "See the Madrid page (https://www.wipo.int/madrid) or https://x.org."
    assert html_to_text('<a href="javascript:alert(1)">click</a>') == "click"


def test_format_flowed_paragraphs_are_joined():
    message = (
        b"From: a@example.com\r\nContent-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n"
        b"We would like to register a trade mark for \r\nour honey in Kenya and \r\nUganda.\r\n\r\n"
        b"On Tue, Helpdesk wrote:\r\n> Which countries \r\n> do you sell in?\r\n"
    )
    mail = parse_email(message, max_bytes=10**6, max_attachments=5)
    assert mail.text == "We would like to register a trade mark for our honey in Kenya and Uganda."
    assert "> Which countries do you sell in?" in mail.full_text


def test_format_flowed_with_delsp_and_signature():
    assert unflow("Trade mar \nk\n-- \nAmina", delsp=True) == "Trade mark\n-- \nAmina"
    assert unflow(" >not a quote, space-stuffed\n") == ">not a quote, space-stuffed\n"


def test_an_empty_plain_alternative_falls_back_to_the_html_one():
    message = (
        b"From: a@example.com\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain\r\n\r\n\r\n"
        b"--b\r\nContent-Type: text/html\r\n\r\n<p>The real message.</p>\r\n--b--\r\n"
    )
    assert parse_email(message, max_bytes=10**6, max_attachments=5).text == "The real message."
