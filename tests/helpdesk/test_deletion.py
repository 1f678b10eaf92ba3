"""Deleting a user never deletes a ticket: the ticket loses the link to them and keeps their names."""

from __future__ import annotations

from apps.helpdesk import services
from apps.helpdesk.models import Message, Ticket


def _answered_ticket(desk) -> Ticket:
    """A ticket the member asked, assigned to the agent, with a reply of each."""
    ticket = services.ticket_open(
        actor=desk.member,
        msme=desk.world.msme,
        subject="How do I protect my logo?",
        body="We sell honey under our brand.",
        topic="trademarks",
        language="en",
    )
    services.ticket_assign(actor=desk.agent, ticket=ticket, assignee=desk.agent.user)
    services.ticket_reply(actor=desk.agent, ticket=ticket, body="Register it with the agency first.")
    services.ticket_reply(actor=desk.member, ticket=ticket, body="Thank you, we will.")
    return Ticket.objects.get(pk=ticket.pk)


def _replies(ticket: Ticket) -> list[Message]:
    return list(Message.objects.filter(ticket_id=ticket.pk, kind=Message.Kind.REPLY).order_by("created_at"))


def test_deleting_the_requester_keeps_the_ticket_and_their_name(in_tenant):
    ticket = _answered_ticket(in_tenant)
    member = in_tenant.member.user
    name, email = ticket.requester_name, ticket.requester_email
    assert ticket.requester_id == member.pk and name and email == member.email

    member.delete()

    kept = Ticket.objects.get(pk=ticket.pk)
    assert kept.requester_id is None
    assert (kept.requester_name, kept.requester_email, kept.msme_name) == (name, email, ticket.msme_name)
    assert kept.assignee_id == in_tenant.agent.user.pk and kept.status == ticket.status
    answer, thanks = _replies(kept)
    assert (thanks.author_id, thanks.author_name, thanks.body) == (None, name, "Thank you, we will.")
    assert answer.author_id == in_tenant.agent.user.pk


def test_deleting_the_assigned_agent_keeps_the_ticket_unassigned_and_their_replies(in_tenant):
    ticket = _answered_ticket(in_tenant)
    agent = in_tenant.agent.user
    assert ticket.assignee_id == agent.pk and ticket.first_responded_at is not None

    agent.delete()

    kept = Ticket.objects.get(pk=ticket.pk)
    assert kept.assignee_id is None
    assert kept.requester_id == in_tenant.member.user.pk and kept.requester_name == ticket.requester_name
    assert kept.first_responded_at == ticket.first_responded_at
    answer, _thanks = _replies(kept)
    assert answer.author_id is None and answer.from_agent
    assert answer.author_name == (agent.full_name or agent.email)
    assert answer.body == "Register it with the agency first."
