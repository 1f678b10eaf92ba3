"""The agency's helpdesk settings: its queues (hours, languages, topics, agents), routing rules, SLA targets
and canned replies. Agency staff edit them; the rows are shared (a queue has a tenant or a division, not
`TenantOwnedModel`), so every change is logged here rather than in the tenant's audit trail."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import time
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from apps.core.policies import Actor, authorize, can, rows
from apps.core.roles import Role
from apps.guidance.topics import topic_slugs
from apps.helpdesk.models import CannedReply, Priority, Queue, QueueAgent, RoutingRule, SlaTarget, Tier
from apps.helpdesk.sla import DEFAULT_TARGETS
from apps.helpdesk.sla_clock import validate_business_hours
from apps.tenants.models import Membership

logger = logging.getLogger(__name__)

RULE = "helpdesk.configure"
NAME_MAX = 120
TITLE_MAX = 120
BODY_MAX = 5000
MINUTES_MAX = 525600  # a year of minutes: more is a typing slip, not a target
MAX_RULES = 200
MAX_QUEUES = 100


def _raise(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def _check(actor: Actor, queue: Queue | None = None) -> None:
    if not can(actor, RULE, queue):
        raise PermissionDenied(_("Only the agency's staff change its helpdesk settings."))


def _log(actor: Actor, what: str, obj: Any, changes: Any = "") -> None:
    logger.info("helpdesk settings: user %s %s %s #%s %s", actor.user.pk, what, type(obj).__name__, obj.pk, changes)


# --- Reads ---------------------------------------------------------------------------------------------


def queues(actor: Actor) -> QuerySet[Queue]:
    """The agency's queues, each with its number of agents (`agents_count`)."""
    authorize(actor, RULE)
    return rows(actor, RULE, Queue.objects.all()).annotate(agents_count=Count("memberships")).order_by("name", "id")


def rules(actor: Actor) -> QuerySet[RoutingRule]:
    """The agency's own routing rules in the order they are tried."""
    authorize(actor, RULE)
    return RoutingRule.objects.filter(tenant=actor.tenant).select_related("queue").order_by("position", "id")


def rule_targets(actor: Actor) -> QuerySet[Queue]:
    """Where a rule may send tickets: the agency's queues or any division's."""
    authorize(actor, RULE)
    return Queue.objects.filter(Q(tenant=actor.tenant) | Q(tenant__isnull=True)).order_by("division", "name", "id")


def tenant_agents(actor: Actor) -> QuerySet:
    """The agency's helpdesk agents (their users), by e-mail."""
    from django.contrib.auth import get_user_model

    authorize(actor, RULE)
    agent_ids = Membership.objects.filter(tenant=actor.tenant, role=Role.HELPDESK_AGENT).values("user_id")
    return get_user_model().objects.filter(pk__in=agent_ids).order_by("email")


def sla_grid(queue: Queue) -> list[dict[str, Any]]:
    """One row per tier and priority: the queue's own minutes (or None) and what applies without them."""
    own = {(t.tier, t.priority): t for t in SlaTarget.objects.filter(queue=queue)}
    platform = {(t.tier, t.priority): t for t in SlaTarget.objects.filter(queue__isnull=True)}
    grid = []
    for tier in Tier:
        for priority in Priority:
            key = (tier.value, priority.value)
            fallback = platform.get(key)
            inherited = (
                (fallback.first_response_minutes, fallback.resolution_minutes) if fallback else DEFAULT_TARGETS[key]
            )
            mine = own.get(key)
            grid.append(
                {
                    "tier": tier,
                    "priority": priority,
                    "key": f"{tier.value}__{priority.value}",
                    "first_response": mine.first_response_minutes if mine else None,
                    "resolution": mine.resolution_minutes if mine else None,
                    "inherited": inherited,
                }
            )
    return grid


# --- Queues --------------------------------------------------------------------------------------------


def _choice_errors(values: Iterable[str], allowed: Iterable[str], message: str) -> list[str]:
    unknown = sorted(set(values) - set(allowed))
    return [message % {"value": ", ".join(unknown)}] if unknown else []


def queue_errors(
    *,
    name: str,
    languages: list[str],
    topics: list[str],
    time_zone: str,
    country: str,
    opens_at: time | None,
    closes_at: time | None,
    work_days: list[int],
    kept_languages: Iterable[str] = (),
) -> dict[str, list[str]]:
    """What is wrong with a queue's values; `kept_languages` (the queue's own, even outside the portal's
    languages: an agency may answer in a language the pages are not translated into) stay allowed."""
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the queue a name.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("Keep the name under %(max)d characters.") % {"max": NAME_MAX}]
    if not languages:
        errors["languages"] = [_("Pick at least one language.")]
    elif problems := _choice_errors(
        languages, [*dict(settings.LANGUAGES), *kept_languages], _("Unknown language: %(value)s.")
    ):
        errors["languages"] = problems
    if problems := _choice_errors(topics, topic_slugs(), _("Unknown topic: %(value)s.")):
        errors["topics"] = problems
    if opens_at is None:
        errors["opens_at"] = [_("Say when the queue opens.")]
    if closes_at is None:
        errors["closes_at"] = [_("Say when the queue closes.")]
    elif opens_at is not None and opens_at >= closes_at:
        errors["closes_at"] = [_("The queue must close after it opens.")]
    if not work_days:
        errors["work_days"] = [_("Pick at least one working day.")]
    elif any(not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6 for day in work_days):
        errors["work_days"] = [_("Pick working days from Monday to Sunday.")]
    schedule: dict[int, list[tuple[time, time]]] = {}
    if not {"opens_at", "closes_at", "work_days"} & set(errors):
        schedule = {day: [(opens_at, closes_at)] for day in work_days}
    hours = validate_business_hours(time_zone, schedule or {0: []}, country)
    for field in ("time_zone", "country"):
        if field in hours:
            errors[field] = hours[field]
    if schedule and "schedule" in hours:
        errors["closes_at"] = hours["schedule"]
    return errors


@transaction.atomic
def queue_save(
    *,
    actor: Actor,
    queue: Queue | None = None,
    name: str,
    languages: list[str],
    topics: list[str],
    time_zone: str,
    country: str,
    opens_at: time | None,
    closes_at: time | None,
    work_days: list[int],
    is_default: bool,
    auto_assign: bool,
    is_active: bool,
) -> Queue:
    """Create the agency's queue, or change one of its own. One default per agency: this one, if asked."""
    _check(actor, queue)
    name, country = name.strip(), country.strip().upper()
    work_days = sorted(set(work_days))
    _raise(
        queue_errors(
            name=name,
            languages=languages,
            topics=topics,
            time_zone=time_zone,
            country=country,
            opens_at=opens_at,
            closes_at=closes_at,
            work_days=work_days,
            kept_languages=queue.languages if queue is not None else (),
        )
    )
    if queue is None:
        if Queue.objects.filter(tenant=actor.tenant).count() >= MAX_QUEUES:
            raise ValidationError({"name": [_("An agency has at most %(max)d queues.") % {"max": MAX_QUEUES}]})
        queue = Queue(tenant=actor.tenant)
        created = True
    else:
        queue = Queue.objects.select_for_update().get(pk=queue.pk)
        created = False
    values = {
        "name": name,
        "languages": list(dict.fromkeys(languages)),
        "topics": list(dict.fromkeys(topics)),
        "time_zone": time_zone,
        "country": country,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "work_days": work_days,
        "is_default": is_default,
        "auto_assign": auto_assign,
        "is_active": is_active,
    }
    changes = {field: value for field, value in values.items() if getattr(queue, field) != value}
    for field, value in values.items():
        setattr(queue, field, value)
    if is_default:
        # The unique constraint allows one default per agency: the others give it up first.
        Queue.objects.filter(tenant=actor.tenant, is_default=True).exclude(pk=queue.pk).update(is_default=False)
    queue.save()
    _log(actor, "created" if created else "changed", queue, {k: str(v) for k, v in changes.items()})
    return queue


@transaction.atomic
def queue_agent_add(*, actor: Actor, queue: Queue, user_id: Any, is_lead: bool = False) -> QueueAgent:
    """Add one of the agency's helpdesk agents to its queue."""
    _check(actor, queue)
    try:
        user = tenant_agents(actor).filter(pk=int(user_id)).first()
    except (TypeError, ValueError, OverflowError):
        user = None
    if user is None:
        raise ValidationError({"user": [_("Pick one of the agency's helpdesk agents.")]})
    if QueueAgent.objects.filter(queue=queue, user=user).exists():
        raise ValidationError({"user": [_("This agent already works the queue.")]})
    membership = QueueAgent.objects.create(queue=queue, user=user, is_lead=is_lead)
    _log(actor, "added agent to", queue, {"user": user.pk, "is_lead": is_lead})
    return membership


def _queue_agent(queue: Queue, queue_agent_id: Any) -> QueueAgent:
    try:
        found = QueueAgent.objects.filter(queue=queue, pk=int(queue_agent_id)).first()
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None:
        raise ValidationError({"user": [_("This agent does not work the queue.")]})
    return found


@transaction.atomic
def queue_agent_set_lead(*, actor: Actor, queue: Queue, queue_agent_id: Any, is_lead: bool) -> QueueAgent:
    _check(actor, queue)
    membership = _queue_agent(queue, queue_agent_id)
    membership.is_lead = is_lead
    membership.save(update_fields=["is_lead"])
    _log(actor, "set lead on", queue, {"user": membership.user_id, "is_lead": is_lead})
    return membership


@transaction.atomic
def queue_agent_remove(*, actor: Actor, queue: Queue, queue_agent_id: Any) -> None:
    _check(actor, queue)
    membership = _queue_agent(queue, queue_agent_id)
    _log(actor, "removed agent from", queue, {"user": membership.user_id})
    membership.delete()


# --- SLA targets ---------------------------------------------------------------------------------------


@transaction.atomic
def sla_targets_save(*, actor: Actor, queue: Queue, targets: Mapping[tuple[str, str], tuple[Any, Any]]) -> None:
    """Set the queue's own targets: (first response, resolution) in business minutes per (tier, priority);
    both empty drops the queue's own target (the platform's or the built-in one applies)."""
    _check(actor, queue)
    errors: dict[str, list[str]] = {}
    clean: dict[tuple[str, str], tuple[int, int] | None] = {}
    for (tier, priority), (first, resolution) in targets.items():
        if tier not in Tier.values or priority not in Priority.values:
            continue
        key = f"{tier}__{priority}"
        if first in (None, "") and resolution in (None, ""):
            clean[(tier, priority)] = None
            continue
        problems = []
        if first in (None, "") or resolution in (None, ""):
            problems.append(_("Give both the first response and the resolution, or neither."))
        else:
            try:
                first, resolution = int(first), int(resolution)
            except (TypeError, ValueError, OverflowError):
                problems.append(_("Give whole numbers of minutes."))
            else:
                if not (1 <= first <= MINUTES_MAX and 1 <= resolution <= MINUTES_MAX):
                    problems.append(_("Give between 1 and %(max)d minutes.") % {"max": MINUTES_MAX})
                elif resolution < first:
                    problems.append(_("The resolution cannot be due before the first response."))
        if problems:
            errors[key] = problems
        else:
            clean[(tier, priority)] = (first, resolution)
    _raise(errors)
    own = {(t.tier, t.priority): t for t in SlaTarget.objects.select_for_update().filter(queue=queue)}
    changed = {}
    for (tier, priority), value in clean.items():
        target = own.get((tier, priority))
        if value is None:
            if target is not None:
                target.delete()
                changed[f"{tier}/{priority}"] = None
        elif target is None:
            SlaTarget.objects.create(
                queue=queue, tier=tier, priority=priority, first_response_minutes=value[0], resolution_minutes=value[1]
            )
            changed[f"{tier}/{priority}"] = value
        elif (target.first_response_minutes, target.resolution_minutes) != value:
            target.first_response_minutes, target.resolution_minutes = value
            target.save(update_fields=["first_response_minutes", "resolution_minutes"])
            changed[f"{tier}/{priority}"] = value
    if changed:
        _log(actor, "set SLA targets of", queue, changed)


# --- Canned replies ------------------------------------------------------------------------------------


@transaction.atomic
def canned_reply_save(
    *, actor: Actor, queue: Queue, reply: CannedReply | None = None, title: str, body: str
) -> CannedReply:
    _check(actor, queue)
    title, body = title.strip(), body.strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the reply a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("Keep the title under %(max)d characters.") % {"max": TITLE_MAX}]
    if not body:
        errors["body"] = [_("Write the reply.")]
    elif len(body) > BODY_MAX:
        errors["body"] = [_("Keep the reply under %(max)d characters.") % {"max": BODY_MAX}]
    _raise(errors)
    if reply is not None and reply.queue_id != queue.pk:
        raise PermissionDenied(_("This reply belongs to another queue."))
    created = reply is None
    reply = reply or CannedReply(queue=queue)
    reply.title, reply.body = title, body
    reply.save()
    _log(actor, "created" if created else "changed", reply, {"queue": queue.pk, "title": title})
    return reply


@transaction.atomic
def canned_reply_delete(*, actor: Actor, queue: Queue, reply: CannedReply) -> None:
    _check(actor, queue)
    if reply.queue_id != queue.pk:
        raise PermissionDenied(_("This reply belongs to another queue."))
    _log(actor, "deleted", reply, {"queue": queue.pk, "title": reply.title})
    reply.delete()


# --- Routing rules -------------------------------------------------------------------------------------


def rule_errors(actor: Actor, *, topic: str, language: str, tier: str, queue_id: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if topic and topic not in topic_slugs():
        errors["topic"] = [_("Unknown topic: %(value)s.") % {"value": topic}]
    if language and language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Unknown language: %(value)s.") % {"value": language}]
    if tier and tier not in Tier.values:
        errors["tier"] = [_("Unknown service tier: %(value)s.") % {"value": tier}]
    if _target(actor, queue_id) is None:
        errors["queue"] = [_("Pick one of the agency's queues or a division's.")]
    return errors


def _target(actor: Actor, queue_id: Any) -> Queue | None:
    try:
        return rule_targets(actor).filter(pk=int(queue_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


@transaction.atomic
def rule_save(
    *,
    actor: Actor,
    rule: RoutingRule | None = None,
    topic: str,
    language: str,
    tier: str,
    queue_id: Any,
    is_active: bool = True,
) -> RoutingRule:
    """Create a rule (tried after the agency's others) or change one of the agency's."""
    _check(actor)
    if rule is not None and rule.tenant_id != actor.tenant.pk:
        raise PermissionDenied(_("This rule is not the agency's."))
    topic, language, tier = topic.strip(), language.strip(), tier.strip()
    _raise(rule_errors(actor, topic=topic, language=language, tier=tier, queue_id=queue_id))
    queue = _target(actor, queue_id)
    mine = RoutingRule.objects.select_for_update().filter(tenant=actor.tenant)
    if rule is None:
        if mine.count() >= MAX_RULES:
            raise ValidationError({"queue": [_("An agency has at most %(max)d rules.") % {"max": MAX_RULES}]})
        last = mine.aggregate(last=Max("position"))["last"] or 0
        rule = RoutingRule(tenant=actor.tenant, position=last + 1)
        created = True
    else:
        created = False
    rule.topic, rule.language, rule.tier, rule.queue, rule.is_active = topic, language, tier, queue, is_active
    rule.save()
    _log(actor, "created" if created else "changed", rule, {"topic": topic, "language": language, "queue": queue.pk})
    return rule


@transaction.atomic
def rule_delete(*, actor: Actor, rule: RoutingRule) -> None:
    _check(actor)
    if rule.tenant_id != actor.tenant.pk:
        raise PermissionDenied(_("This rule is not the agency's."))
    _log(actor, "deleted", rule, {"queue": rule.queue_id})
    rule.delete()


@transaction.atomic
def rule_move(*, actor: Actor, rule: RoutingRule, up: bool) -> None:
    """Swap the rule with the one before (up) or after it; positions are renumbered 1..n on the way."""
    _check(actor)
    if rule.tenant_id != actor.tenant.pk:
        raise PermissionDenied(_("This rule is not the agency's."))
    ordered = list(RoutingRule.objects.select_for_update().filter(tenant=actor.tenant).order_by("position", "id"))
    index = next(i for i, other in enumerate(ordered) if other.pk == rule.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    RoutingRule.objects.bulk_update(ordered, ["position"])
    _log(actor, "moved", rule, {"up": up})
