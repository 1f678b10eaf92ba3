"""Signed reply addresses and Message-IDs: a reply finds its ticket; a tampered, foreign or forged one is refused."""

from __future__ import annotations

import base64
import uuid
from types import SimpleNamespace

import pytest

from apps.helpdesk.mail import addresses
from apps.helpdesk.mail.addresses import (
    ForgedReplyAddress,
    ReplyToken,
    find_reply_token,
    message_fingerprint,
    notification_message_id,
    read_reply_address,
    reply_address,
    ticket_from_references,
)

TICKET = uuid.UUID("6f1c3c1e-2a55-4a4e-9a59-0c2f7d1f4b11")
OTHER_TICKET = uuid.UUID("0b7d8f52-93a1-4c55-8f0e-5e1fd4e2a6c3")
DOMAIN = "help.example.org"


@pytest.fixture(autouse=True)
def _reply_domain(settings):
    settings.HELPDESK_REPLY_DOMAINS = [DOMAIN]
    settings.SECRET_KEY = "a-test-secret-key-that-is-long-enough-for-the-helpdesk-tests-0123456789"
    settings.SECRET_KEY_FALLBACKS = []


def _token_bytes(address: str) -> bytes:
    token = address.partition("@")[0].removeprefix("reply+").upper()
    return base64.b32decode(token + "=" * (-len(token) % 8))


def _address_of(data: bytes, domain: str = DOMAIN) -> str:
    return "reply+" + base64.b32encode(data).decode().rstrip("=").lower() + "@" + domain


@pytest.mark.parametrize("user_id", [1, 42, 70_000, 2**40 + 3, 2**64 - 1])
def test_a_reply_address_reads_back_its_ticket_and_user(user_id):
    address = reply_address(TICKET, user_id, domain=DOMAIN)
    local, _, domain = address.partition("@")
    assert domain == DOMAIN
    assert local.startswith("reply+")
    assert local == local.lower()
    assert len(local) <= 64  # RFC 5321's limit on a local part
    assert read_reply_address(address) == ReplyToken(ticket_id=TICKET, user_id=user_id)


def test_an_upper_cased_address_is_still_accepted():
    address = reply_address(TICKET, 7, domain=DOMAIN)
    assert read_reply_address(address.upper()) == ReplyToken(TICKET, 7)


def test_a_header_value_with_a_display_name_is_read():
    address = reply_address(TICKET, 7, domain=DOMAIN)
    assert read_reply_address(f'"Helpdesk" <{address}>') == ReplyToken(TICKET, 7)


def test_different_users_of_one_ticket_get_different_addresses():
    assert reply_address(TICKET, 1, domain=DOMAIN) != reply_address(TICKET, 2, domain=DOMAIN)


def test_a_tampered_ticket_id_is_refused():
    data = bytearray(_token_bytes(reply_address(TICKET, 7, domain=DOMAIN)))
    data[:16] = OTHER_TICKET.bytes
    with pytest.raises(ForgedReplyAddress) as refused:
        read_reply_address(_address_of(bytes(data)))
    assert refused.value.code == ForgedReplyAddress.SIGNATURE
    assert str(refused.value.reason)


def test_a_tampered_user_id_is_refused():
    data = bytearray(_token_bytes(reply_address(TICKET, 7, domain=DOMAIN)))
    data[17] = 8  # the one-byte user id
    with pytest.raises(ForgedReplyAddress) as refused:
        read_reply_address(_address_of(bytes(data)))
    assert refused.value.code == ForgedReplyAddress.SIGNATURE


def test_a_tampered_signature_is_refused():
    data = bytearray(_token_bytes(reply_address(TICKET, 7, domain=DOMAIN)))
    data[-1] ^= 0x01
    with pytest.raises(ForgedReplyAddress) as refused:
        read_reply_address(_address_of(bytes(data)))
    assert refused.value.code == ForgedReplyAddress.SIGNATURE


def test_an_address_signed_with_another_key_is_refused(settings):
    address = reply_address(TICKET, 7, domain=DOMAIN)
    settings.SECRET_KEY = "another-secret-key-entirely-0123456789-0123456789-0123456789"
    with pytest.raises(ForgedReplyAddress) as refused:
        read_reply_address(address)
    assert refused.value.code == ForgedReplyAddress.SIGNATURE


def test_an_address_signed_with_a_retired_key_is_still_accepted(settings):
    old_key = settings.SECRET_KEY
    address = reply_address(TICKET, 7, domain=DOMAIN)
    settings.SECRET_KEY = "the-rotated-secret-key-0123456789-0123456789-0123456789-01234"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert read_reply_address(address) == ReplyToken(TICKET, 7)


def test_another_domain_is_refused():
    address = reply_address(TICKET, 7, domain=DOMAIN)
    with pytest.raises(ForgedReplyAddress) as refused:
        read_reply_address(address.replace(DOMAIN, "evil.example.com"))
    assert refused.value.code == ForgedReplyAddress.DOMAIN


def test_a_token_moved_to_another_of_our_domains_is_refused(settings):
    settings.HELPDESK_REPLY_DOMAINS = [DOMAIN, "mail.example.org"]
    address = reply_address(TICKET, 7, domain=DOMAIN)
    with pytest.raises(ForgedReplyAddress) as refused:
        read_reply_address(address.replace(DOMAIN, "mail.example.org"))
    assert refused.value.code == ForgedReplyAddress.SIGNATURE


def test_the_domain_defaults_to_the_sender_address_domain(settings):
    settings.HELPDESK_REPLY_DOMAINS = None
    settings.DEFAULT_FROM_EMAIL = "Portal <no-reply@portal.example.net>"
    assert addresses.reply_domains() == frozenset({"portal.example.net"})
    address = reply_address(TICKET, 3, domain="portal.example.net")
    assert read_reply_address(address) == ReplyToken(TICKET, 3)


@pytest.mark.parametrize(
    "address",
    [
        "",
        "not an address",
        f"support@{DOMAIN}",
        f"reply+@{DOMAIN}",
        f"reply+abc@{DOMAIN}",
        f"reply+0189!!@{DOMAIN}",  # not base32
        f"reply+a@{DOMAIN}",  # an impossible base32 length
        "reply+" + "a" * 56 + f"@{DOMAIN}",  # well-formed base32, wrong layout
        _address_of(TICKET.bytes + b"\x09" + b"\x01" * 9 + b"\x00" * 10),  # a user id longer than 8 bytes
        _address_of(TICKET.bytes + b"\x00" + b"\x00" * 10),  # an empty user id
    ],
)
def test_a_malformed_address_is_refused_as_such(address):
    with pytest.raises(ForgedReplyAddress) as refused:
        read_reply_address(address)
    assert refused.value.code == ForgedReplyAddress.FORMAT


def test_find_reply_token_picks_the_valid_address_among_the_recipients():
    good = reply_address(TICKET, 7, domain=DOMAIN)
    assert find_reply_token(["someone@example.com", good.upper(), "other@example.org"]) == ReplyToken(TICKET, 7)
    assert find_reply_token(["someone@example.com"]) is None
    assert find_reply_token([]) is None


def test_find_reply_token_refuses_when_only_forged_addresses_claim_to_be_ours():
    forged = reply_address(TICKET, 7, domain=DOMAIN).replace(DOMAIN, "evil.example.com")
    with pytest.raises(ForgedReplyAddress) as refused:
        find_reply_token(["someone@example.com", forged])
    assert refused.value.code == ForgedReplyAddress.DOMAIN


def test_a_bad_domain_given_to_the_writer_is_refused():
    with pytest.raises(ValueError):
        reply_address(TICKET, 1, domain="bad domain")
    with pytest.raises(ValueError):
        reply_address(TICKET, -1, domain=DOMAIN)


# --- Message-IDs ----------------------------------------------------------------------------------------------


def test_a_notification_message_id_names_its_ticket_in_references():
    message_id = notification_message_id(TICKET, uuid.uuid4(), DOMAIN)
    assert message_id.startswith("<hd.") and message_id.endswith(f"@{DOMAIN}>")
    assert ticket_from_references(message_id, None) == TICKET
    assert ticket_from_references(None, f"<first@example.com> {message_id}") == TICKET
    assert ticket_from_references(None, ["<first@example.com>", message_id]) == TICKET
    # Lower-cased by a relay, and without the angle brackets, it still reads.
    assert ticket_from_references(message_id.lower().strip("<>"), None) == TICKET


def test_two_notifications_of_one_ticket_have_different_message_ids():
    assert notification_message_id(TICKET, uuid.uuid4(), DOMAIN) != notification_message_id(
        TICKET, uuid.uuid4(), DOMAIN
    )


def test_references_that_are_not_ours_name_no_ticket():
    assert ticket_from_references(None, None) is None
    assert ticket_from_references("<CAF=abc@mail.gmail.com>", ["<x@y>", "<z@w>"]) is None


def test_a_message_id_with_a_swapped_ticket_is_refused():
    message_id = notification_message_id(TICKET, uuid.uuid4(), DOMAIN)
    _hd, _ticket, rest = message_id.split(".", 2)
    forged_ticket = base64.b32encode(OTHER_TICKET.bytes).decode().rstrip("=").lower()
    with pytest.raises(ForgedReplyAddress) as refused:
        ticket_from_references(f"<hd.{forged_ticket}.{rest}", None)
    assert refused.value.code == ForgedReplyAddress.SIGNATURE


def test_a_message_id_moved_to_another_domain_is_refused():
    message_id = notification_message_id(TICKET, uuid.uuid4(), DOMAIN)
    with pytest.raises(ForgedReplyAddress):
        ticket_from_references(message_id.replace(DOMAIN, "evil.example.com"), None)


def test_a_forged_reference_is_refused_even_next_to_a_valid_one():
    good = notification_message_id(TICKET, uuid.uuid4(), DOMAIN)
    with pytest.raises(ForgedReplyAddress) as refused:
        ticket_from_references(good, [f"<hd.aaaa.bbbb.cccc@{DOMAIN}>"])
    assert refused.value.code == ForgedReplyAddress.FORMAT


def test_valid_references_to_two_tickets_are_refused():
    first = notification_message_id(TICKET, uuid.uuid4(), DOMAIN)
    second = notification_message_id(OTHER_TICKET, uuid.uuid4(), DOMAIN)
    with pytest.raises(ForgedReplyAddress):
        ticket_from_references(first, [second])


def test_a_message_id_of_the_reply_form_is_not_a_valid_message_id():
    # The two signatures have different salts: a reply token cannot be passed off as a Message-ID.
    token = reply_address(TICKET, 7, domain=DOMAIN).partition("@")[0].removeprefix("reply+")
    with pytest.raises(ForgedReplyAddress):
        ticket_from_references(f"<hd.{token[:26]}.{token[:26]}.{token[-16:]}@{DOMAIN}>", None)


# --- Replay fingerprint ---------------------------------------------------------------------------------------


def test_the_fingerprint_is_the_message_id_or_a_hash_of_the_raw_message():
    assert message_fingerprint(SimpleNamespace(message_id="<abc@example.com>", raw_sha256="f" * 64)) == (
        "<abc@example.com>"
    )
    assert message_fingerprint(SimpleNamespace(message_id="", raw_sha256="e" * 64)) == "sha256:" + "e" * 64
    long_id = "<" + "x" * 500 + "@example.com>"
    fingerprint = message_fingerprint(SimpleNamespace(message_id=long_id, raw_sha256="e" * 64))
    assert fingerprint.startswith("sha256:") and len(fingerprint) == 71
    assert fingerprint != "sha256:" + "e" * 64
