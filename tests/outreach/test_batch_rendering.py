"""A batch of a campaign's messages is rendered with what is the same for all of them worked out once (the link's
target, the translated footer, the unsubscribe route and signer): the same messages as one by one, in a number of
queries that does not grow with the batch."""

from __future__ import annotations

import re

import pytest
from django.core import mail, signing
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from apps.outreach import rendering, sending
from apps.outreach.models import CampaignMessage, Delivery
from apps.outreach.unsubscribe import read_token, unsubscribe_url, unsubscribe_urls
from apps.surveys import links as survey_links
from apps.tenants.context import tenant_context
from tests.factories import EventFactory, SurveyFactory
from tests.outreach.campaign_helpers import campaign_with_messages, consenting_msme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.OUTREACH_RATE_LIMITS = {"email": 0, "sms": 0, "whatsapp": 0}


def _send_in_two_batches(tenant, campaign) -> tuple[int, int]:
    """Plan the campaign, then send a batch of 2 and a batch of 6: the queries each batch took."""
    messages = {m.language: m for m in CampaignMessage.objects.filter(campaign=campaign)}
    sending.plan_campaign(campaign, tenant=tenant)
    counts = []
    for size in (2, 6):
        batch = sending.claim_batch(campaign, size=size)
        assert len(batch) == size
        with CaptureQueriesContext(connection) as queries:
            result = sending.send_claimed(campaign, batch, tenant=tenant, messages=messages)
        assert result.sent == size
        counts.append(len(queries))
    return counts[0], counts[1]


def _links_in(body: str, route: str) -> list[str]:
    return re.findall(rf"https?://\S+/{route}/\S+/", body)


def test_a_batch_with_a_survey_link_reads_the_survey_once_and_signs_each_msme_s_own_link(tenant_a):
    with tenant_context(tenant_a), transaction.atomic():
        survey = SurveyFactory()
        campaign = campaign_with_messages(link_kind="survey", link_value=str(survey.pk))
        msmes = {consenting_msme(name=f"Shop{n}").pk for n in range(8)}
        small, large = _send_in_two_batches(tenant_a, campaign)
        assert small == large
        by_reference = {m.extra_headers["X-Outreach-Reference"]: m for m in mail.outbox}
        deliveries = {
            str(pk): msme for pk, msme in Delivery.objects.filter(campaign=campaign).values_list("pk", "msme_id")
        }
    assert len(by_reference) == 8
    answered = set()
    for reference, sent in by_reference.items():
        [link] = _links_in(sent.body, "surveys/answer")
        token = survey_links.read_token(link.rstrip("/").rsplit("/", 1)[1])
        assert (token.tenant_id, token.survey_id, token.msme_id) == (tenant_a.pk, survey.pk, deliveries[reference])
        answered.add(token.msme_id)
    assert answered == msmes


def test_a_batch_with_an_event_link_reads_the_event_once(tenant_a):
    with tenant_context(tenant_a), transaction.atomic():
        event = EventFactory()
        campaign = campaign_with_messages(link_kind="event", link_value=str(event.pk))
        for n in range(8):
            consenting_msme(name=f"Shop{n}")
        small, large = _send_in_two_batches(tenant_a, campaign)
        expected = rendering.campaign_link(campaign, None)
    assert small == large
    assert f"/events/{event.pk}/" in expected
    assert [expected in m.body for m in mail.outbox] == [True] * 8


def test_a_gone_survey_or_event_is_no_link_for_the_whole_batch(tenant_a):
    with tenant_context(tenant_a), transaction.atomic():
        for kind, target in (("survey", SurveyFactory()), ("event", EventFactory())):
            campaign = campaign_with_messages(link_kind=kind, link_value=str(target.pk))
            target.delete()
            assert rendering.campaign_links(campaign)(None) == ""
            assert rendering.campaign_link(campaign, None) == ""
        campaign.link_value = "not-a-uuid"
        assert rendering.campaign_links(campaign)(None) == ""


@pytest.mark.parametrize("channel", ["email", "sms"])
def test_the_batch_renderer_renders_what_render_does_in_each_language(tenant_a, channel):
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(link_kind="diagnostic", link_value="start")
        messages = list(CampaignMessage.objects.filter(campaign=campaign).order_by("language"))
    renderer = rendering.BatchRenderer(campaign, channel=channel, agency="KIPI")
    for message in [*messages, *messages]:
        one_by_one = rendering.render(
            campaign=campaign,
            message=message,
            channel=channel,
            msme_name="Café {link}",
            agency="KIPI",
            link=rendering.campaign_link(campaign, None),
            unsubscribe_url="https://portal/u/t/",
        )
        batched = renderer.render(message, msme=None, msme_name="Café {link}", unsubscribe_url="https://portal/u/t/")
        assert batched == one_by_one
        # Both share their helpers: what each must end with is spelled out here too, in the message's language.
        with translation.override(message.language):
            footer = gettext("You receive this message from %(agency)s. To receive no more: %(url)s") % {
                "agency": "KIPI",
                "url": "https://portal/u/t/",
            }
            stop = gettext("Stop: %(url)s") % {"url": "https://portal/u/t/"}
        if channel == "email":
            assert batched.body.endswith("\n\n-- \n" + footer + "\n")
            assert dict(batched.headers) == {
                "List-Unsubscribe": "<https://portal/u/t/>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        else:
            assert batched.body.endswith(" " + stop) and batched.headers == {}
    assert {m.language for m in messages} == {"en", "fr"}


def test_the_batch_s_unsubscribe_urls_are_the_one_by_one_urls(monkeypatch):
    monkeypatch.setattr(signing.time, "time", lambda: 1_796_000_000.0)
    url = unsubscribe_urls(tenant_id=7)
    for delivery_id in ("0fa3c044-a62b-4c8e-9d55-7d3f0e5c1a2b", "", "x" * 40):
        assert url(delivery_id) == unsubscribe_url(tenant_id=7, delivery_id=delivery_id)
        token = url(delivery_id).rstrip("/").rsplit("/", 1)[1]
        assert read_token(token).delivery_id == delivery_id


def test_the_batch_s_survey_links_are_the_one_by_one_links(tenant_a, monkeypatch):
    monkeypatch.setattr(signing.time, "time", lambda: 1_796_000_000.0)
    with tenant_context(tenant_a), transaction.atomic():
        survey = SurveyFactory()
        msmes = [consenting_msme(name=f"Shop{n}") for n in range(3)]
        urls = survey_links.urls_for(str(survey.pk))
        for msme in [*msmes, None]:
            assert urls(msme) == survey_links.url_for(str(survey.pk), msme)
        assert [urls(msme) for msme in msmes] == [survey_links.answer_url(survey, msme) for msme in msmes]
