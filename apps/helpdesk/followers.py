"""Rows of other apps that follow a ticket to the queue it is transferred to.

A programme's request (`apps.programmes`) is worked as a helpdesk ticket; the request itself is routed to
the same WIPO division as its ticket, so that the division's agents who work the ticket can read it. An app
registers such a model once (from its AppConfig.ready()); `ticket_transfer` then moves its rows with the
ticket's timeline and files.
"""

from __future__ import annotations

from django.db import models

from apps.helpdesk.models import Ticket

_followers: dict[str, tuple[type[models.Model], str]] = {}


def register(model: type[models.Model], *, field: str = "ticket") -> None:
    """`model` (routed to divisions, with a key `field` to the ticket) goes where its ticket goes."""
    if not getattr(model, "routable_to_division", False):
        raise TypeError(f"{model.__name__} is not routed to divisions: it has nothing to follow")
    _followers[model._meta.label] = (model, field)


def follow(ticket: Ticket) -> None:
    """Give the rows that follow `ticket` its division (in the ticket's tenant scope, as the transfer runs)."""
    for model, field in _followers.values():
        model.objects.filter(**{field: ticket}).update(division=ticket.division)
