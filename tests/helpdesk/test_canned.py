"""Canned replies: the placeholders filled in for one ticket, other braces left as they are."""

from __future__ import annotations

from apps.helpdesk.canned import fill, filled_replies
from apps.helpdesk.models import CannedReply, Ticket


def _ticket(**fields) -> Ticket:
    values = {"reference": "T-ABC2345", "msme_name": "Savanna Crafts", "requester_name": "Wanjiru K."}
    values.update(fields)
    return Ticket(**values)


def test_every_placeholder_is_filled():
    text = fill(
        "Dear {requester_name} ({msme_name}), {agent_name} here about {reference}. {reference} again.",
        ticket=_ticket(),
        agent_name="Amina",
    )
    assert text == "Dear Wanjiru K. (Savanna Crafts), Amina here about T-ABC2345. T-ABC2345 again."


def test_other_braces_and_unknown_placeholders_stay_as_written():
    text = fill("{unknown} {0} {msme_name.__class__} {{reference}} {", ticket=_ticket(), agent_name="A")
    assert text == "{unknown} {0} {msme_name.__class__} {T-ABC2345} {"


def test_a_value_with_braces_is_not_filled_again():
    text = fill("{msme_name} / {agent_name}", ticket=_ticket(msme_name="{agent_name}"), agent_name="Amina")
    assert text == "{agent_name} / Amina"


def test_without_an_msme_the_requester_is_named():
    assert fill("Hello {msme_name}", ticket=_ticket(msme_name=""), agent_name="A") == "Hello Wanjiru K."


def test_filled_replies_keep_id_title_and_fill_each_body():
    replies = [CannedReply(pk=1, title="Hi", body="Hi {requester_name}"), CannedReply(pk=2, title="Bye", body="Bye")]
    assert filled_replies(replies, ticket=_ticket(), agent_name="A") == [
        {"id": 1, "title": "Hi", "body": "Hi Wanjiru K."},
        {"id": 2, "title": "Bye", "body": "Bye"},
    ]
