"""Every write of outreach's campaigns: made, changed, sent, cancelled, unsubscribed from; each recorded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from apps.core.audit import diff, snapshot
from apps.outreach import rules, selectors, sending
from apps.outreach.channels import SendResult, send_batch
from apps.outreach.models import Campaign, CampaignMessage, Delivery
from apps.outreach.rendering import outgoing
from apps.registry import services as registry_services
from apps.tenants import audit
from apps.tenants.context import require_active_tenant
from apps.tenants.models import AuditEvent, OutreachChannel
from apps.tenants.tasks import enqueue_for_tenant

EDITABLE = (Campaign.Status.DRAFT, Campaign.Status.SCHEDULED)
CAMPAIGN_FIELDS = ("name", "segment", "fallback_language", "link_kind", "link_value", "scheduled_for")
MESSAGE_FIELDS = ("subject", "body", "short_text")


def _normal(messages: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The messages with their language codes as stored: in small letters, as the registry stores an MSME's."""
    return [{**m, "language": str(m.get("language") or "").lower()} for m in messages]


def _check(data: Mapping[str, Any], messages: Sequence[Mapping[str, Any]], *, check_schedule: bool) -> None:
    errors = rules.campaign_errors(
        fallback_language=data.get("fallback_language", ""),
        link_kind_key=data.get("link_kind", ""),
        link_value=data.get("link_value", ""),
        scheduled_for=data.get("scheduled_for") if check_schedule else None,
        languages=[m["language"] for m in messages],
    )
    if errors:
        raise ValidationError(errors)


def _messages_snapshot(campaign: Campaign) -> dict[str, dict[str, str]]:
    return {
        m.language: {name: getattr(m, name) for name in MESSAGE_FIELDS}
        for m in CampaignMessage.objects.filter(campaign=campaign)
    }


def _write_messages(campaign: Campaign, messages: Sequence[Mapping[str, Any]]) -> None:
    keep = {m["language"] for m in messages}
    CampaignMessage.objects.filter(campaign=campaign).exclude(language__in=keep).delete()
    existing = {m.language: m for m in CampaignMessage.objects.filter(campaign=campaign)}
    for values in messages:
        row = existing.get(values["language"]) or CampaignMessage(campaign=campaign, language=values["language"])
        for name in MESSAGE_FIELDS:
            setattr(row, name, values.get(name, "") or "")
        row.full_clean(exclude=["tenant", "campaign"])
        row.save()


def _apply(campaign: Campaign, data: Mapping[str, Any]) -> None:
    for name in CAMPAIGN_FIELDS:
        if name in data:
            value = data[name]
            if value is None and name not in ("segment", "scheduled_for"):
                value = ""
            setattr(campaign, name, value)
    campaign.status = Campaign.Status.SCHEDULED if campaign.scheduled_for else Campaign.Status.DRAFT


@transaction.atomic
def campaign_create(*, data: Mapping[str, Any], messages: Sequence[Mapping[str, Any]], actor: Any) -> Campaign:
    """A draft campaign (scheduled when it has a time to send at) with its message per language."""
    messages = _normal(messages)
    _check(data, messages, check_schedule=True)
    campaign = Campaign(created_by=actor if getattr(actor, "pk", None) else None)
    _apply(campaign, data)
    campaign.full_clean(exclude=["tenant", "segment"])
    campaign.save()
    _write_messages(campaign, messages)
    audit.record(
        instance=campaign,
        action=AuditEvent.Action.CREATE,
        actor=actor,
        changes={**snapshot(campaign), "messages": _messages_snapshot(campaign)},
    )
    return campaign


@transaction.atomic
def campaign_update(
    *, campaign: Campaign, data: Mapping[str, Any], messages: Sequence[Mapping[str, Any]], actor: Any
) -> Campaign:
    """Change a draft or scheduled campaign; one that is sending or done keeps what it sent."""
    stored = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if stored.status not in EDITABLE:
        raise ValidationError({"status": [_not_editable()]})
    before = {**snapshot(stored), "messages": _messages_snapshot(stored)}
    schedule_changed = data.get("scheduled_for") != stored.scheduled_for
    messages = _normal(messages)
    _check(data, messages, check_schedule=schedule_changed)
    _apply(stored, data)
    stored.full_clean(exclude=["tenant", "segment"])
    stored.save()
    _write_messages(stored, messages)
    changes = diff(before, {**snapshot(stored), "messages": _messages_snapshot(stored)})
    if changes:
        audit.record(instance=stored, action=AuditEvent.Action.UPDATE, actor=actor, changes=changes)
    return stored


def _not_editable() -> str:
    return gettext("Only a draft or scheduled campaign can be changed.")


@transaction.atomic
def campaign_send(*, campaign: Campaign, actor: Any) -> bool:
    """Start sending a draft or scheduled campaign; True if this call started it.

    One conditional UPDATE decides: a second call, a double click or a beat run at the same moment finds the
    campaign 'sending' already and does nothing more.
    """
    now = timezone.now()
    started = Campaign.objects.filter(pk=campaign.pk, status__in=EDITABLE).update(
        status=Campaign.Status.SENDING, started_at=now
    )
    if not started:
        return False
    before_status = campaign.status
    campaign.refresh_from_db()
    audit.record(
        instance=campaign,
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        changes={"status": [before_status, Campaign.Status.SENDING]},
    )
    enqueue_for_tenant(sending.campaign_plan, str(campaign.pk))
    return True


@transaction.atomic
def campaign_cancel(*, campaign: Campaign, actor: Any) -> bool:
    """Stop a campaign not yet sent: what was sent stays sent, the queued rows are not sent."""
    stored = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if stored.status not in (*EDITABLE, Campaign.Status.SENDING):
        return False
    before = stored.status
    stored.status = Campaign.Status.CANCELLED
    stored.finished_at = timezone.now()
    stored.save(update_fields=["status", "finished_at"])
    # Counted as skipped, not as waiting for ever; a row being sent right now is marked by its worker.
    Delivery.objects.filter(campaign=stored, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SKIPPED, skip_reason=Delivery.SkipReason.CANCELLED, next_attempt_at=None
    )
    audit.record(
        instance=stored,
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        changes={"status": [before, Campaign.Status.CANCELLED]},
    )
    campaign.status, campaign.finished_at = stored.status, stored.finished_at
    return True


def campaign_send_test(*, campaign: Campaign, actor: Any, language: str) -> bool:
    """E-mail the message in `language` to the actor, filled with a real MSME's data; nothing is recorded.

    Sent after the request's transaction commits; its unsubscribe link changes nothing.
    """
    tenant = require_active_tenant()
    address = getattr(actor, "email", "")
    rendered, _msme = selectors.preview(campaign, language=language, channel=OutreachChannel.EMAIL, tenant=tenant)
    if rendered is None or not address:
        return False
    message = outgoing(rendered, channel=OutreachChannel.EMAIL, to=address, reference="")

    def send() -> list[SendResult]:
        return send_batch(OutreachChannel.EMAIL, [message])

    transaction.on_commit(send)
    return True


UNSUBSCRIBE_SOURCE = "unsubscribe_link"


@transaction.atomic
def delivery_unsubscribe(*, delivery: Delivery) -> bool:
    """The MSME reached by `delivery` wants no more messages: its consent is turned off (recorded in its
    history) and the delivery marked. True if this call changed anything."""
    stored = Delivery.objects.select_for_update().select_related("msme").get(pk=delivery.pk)
    changed = False
    if stored.unsubscribed_at is None:
        stored.unsubscribed_at = timezone.now()
        stored.save(update_fields=["unsubscribed_at"])
        changed = True
    msme = stored.msme
    # The MSME's rows still waiting in any campaign (a retry hours later included) are not sent either.
    if Delivery.objects.filter(msme=msme, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SKIPPED, skip_reason=Delivery.SkipReason.UNSUBSCRIBED, next_attempt_at=None
    ):
        changed = True
    if registry_services.msme_consent_withdraw(msme=msme, actor=None, source=UNSUBSCRIBE_SOURCE):
        changed = True
    return changed
