"""Which queue a new ticket goes to, and which agent takes it."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from apps.core.roles import Division
from apps.helpdesk.models import ACTIVE_STATUSES, Queue, QueueAgent, RoutingRule, Status, Ticket
from apps.tenants.context import unscoped
from apps.tenants.models import Tenant


def rules_for(tenant: Tenant) -> list[RoutingRule]:
    """The agency's own rules by position, then the platform's that apply to it."""
    own = RoutingRule.objects.filter(tenant=tenant, is_active=True, queue__is_active=True)
    platform = RoutingRule.objects.filter(tenant__isnull=True, is_active=True, queue__is_active=True).filter(
        Q(from_tenant__isnull=True) | Q(from_tenant=tenant)
    )
    return [*own.select_related("queue"), *platform.select_related("queue")]


def rule_matches(rule: RoutingRule, *, topic: str, language: str, tier: str) -> bool:
    return (
        (not rule.topic or rule.topic == topic)
        and (not rule.language or rule.language == language)
        and (not rule.tier or rule.tier == tier)
    )


def default_queue(tenant: Tenant) -> Queue:
    """The agency's default queue, made on first use so that a new agency's MSMEs can always ask."""
    queue = Queue.objects.filter(tenant=tenant, is_default=True, is_active=True).first()
    if queue is None:
        queue = Queue.objects.filter(tenant=tenant, is_active=True).order_by("name").first()
    if queue is None:
        queue = Queue.objects.create(
            tenant=tenant,
            name=_("General helpdesk"),
            languages=list(tenant.languages or ["en"]),
            country=tenant.country,
            is_default=True,
        )
    return queue


def division_queue(division: str, *, topic: str = "") -> Queue:
    """A WIPO division's queue for `topic`: its active queue listing the topic, else the first of its queues
    (by name), made on first use so that a programme's requests always reach the division."""
    queues = list(Queue.objects.filter(division=division, is_active=True).order_by("name"))
    for queue in queues:
        if topic and topic in (queue.topics or []):
            return queue
    if queues:
        return queues[0]
    return Queue.objects.create(
        division=division, name=str(Division(division).label), languages=["en"], topics=[topic] if topic else []
    )


def route(*, tenant: Tenant, topic: str, language: str, tier: str) -> Queue:
    """The first matching rule's queue, else the agency's default queue."""
    for rule in rules_for(tenant):
        if rule_matches(rule, topic=topic, language=language, tier=tier):
            return rule.queue
    return default_queue(tenant)


def agents_of(queue: Queue, *, language: str = "") -> list[Any]:
    """The queue's agents, those who speak `language` first (an agent without languages of their own
    speaks the queue's)."""
    memberships = list(QueueAgent.objects.serving().filter(queue=queue).select_related("user"))
    if language:
        memberships = [m for m in memberships if language in (m.languages or queue.languages)]
    return [m.user for m in memberships]


def is_agent_of(queue: Queue, user: Any) -> bool:
    return user is not None and QueueAgent.objects.serving().filter(queue=queue, user_id=user.pk).exists()


def lead_of(queue: Queue) -> Any:
    membership = QueueAgent.objects.serving().filter(queue=queue, is_lead=True).select_related("user").first()
    return membership.user if membership else None


def least_loaded_agent(queue: Queue, *, language: str) -> Any:
    """The queue's agent who speaks `language` and has the fewest tickets in hand (new, open or waiting),
    the longest-standing agent on a tie; None when nobody in the queue speaks it."""
    candidates = agents_of(queue, language=language)
    if not candidates:
        return None
    in_hand = [*list(ACTIVE_STATUSES), Status.WAITING]
    # A division queue's agents hold tickets of every tenant: count them all (counts only, no rows).
    with unscoped("least-loaded agent: counts of the queue agents' tickets in hand, across tenants"):
        loads = dict(
            Ticket.objects.filter(assignee__in=[user.pk for user in candidates], status__in=in_hand)
            .values_list("assignee")
            .annotate(n=Count("id"))
        )
    return min(candidates, key=lambda user: (loads.get(user.pk, 0), user.pk))
