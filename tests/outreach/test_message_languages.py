"""A campaign's message may be in any language the registry accepts as an MSME's (Swahili, say), checked by the
registry's rule: on the form, the API and the segment filter; planning picks it for an MSME that prefers it,
and its rendering keeps the portal's own words (the footer) in the portal's default language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from apps.core.roles import Role
from apps.outreach import rendering, sending, services
from apps.outreach.forms import message_formset
from apps.outreach.models import Campaign, CampaignMessage, Delivery, Segment
from apps.outreach.recipients import msme_language, msme_message_language
from apps.outreach.segments import segment_msmes
from apps.registry import rules as registry_rules
from apps.tenants.context import tenant_context
from tests.factories import MsmeFactory, user_with_role
from tests.outreach.campaign_helpers import campaign_with_messages, consenting_msme

pytestmark = pytest.mark.django_db

SWAHILI = {"subject": "Habari {msme}", "body": "Karibu {msme}, tazama {link}.", "short_text": ""}


def _form_data(extra_language: str, **overrides) -> dict:
    """The campaign form as the page posts it: a form per portal language, then the "another language" one."""
    codes = ["en", "fr", "es", "ar"]
    data = {
        "name": "Wide",
        "segment": "",
        "fallback_language": "en",
        "link": "",
        "scheduled_for": "",
        "messages-TOTAL_FORMS": "5",
        "messages-INITIAL_FORMS": "4",
        "messages-MIN_NUM_FORMS": "0",
        "messages-MAX_NUM_FORMS": "1000",
    }
    for index, code in enumerate([*codes, extra_language]):
        data.update({f"messages-{index}-{name}": "" for name in ("subject", "body", "short_text")})
        data[f"messages-{index}-language"] = code
    data.update({"messages-0-subject": "Hello {msme}", "messages-0-body": "Hello"})
    data.update({"messages-4-subject": SWAHILI["subject"], "messages-4-body": SWAHILI["body"]})
    data.update(overrides)
    return data


def test_the_form_takes_a_message_in_a_language_the_portal_does_not_speak(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    page = client.get(reverse("outreach:campaign_create"))
    assert page.status_code == 200
    # The last form chooses its language from the registry's whole list.
    assert b'<option value="sw">Swahili (macrolanguage) (sw)</option>' in page.content
    response = client.post(reverse("outreach:campaign_create"), _form_data("sw"))
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(tenant_a), transaction.atomic():
        campaign = Campaign.objects.get()
        assert sorted(campaign.messages.values_list("language", flat=True)) == ["en", "sw"]
        # Edited again, the Swahili message has a form of its own, named.
        assert [f.initial.get("language") for f in message_formset(campaign=campaign).forms[:5]] == [
            "en",
            "fr",
            "es",
            "ar",
            "sw",
        ]
    edit = client.get(reverse("outreach:campaign_edit", args=[campaign.pk]))
    assert b"Swahili" in edit.content and b"Karibu {msme}" in edit.content


def test_the_form_shows_a_form_for_the_agency_s_languages(tenant_a):
    tenant_a.languages = ["sw", "en"]
    forms = message_formset(tenant=tenant_a).forms
    assert [f.initial.get("language") for f in forms] == ["en", "fr", "es", "ar", "sw", None]
    assert forms[4].language_name == "Swahili (macrolanguage)"


@pytest.mark.parametrize("code", ["xx", "s", "swa"])
def test_the_form_refuses_a_language_the_registry_does_not_accept_in_its_words(client, login_as, tenant_a, code):
    login_as(Role.AGENCY_STAFF, tenant_a)
    response = client.post(reverse("outreach:campaign_create"), _form_data(code))
    assert response.status_code == 400
    assert registry_rules.language_error(code).encode() in response.content
    with tenant_context(tenant_a), transaction.atomic():
        assert not Campaign.objects.exists()


def test_the_form_asks_for_the_language_of_a_message_written_without_one(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    response = client.post(reverse("outreach:campaign_create"), _form_data(""))
    assert response.status_code == 400
    assert b"Pick a language from the list." in response.content


@pytest.fixture
def api(tenant_a):
    client = APIClient()
    client.force_login(user_with_role(Role.AGENCY_STAFF, tenant_a))
    return client


def _payload(language: str) -> dict:
    return {
        "name": "By API",
        "fallback_language": "en",
        "messages": [
            {"language": "en", "subject": "Hi", "body": "Hello"},
            {"language": language, **SWAHILI},
        ],
    }


def test_the_api_takes_a_swahili_message_stored_in_small_letters(api, tenant_a):
    response = api.post("/api/v1/campaigns/", _payload("SW"), format="json")
    assert response.status_code == 201, response.content
    assert [m["language"] for m in response.json()["messages"]] == ["en", "sw"]


@pytest.mark.parametrize("code", ["xx", "", "english", 12])
def test_the_api_answers_400_naming_the_language_field_for_an_unknown_code(api, code):
    response = api.post("/api/v1/campaigns/", _payload(code), format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert "language" in str(errors["messages"]), errors
    if code == "xx":
        assert registry_rules.language_error("xx") in str(errors)


def test_the_api_keeps_the_fallback_to_the_portal_s_languages(api):
    response = api.post("/api/v1/campaigns/", {**_payload("sw"), "fallback_language": "sw"}, format="json")
    assert response.status_code == 400 and "fallback_language" in response.json()


def test_the_segment_filter_selects_swahili_speakers(tenant_a):
    tenant_a.languages = ["fr", "sw"]
    tenant_a.save()
    with tenant_context(tenant_a), transaction.atomic():
        MsmeFactory(name="Swahili", preferred_language="sw")
        MsmeFactory(name="French", preferred_language="fr")
        MsmeFactory(name="Unstated", preferred_language="")

        def names(filters: dict) -> set[str]:
            return set(segment_msmes(Segment(name="x", filters=filters)).values_list("name", flat=True))

        assert names({"language": ["sw"]}) == {"Swahili"}
        # Written to in French: the agency's first language the portal speaks, for an MSME that stated none.
        assert names({"language": ["fr"]}) == {"French", "Unstated"}
        assert names({"language": ["sw", "fr"]}) == {"Swahili", "French", "Unstated"}


def test_the_segment_page_offers_swahili_and_counts_with_it(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        MsmeFactory(name="Swahili", preferred_language="sw")
        MsmeFactory(name="French", preferred_language="fr")
    page = client.get(reverse("outreach:segment_create"))
    assert b'<option value="sw">Swahili (macrolanguage) (sw)</option>' in page.content
    assert client.get(reverse("outreach:segment_count"), {"language": "sw"}).context["count"] == 1
    assert client.get(reverse("outreach:segment_count"), {"language": "zz"}).status_code == 400


def test_planning_picks_the_swahili_message_for_a_swahili_msme_and_the_fallback_without_one(
    tenant_a, django_capture_on_commit_callbacks
):
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages()
        CampaignMessage.objects.create(campaign=campaign, language="sw", **SWAHILI)
        swahili = consenting_msme(name="Swahili", preferred_language="sw")
        german = consenting_msme(name="German", preferred_language="de")  # no German message: the fallback
        sending.plan_campaign(campaign, tenant=tenant_a)
        assert dict(Delivery.objects.values_list("msme__name", "language")) == {"Swahili": "sw", "German": "en"}
        # The portal's own words to the MSME (an event's confirmation) stay in a language the portal speaks.
        assert msme_message_language(swahili, tenant_a) == "sw"
        assert msme_language(swahili, tenant_a) == "en"
        assert msme_message_language(german, tenant_a) == "de"
        with django_capture_on_commit_callbacks(execute=True):
            assert services.campaign_send(campaign=campaign, actor=None)
        by_to = {m.to[0]: m for m in mail.outbox}
        assert by_to[swahili.email].subject == "Habari Swahili"
        assert by_to[german.email].subject == "News for German"


def test_a_swahili_message_keeps_its_body_with_the_english_footer():
    message = CampaignMessage(language="sw", **SWAHILI)
    # Whatever language the request is in: the footer is in the portal's default, which has the words.
    for active in ("fr", "ar"):
        with translation.override(active):
            rendered = rendering.render(
                campaign=None,
                message=message,
                channel="email",
                msme_name="Duka",
                agency="KIPI",
                link="https://portal/x/",
                unsubscribe_url="https://portal/outreach/unsubscribe/t/",
            )
        assert rendered.language == "sw" and rendered.subject == "Habari Duka"
        assert rendered.body.startswith("Karibu Duka, tazama https://portal/x/.")
        assert (
            "You receive this message from KIPI. To receive no more: https://portal/outreach/unsubscribe/t/"
            in rendered.body
        )
        with translation.override(active):
            sms = rendering.render(
                campaign=None,
                message=message,
                channel="sms",
                msme_name="Duka",
                agency="KIPI",
                link="",
                unsubscribe_url="https://portal/u/",
            )
        assert sms.body.endswith("Stop: https://portal/u/")


def test_the_campaign_page_names_the_swahili_message_and_previews_it(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages()
        CampaignMessage.objects.create(campaign=campaign, language="sw", **SWAHILI)
        consenting_msme(name="Duka", preferred_language="sw")
    detail = client.get(reverse("outreach:campaign_detail", args=[campaign.pk]))
    assert b"Swahili (macrolanguage)" in detail.content
    preview = client.get(reverse("outreach:campaign_preview", args=[campaign.pk]), {"language": "sw"})
    assert b"Habari Duka" in preview.content
    # A code the registry does not accept previews the fallback.
    fallback = client.get(reverse("outreach:campaign_preview", args=[campaign.pk]), {"language": "zz"})
    assert fallback.status_code == 200 and b"News for" in fallback.content
