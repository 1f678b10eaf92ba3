"""Programme requests: every write goes through here, on top of the helpdesk's ticket services.

A request opens a helpdesk ticket in the programme's queue (the division's, a TISC's, or the agency's by the
routing rules) with the programme's form as its text; the helpdesk then gives it its SLA, agent and e-mails.
A stage change is a public reply on the ticket (the MSME is told by the helpdesk's e-mail), and a request that
ends resolves or closes its ticket.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.core.audit import diff, snapshot
from apps.core.policies import Actor, authorize, can
from apps.helpdesk import routing
from apps.helpdesk import services as helpdesk
from apps.helpdesk.models import Queue, Status
from apps.helpdesk.rules import SUBJECT_MAX
from apps.programmes import rules
from apps.programmes.catalogue import PROGRAMMES, Programme
from apps.programmes.models import ProgrammeRequest, Stage, Tisc
from apps.registry.models import Msme
from apps.tenants import audit


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def active_language() -> str:
    """The language the request is written in: the page's, as one of the portal's."""
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def programme_of(request: ProgrammeRequest) -> Programme:
    return PROGRAMMES[request.programme]


def queue_for(*, programme: Programme, tenant: Any, tisc: Tisc | None) -> Queue | None:
    """The queue a request goes to: the programme's division's; a TISC's own queue when it is the agency's;
    else None, for the agency's routing rules to place it."""
    if programme.division:
        return routing.division_queue(programme.division, topic=programme.topic)
    if tisc is not None and tisc.queue is not None and tisc.queue.is_active and tisc.queue.tenant_id == tenant.pk:
        return tisc.queue
    return None


def ticket_text(
    *, programme: Programme, kind: str, description: str, detail_lines: list[tuple[str, str]], tisc: Tisc | None
) -> tuple[str, str]:
    """The ticket's subject and body: what the agents read in their queue."""
    subject = f"{programme.title}: {programme.kind_label(kind)}"
    lines = [f"{label}: {value}" for label, value in detail_lines if value]
    if tisc is not None:
        lines.insert(0, _("TISC: %(name)s (%(city)s)") % {"name": tisc.name, "city": tisc.city})
    body = "\n".join([*lines, "", description.strip()]) if lines else description.strip()
    return subject[:SUBJECT_MAX], body


@transaction.atomic
def request_send(
    *,
    actor: Actor,
    programme: Programme,
    kind: str,
    description: str,
    details: dict[str, str],
    detail_lines: list[tuple[str, str]],
    language: str,
    msme: Msme | None,
    tisc: Tisc | None = None,
) -> ProgrammeRequest:
    """An MSME member sends a request: a ticket in the programme's queue, and the request on top of it."""
    if not can(actor, "programmes.send_request"):
        raise PermissionDenied(_("Only members of a registered MSME can send a request."))
    _raise(rules.request_errors(programme=programme, kind=kind, description=description, details=details))
    subject, body = ticket_text(
        programme=programme, kind=kind, description=description, detail_lines=detail_lines, tisc=tisc
    )
    ticket = helpdesk.ticket_open(
        actor=actor,
        subject=subject,
        body=body,
        topic=programme.topic,
        language=language,
        msme=msme,
        queue=queue_for(programme=programme, tenant=actor.tenant, tisc=tisc),
    )
    request = ProgrammeRequest.objects.create(
        programme=programme.slug,
        kind=kind,
        ticket=ticket,
        division=ticket.division,
        msme=msme,
        requester=actor.user,
        tisc=tisc,
        details=details,
        created_at=ticket.created_at,
    )
    audit.record(instance=request, action="create", actor=actor.user, changes=snapshot(request))
    return request


def _stage_reply(request: ProgrammeRequest, stage: str, outcome: str) -> str:
    text = _("Your request is now: %(stage)s.") % {"stage": Stage(stage).label}
    return f"{text}\n\n{outcome.strip()}" if outcome.strip() else text


@transaction.atomic
def request_set_stage(*, actor: Actor, request: ProgrammeRequest, stage: str, outcome: str = "") -> ProgrammeRequest:
    """The programme's staff move the request: the MSME reads the new stage (and the outcome) on the ticket and
    by e-mail; a completed or declined request resolves its ticket."""
    authorize(actor, "programmes.work_request", request)
    programme = programme_of(request)
    _raise(rules.stage_errors(programme=programme, stage=stage, outcome=outcome))
    if stage == request.stage and outcome.strip() == request.outcome:
        return request
    before = snapshot(request)
    request.stage = stage
    request.outcome = outcome.strip()
    request.save(update_fields=["stage", "outcome", "updated_at"])
    audit.record(instance=request, action="update", actor=actor.user, changes=diff(before, snapshot(request)))
    ticket = request.ticket
    helpdesk.ticket_reply(actor=actor, ticket=ticket, body=_stage_reply(request, stage, outcome))
    if stage in (Stage.COMPLETED, Stage.DECLINED) and not ticket.is_done:
        helpdesk.ticket_set_status(actor=actor, ticket=ticket, status=Status.RESOLVED)
    return request


@transaction.atomic
def request_withdraw(*, actor: Actor, request: ProgrammeRequest) -> ProgrammeRequest:
    """The MSME no longer needs it: the request is withdrawn and its ticket closed."""
    if not can(actor, "programmes.withdraw_request", request):
        raise PermissionDenied(_("This request cannot be withdrawn."))
    before = snapshot(request)
    request.stage = Stage.WITHDRAWN
    request.save(update_fields=["stage", "updated_at"])
    audit.record(instance=request, action="update", actor=actor.user, changes=diff(before, snapshot(request)))
    if request.ticket.status != Status.CLOSED:
        helpdesk.ticket_close_own(actor=actor, ticket=request.ticket)
    return request
