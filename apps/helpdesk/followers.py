"""Rows of other apps that follow a ticket to the queue it is transferred to.

A programme's request (`apps.programmes`) is worked as a helpdesk ticket; the request itself is routed to
the same WIPO division as its ticket, so that the division's agents who work the ticket can read it. An app
registers such a model once (from its AppConfig.ready()); `ticket_transfer` then moves its rows with the
ticket's timeline and files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise

from apps.helpdesk.models import Ticket


@dataclass(frozen=True)
class Follower:
    model: type[models.Model]
    field: str
    label: str | Promise  # what the agents' ticket page calls the row ("Programme request")
    url_for: Callable[[models.Model], str] | None


_followers: dict[str, Follower] = {}


def register(
    model: type[models.Model],
    *,
    field: str = "ticket",
    label: str | Promise = "",
    url_for: Callable[[models.Model], str] | None = None,
) -> None:
    """`model` (routed to divisions, with a key `field` to the ticket) goes where its ticket goes; with `url_for`,
    the agents' page of the ticket links to the row."""
    if not getattr(model, "routable_to_division", False):
        raise TypeError(f"{model.__name__} is not routed to divisions: it has nothing to follow")
    _followers[model._meta.label] = Follower(model, field, label or model._meta.verbose_name, url_for)


def follow(ticket: Ticket) -> None:
    """Give the rows that follow `ticket` its division (in the ticket's tenant scope, as the transfer runs)."""
    for follower in _followers.values():
        follower.model.objects.filter(**{follower.field: ticket}).update(division=ticket.division)


def links_for(ticket: Ticket) -> list[tuple[str, str]]:
    """(label, address) of the rows that follow `ticket` and have a page: one query per kind of follower."""
    links = []
    for follower in _followers.values():
        if follower.url_for is None:
            continue
        for row in follower.model.objects.filter(**{follower.field: ticket}):
            links.append((str(follower.label), follower.url_for(row)))
    return links
