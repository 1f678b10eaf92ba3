"""The campaigns pages: list, form with a message per language, detail with counts, preview, test, send."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from apps.core.roles import Role
from apps.outreach.models import Campaign, CampaignMessage, Delivery
from apps.tenants.context import tenant_context
from tests.factories import CampaignFactory, DeliveryFactory, MsmeFactory
from tests.outreach.campaign_helpers import campaign_with_messages, consenting_msme, every_msme_segment

pytestmark = pytest.mark.django_db


def _post_data(**overrides) -> dict:
    data = {
        "name": "Spring outreach",
        "segment": "",
        "fallback_language": "en",
        "link": "diagnostic:start",
        "scheduled_for": "",
        "messages-TOTAL_FORMS": "4",
        "messages-INITIAL_FORMS": "4",
        "messages-MIN_NUM_FORMS": "0",
        "messages-MAX_NUM_FORMS": "4",
    }
    for index, code in enumerate(["en", "fr", "es", "ar"]):
        data[f"messages-{index}-language"] = code
        data[f"messages-{index}-subject"] = ""
        data[f"messages-{index}-body"] = ""
        data[f"messages-{index}-short_text"] = ""
    data.update({"messages-0-subject": "Hello {msme}", "messages-0-body": "Take the diagnostic: {link}"})
    data.update(overrides)
    return data


def test_staff_create_a_campaign_with_its_messages(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    assert client.get(reverse("outreach:campaign_create")).status_code == 200
    response = client.post(
        reverse("outreach:campaign_create"),
        _post_data(**{"messages-1-subject": "Bonjour", "messages-1-body": "Voir {link}"}),
    )
    assert response.status_code == 302
    with tenant_context(tenant_a), transaction.atomic():
        campaign = Campaign.objects.get()
        assert (campaign.name, campaign.status, campaign.link_kind, campaign.link_value) == (
            "Spring outreach",
            "draft",
            "diagnostic",
            "start",
        )
        assert sorted(campaign.messages.values_list("language", flat=True)) == ["en", "fr"]
    assert response["Location"] == reverse("outreach:campaign_detail", args=[campaign.pk])


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"messages-0-body": "", "messages-0-subject": ""}, b"Write the message in at least one language."),
        ({"fallback_language": "fr"}, b"Write the message in the fallback language too."),
        ({"link": "topic:no-such"}, b"Select a valid choice."),
        ({"scheduled_for": "2000-01-01T10:00"}, b"The time to send at must be in the future."),
        ({"messages-0-body": ""}, b"Write the message, or leave this language empty."),
        ({"messages-0-language": "xx"}, b"xx is not an ISO 639-1 language code."),
        ({"name": ""}, b"This field is required."),
    ],
)
def test_bad_input_re_shows_the_form_with_the_error(client, login_as, tenant_a, overrides, field_error):
    login_as(Role.AGENCY_STAFF, tenant_a)
    response = client.post(reverse("outreach:campaign_create"), _post_data(**overrides))
    assert response.status_code == 400
    assert field_error in response.content
    with tenant_context(tenant_a), transaction.atomic():
        assert not Campaign.objects.exists()


def test_edit_changes_a_draft_and_refuses_a_sent_campaign(client, login_as, tenant_a):
    staff = login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages()
        sent = CampaignFactory(status=Campaign.Status.SENT)
    url = reverse("outreach:campaign_edit", args=[campaign.pk])
    page = client.get(url)
    assert b"Dear {msme}, see {link}." in page.content
    assert client.post(url, _post_data(name="Renamed")).status_code == 302
    with tenant_context(tenant_a), transaction.atomic():
        campaign.refresh_from_db()
        assert campaign.name == "Renamed"
        assert list(CampaignMessage.objects.filter(campaign=campaign).values_list("language", flat=True)) == ["en"]
    assert client.get(reverse("outreach:campaign_edit", args=[sent.pk])).status_code == 302
    assert staff


def test_detail_shows_counts_and_pages_the_deliveries_in_constant_queries(
    client, login_as, tenant_a, django_assert_max_num_queries
):
    login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(status=Campaign.Status.SENDING)
        DeliveryFactory(campaign=campaign, status="sent", msme=MsmeFactory(name="Sent One"))
        DeliveryFactory(campaign=campaign, status="skipped", skip_reason="no_consent")
        DeliveryFactory(campaign=campaign, status="failed", last_error="550 refused")
    url = reverse("outreach:campaign_detail", args=[campaign.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    assert b'data-count="sent">1<' in response.content and b'data-count="skipped">1<' in response.content
    assert b"Sent One" in response.content and b"550 refused" in response.content
    with tenant_context(tenant_a), transaction.atomic():
        for _n in range(60):
            DeliveryFactory(campaign=campaign, status="sent")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url + "?status=sent&page=2")
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_preview_fills_the_message_with_a_real_msme_of_the_segment(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(link_kind="diagnostic", link_value="start")
        every_msme_segment()
        consenting_msme(name="Maison Dupont", preferred_language="fr")
    response = client.get(reverse("outreach:campaign_preview", args=[campaign.pk]) + "?language=fr")
    assert b"Nouvelles pour Maison Dupont" in response.content
    assert b"/diagnostic/" in response.content
    sms = client.get(reverse("outreach:campaign_preview", args=[campaign.pk]) + "?language=en&channel=sms")
    assert b"Maison Dupont: http" in sms.content


def test_send_a_test_then_send_then_a_double_click_changes_nothing(
    client, login_as, tenant_a, django_capture_on_commit_callbacks
):
    staff = login_as(Role.AGENCY_STAFF, tenant_a, email="me@agency.example.org")
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages()
        consenting_msme(name="Shop")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outreach:campaign_test", args=[campaign.pk]), {"language": "en"})
    assert [m.to for m in mail.outbox] == [[staff.email]]
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("outreach:campaign_send", args=[campaign.pk]))
        assert response.status_code == 302
    assert len(mail.outbox) == 2
    with tenant_context(tenant_a), transaction.atomic():
        assert Delivery.objects.get().status == "sent"
        assert Campaign.objects.get(pk=campaign.pk).status == "sent"


def test_the_list_pages_campaigns_and_filters_by_status(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        CampaignFactory(name="Draft one")
        CampaignFactory(name="Sent one", status="sent")
    page = client.get(reverse("outreach:index"))
    assert b"Draft one" in page.content and b"Sent one" in page.content
    filtered = client.get(reverse("outreach:index") + "?status=sent")
    assert b"Draft one" not in filtered.content and b"Sent one" in filtered.content
    assert client.get(reverse("outreach:index") + "?status=nonsense").status_code == 400


@pytest.mark.parametrize("role", [Role.MSME_MEMBER, Role.HELPDESK_AGENT])
def test_only_agency_staff_reach_the_campaigns(client, login_as, tenant_a, role):
    login_as(role, tenant_a)
    assert client.get(reverse("outreach:index")).status_code == 403
