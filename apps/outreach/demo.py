"""Demo outreach for `seed_demo` (after the registry's MSMEs): in each demo tenant, a draft campaign, a sent one
whose deliveries show every outcome (sent, skipped for each reason, failed, unsubscribed), and a cancelled one
whose remaining rows stayed queued. Idempotent (by campaign name); nothing is sent: the rows are written as
the sending would have left them.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.core.demo import DemoRun
from apps.outreach.models import Campaign, CampaignMessage, Delivery
from apps.outreach.recipients import msme_address, msme_channel, msme_message_language
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from apps.tenants.demo import demo_tenants
from apps.tenants.models import Tenant
from apps.tenants.rls import autocommit_scope

MESSAGES = {
    "en": ("{agency}: how mature is your IP?", "Dear {msme},\n\nTake the free IP diagnostic: {link}\n\n{agency}"),
    "fr": (
        "{agency} : où en est votre PI ?",
        "Chère entreprise {msme},\n\nFaites le diagnostic PI gratuit : {link}\n\n{agency}",
    ),
    "es": (
        "{agency}: ¿cómo gestiona su PI?",
        "Estimada empresa {msme}:\n\nHaga el diagnóstico de PI gratuito: {link}\n\n{agency}",
    ),
    "ar": (
        "{agency}: ما مدى نضج ملكيتك الفكرية؟",
        "إلى {msme}،\n\nقم بالتشخيص المجاني للملكية الفكرية: {link}\n\n{agency}",
    ),
}
SENT_NAME = "IP diagnostic invitation"
DRAFT_NAME = "Trademark renewal tips"
CANCELLED_NAME = "Webinar reminder (cancelled)"
SKIP_REASONS = list(Delivery.SkipReason.values)


def _campaign(name: str, *, status: str, fallback: str, link: tuple[str, str]) -> tuple[Campaign, bool]:
    campaign, made = Campaign.objects.get_or_create(
        name=name,
        defaults={"status": status, "fallback_language": fallback, "link_kind": link[0], "link_value": link[1]},
    )
    if made:
        for language, (subject, body) in MESSAGES.items():
            CampaignMessage.objects.create(
                campaign=campaign, language=language, subject=subject, body=body, short_text=body.split("\n\n")[1]
            )
    return campaign, made


def _seed_tenant(tenant: Tenant) -> int:
    fallback = (tenant.languages or ["en"])[0] if (tenant.languages or ["en"])[0] in MESSAGES else "en"
    now = timezone.now()
    _campaign(DRAFT_NAME, status=Campaign.Status.DRAFT, fallback=fallback, link=("topic", "trademarks"))
    sent, made = _campaign(SENT_NAME, status=Campaign.Status.SENT, fallback=fallback, link=("diagnostic", "start"))
    rows = []
    if made:
        Campaign.objects.filter(pk=sent.pk).update(
            started_at=now - timedelta(days=6), planned_at=now - timedelta(days=6), finished_at=now - timedelta(days=6)
        )
        msmes = list(Msme.objects.order_by("registration_number")[:40])
        for index, msme in enumerate(msmes):
            channel = msme_channel(msme, tenant)
            row = Delivery(
                campaign=sent,
                msme=msme,
                channel=channel,
                address=msme_address(msme, channel) or "",
                language=msme_message_language(msme, tenant),
                status=Delivery.Status.SENT,
                attempts=1,
                sent_at=now - timedelta(days=6),
            )
            if index < len(SKIP_REASONS):
                row.status, row.skip_reason, row.attempts, row.sent_at = "skipped", SKIP_REASONS[index], 0, None
            elif index < len(SKIP_REASONS) + 2:
                row.status, row.sent_at, row.last_error = "failed", None, "550 5.1.1 mailbox unavailable"
                row.attempts = 1 if index % 2 else 5
            elif index < len(SKIP_REASONS) + 4:
                row.unsubscribed_at = now - timedelta(days=5)
            rows.append(row)
    cancelled, made = _campaign(CANCELLED_NAME, status=Campaign.Status.CANCELLED, fallback=fallback, link=("", ""))
    if made:
        Campaign.objects.filter(pk=cancelled.pk).update(started_at=now - timedelta(days=1), finished_at=now)
        for index, msme in enumerate(Msme.objects.order_by("registration_number")[:6]):
            channel = msme_channel(msme, tenant)
            status = Delivery.Status.SENT if index < 2 else Delivery.Status.QUEUED
            rows.append(
                Delivery(
                    campaign=cancelled,
                    msme=msme,
                    channel=channel,
                    address=msme_address(msme, channel) or "",
                    language=msme_message_language(msme, tenant),
                    status=status,
                    attempts=1 if index < 2 else 0,
                    sent_at=now - timedelta(days=1) if index < 2 else None,
                )
            )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def seed_demo(run: DemoRun) -> None:
    for tenant in demo_tenants():
        with tenant_context(tenant), autocommit_scope("demo data"), transaction.atomic():
            made = _seed_tenant(tenant)
        run.say(f"{tenant.name}: {made} demo campaign deliveries")
