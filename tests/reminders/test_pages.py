"""The member's reminders page: deadlines, settings, the calendar address shown once, revoking; its links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.core.roles import Role
from apps.reminders.models import CalendarToken, ReminderSettings
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent
from tests.factories import IpAssetFactory, user_with_role
from tests.reminders.conftest import make_world, renewal_due_on

TODAY = timezone.localdate()


@pytest.fixture
def page(db, client):
    world = make_world()
    with tenant_context(world.tenant), transaction.atomic():
        IpAssetFactory(msme=world.msme, title="Kilima Roast", **renewal_due_on(TODAY + timedelta(days=40)))
    client.force_login(world.members[0].user)
    world.client = client
    return world


def test_the_page_shows_the_msmes_deadlines_and_the_settings(page):
    response = page.client.get(reverse("reminders:index"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kilima Roast" in body and "Trademark renewal" in body
    assert 'name="remind_90"' in body and "checked" in body
    assert "You have no calendar address yet." in body


def test_saving_the_settings_keeps_them_and_records_the_change(page):
    response = page.client.post(reverse("reminders:settings"), {"enabled": "on", "remind_30": "on"})
    assert response.status_code == 302
    with tenant_context(page.tenant), transaction.atomic():
        row = ReminderSettings.objects.get(member=page.members[0])
        assert row.lead_days() == (30,)
        event = AuditEvent.objects.get(object_id=row.pk)
    assert (event.action, event.channel, event.actor_id) == ("create", "page", page.members[0].user.pk)
    assert event.parent_id == page.msme.pk  # in the MSME's history
    page.client.post(reverse("reminders:settings"), {})
    with tenant_context(page.tenant), transaction.atomic():
        assert ReminderSettings.objects.get(member=page.members[0]).lead_days() == ()
        update = AuditEvent.objects.filter(object_id=row.pk, action="update").get()
    assert update.changes == {"enabled": [True, False], "remind_30": [True, False]}


def test_the_calendar_address_is_shown_once_then_masked_and_can_be_revoked(page):
    created = page.client.post(reverse("reminders:calendar"))
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    address = created.context["new_address"]
    assert address.startswith("http://127.0.0.1:8000/reminders/calendar/") and address.endswith(".ics")
    assert address in created.content.decode()
    later = page.client.get(reverse("reminders:index")).content.decode()
    secret = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert secret not in later and secret[:8] in later and "••••" in later
    assert page.client.get(address.removeprefix("http://127.0.0.1:8000")).status_code == 200
    revoked = page.client.post(reverse("reminders:calendar-revoke"))
    assert revoked.status_code == 302
    assert page.client.get(address.removeprefix("http://127.0.0.1:8000")).status_code == 404
    with tenant_context(page.tenant), transaction.atomic():
        token = CalendarToken.objects.get()
        actions = sorted(AuditEvent.objects.filter(object_id=token.pk).values_list("action", flat=True))
    assert actions == ["create", "update"] and token.revoked_at is not None


def test_another_member_sees_their_own_business_only(page, client):
    other = user_with_role(Role.MSME_MEMBER, page.tenant, email="elsewhere@rem.example.org")
    from tests.factories import MsmeFactory, MsmeMemberFactory

    with tenant_context(page.tenant), transaction.atomic():
        MsmeMemberFactory(msme=MsmeFactory(name="Other Works"), user=other)
    client.force_login(other)
    body = client.get(reverse("reminders:index")).content.decode()
    assert "Other Works" in body and "Kilima Roast" not in body


def test_a_member_without_a_business_is_sent_to_register_it(db, client):
    world = make_world()
    lonely = user_with_role(Role.MSME_MEMBER, world.tenant, email="lonely@rem.example.org")
    client.force_login(lonely)
    response = client.get(reverse("reminders:index"))
    assert response.status_code == 302 and response["Location"] == reverse("registry:my-msme")


def test_the_business_page_links_members_to_their_reminders_and_not_staff(page, client):
    detail = reverse("registry:detail", args=[page.msme.pk])
    assert 'id="reminders-link"' in page.client.get(detail).content.decode()
    staff = user_with_role(Role.AGENCY_STAFF, page.tenant)
    client.force_login(staff)
    assert 'id="reminders-link"' not in client.get(detail).content.decode()


def test_the_home_page_promise_links_to_the_reminders(db, client):
    body = client.get(reverse("home")).content.decode()
    assert "The portal reminds you before a renewal or another deadline is due." in body
    assert f'href="{reverse("reminders:index")}"' in body
