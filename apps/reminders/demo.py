"""Demo reminders for `seed_demo`: each demo tenant's MSME member gets an asset with a renewal due within a
month, its reminders (marked sent, as history: nothing is sent from demo data) and a calendar address."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.core.dates import add_years
from apps.core.demo import DemoRun
from apps.outreach.links import absolute_url
from apps.registry.deadlines import TRADEMARK_RENEWAL_YEARS
from apps.registry.models import IpAsset, Msme, MsmeMember
from apps.reminders import services
from apps.reminders.jobs import plan_tenant
from apps.reminders.models import CalendarToken, ReminderDelivery
from apps.tenants.context import tenant_context
from apps.tenants.demo import demo_tenants
from apps.tenants.models import Tenant

DEMO_ASSET = "Demo renewal due soon"
DEMO_PHONE = "+999000000001"  # an unassigned country code: no real phone


def seed_reminders(*, tenant: Tenant, email: str) -> str:
    """The member's demo reminders and calendar address; returns the address when it was made now ("" when it
    existed: it is shown only once). The reminders are planned (and marked sent) with the demo asset, once: a
    later run, whatever its day, leaves planning to the reminders' own job."""
    today = timezone.localdate()
    with tenant_context(tenant), transaction.atomic():
        member = MsmeMember.objects.select_related("msme").filter(user__email=email).first()
        if member is None:
            return ""
        new_asset = not IpAsset.objects.filter(msme=member.msme, title=DEMO_ASSET).exists()
        if new_asset:
            # Registered ten years ago less 20 days: its renewal is due in 20 days (the 30-day reminder's window).
            granted = add_years(today + timedelta(days=20), -TRADEMARK_RENEWAL_YEARS)
            IpAsset.objects.create(
                msme=member.msme,
                asset_type=IpAsset.Type.TRADEMARK,
                jurisdiction=tenant.country,
                title=DEMO_ASSET,
                status=IpAsset.Status.REGISTERED,
                filing_date=granted - timedelta(days=200),
                grant_date=granted,
            )
        if not member.msme.phone:
            # Demo MSMEs have no phone; one on SMS or WhatsApp would otherwise have no address to remind at.
            Msme.objects.filter(pk=member.msme.pk).update(phone=DEMO_PHONE)
        if new_asset:
            plan_tenant(tenant, today=today)
            # History, not mail: the demo's reminders are marked sent without sending anything.
            ReminderDelivery.objects.filter(msme=member.msme, status=ReminderDelivery.Status.PENDING).update(
                status=ReminderDelivery.Status.SENT, sent_at=timezone.now(), attempts=1
            )
        if CalendarToken.objects.filter(member=member, revoked_at__isnull=True).exists():
            return ""
        _token, secret = services.calendar_token_create(member=member, actor=None)
        return absolute_url(reverse("reminders:feed", args=[secret]))


def seed_demo(run: DemoRun) -> None:
    for tenant in demo_tenants():
        address = seed_reminders(tenant=tenant, email=f"msme@{tenant.slug}.demo")
        if address:
            run.say(f"{tenant.name}: calendar address of msme@{tenant.slug}.demo: {address}")
