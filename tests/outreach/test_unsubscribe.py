"""The unsubscribe link: no sign-in, confirm then unsubscribe (or RFC 8058 one-click), recorded as a consent
change in the MSME's history, and the same refusal for a forged, expired or dangling link."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from apps.outreach import sending
from apps.outreach.models import Campaign, Delivery
from apps.outreach.unsubscribe import make_token, unsubscribe_url
from apps.registry.models import Msme
from apps.tenants.audit import history_for
from apps.tenants.context import tenant_context
from tests.factories import DeliveryFactory
from tests.outreach.campaign_helpers import campaign_with_messages, consenting_msme

pytestmark = pytest.mark.django_db


def _main(content: bytes) -> bytes:
    return content.split(b'<main id="main"', 1)[1].split(b"</main>", 1)[0]


@pytest.fixture
def delivery(tenant_a):
    with tenant_context(tenant_a), transaction.atomic():
        return DeliveryFactory(msme=consenting_msme(name="Leaver"))


def _url(tenant, delivery_id) -> str:
    return "/" + unsubscribe_url(tenant_id=tenant.pk, delivery_id=str(delivery_id)).split("/", 3)[3]


def test_get_asks_and_changes_nothing(client, tenant_a, delivery):
    response = client.get(_url(tenant_a, delivery.pk))
    assert response.status_code == 200
    assert b"Do you want to stop receiving messages from <bdi>Agency A</bdi>?" in response.content
    with tenant_context(tenant_a), transaction.atomic():
        assert Msme.objects.get(pk=delivery.msme_id).consent_outreach


def test_the_one_click_post_unsubscribes_without_a_session_or_csrf_token(tenant_a, delivery):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _url(tenant_a, delivery.pk), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert b"You will receive no more messages from <bdi>Agency A</bdi>." in response.content
    with tenant_context(tenant_a), transaction.atomic():
        msme = Msme.objects.get(pk=delivery.msme_id)
        assert not msme.consent_outreach and msme.consent_given_at is None
        assert Delivery.objects.get(pk=delivery.pk).unsubscribed_at is not None
        [event] = [e for e in history_for(msme) if "consent_outreach" in e.changes]
        assert event.changes["consent_outreach"] == [True, False] and event.actor is None
    # Again: nothing more changes, the page still answers.
    assert client.post(_url(tenant_a, delivery.pk)).status_code == 200


def test_the_next_campaign_counts_the_msme_as_unsubscribed(tenant_a, delivery, client):
    client.post(_url(tenant_a, delivery.pk))
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(status=Campaign.Status.SENDING)
        sending.plan_campaign(campaign, tenant=tenant_a)
        row = Delivery.objects.get(campaign=campaign)
        assert (row.status, row.skip_reason) == ("skipped", Delivery.SkipReason.UNSUBSCRIBED)


def test_a_forged_expired_or_dangling_link_gets_the_same_refusal(client, tenant_a, tenant_b, delivery, settings):
    real = _url(tenant_a, delivery.pk)
    token = real.rstrip("/").rsplit("/", 1)[1]
    forged = real.replace(token, token[:-3] + "abc")
    gone = _url(tenant_a, "00000000-0000-0000-0000-000000000000")  # validly signed, no such delivery
    other_tenant = _url(tenant_b, delivery.pk)  # signed for the wrong tenant: not found there
    answers = [client.get(url) for url in (forged, gone, other_tenant, "/outreach/unsubscribe/x/")]
    answers += [client.post(url) for url in (forged, gone, other_tenant)]
    settings.OUTREACH_UNSUBSCRIBE_MAX_AGE_DAYS = -1
    answers.append(client.get(real))  # expired
    assert {a.status_code for a in answers} == {404}
    # The page differs only by what every page carries of its own request (the path in links, the nonce).
    assert len({_main(a.content) for a in answers}) == 1
    assert b"This link is not valid or has expired." in answers[0].content
    with tenant_context(tenant_a), transaction.atomic():
        assert Msme.objects.get(pk=delivery.msme_id).consent_outreach


def test_a_test_message_link_changes_nothing(client, tenant_a, delivery):
    url = "/outreach/unsubscribe/" + make_token(tenant_id=tenant_a.pk, delivery_id="") + "/"
    assert b"This was a test message" in client.post(url).content
    with tenant_context(tenant_a), transaction.atomic():
        assert Msme.objects.get(pk=delivery.msme_id).consent_outreach


def test_unsubscribing_skips_the_msme_s_rows_still_queued_in_other_campaigns(tenant_a, delivery, client):
    with tenant_context(tenant_a), transaction.atomic():
        running = campaign_with_messages(status=Campaign.Status.SENDING)
        sending.plan_campaign(running, tenant=tenant_a)
        assert Delivery.objects.get(campaign=running).status == "queued"
    client.post(_url(tenant_a, delivery.pk))
    with tenant_context(tenant_a), transaction.atomic():
        row = Delivery.objects.get(campaign=running)
        assert (row.status, row.skip_reason) == ("skipped", Delivery.SkipReason.UNSUBSCRIBED)
        assert sending.send_due(str(running.pk), tenant=tenant_a) is False
    assert mail.outbox == []


def test_a_row_whose_msme_withdrew_consent_after_planning_is_skipped_when_claimed(tenant_a):
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(status=Campaign.Status.SENDING)
        stays = consenting_msme(name="Stays")
        leaves = consenting_msme(name="Leaves")
        sending.plan_campaign(campaign, tenant=tenant_a)
        Msme.objects.filter(pk=leaves.pk).update(consent_outreach=False)
        assert sending.send_due(str(campaign.pk), tenant=tenant_a) is False
        assert [m.to for m in mail.outbox] == [[stays.email]]
        row = Delivery.objects.get(msme=leaves)
        assert (row.status, row.skip_reason, row.claimed_at) == ("skipped", Delivery.SkipReason.UNSUBSCRIBED, None)
        assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT


def test_an_msme_whose_stored_row_no_longer_validates_can_still_unsubscribe(tenant_a, delivery, client):
    with tenant_context(tenant_a), transaction.atomic():
        Msme.objects.filter(pk=delivery.msme_id).update(email="not an address")
    assert client.post(_url(tenant_a, delivery.pk)).status_code == 200
    with tenant_context(tenant_a), transaction.atomic():
        msme = Msme.objects.get(pk=delivery.msme_id)
        assert not msme.consent_outreach and msme.email == "not an address"
