"""A campaign's message for one MSME: its language, placeholders filled safely, unsubscribe link and headers."""

from __future__ import annotations

import pytest

from apps.outreach import rendering
from apps.outreach.links import link_kind
from apps.outreach.models import CampaignMessage
from apps.outreach.unsubscribe import make_token, read_token, unsubscribe_url
from apps.tenants.context import tenant_context
from tests.factories import CampaignFactory


def test_placeholders_are_filled_once_and_nothing_else_is_interpreted():
    values = {"msme": "{link} {agency.__class__}", "link": "https://p/x", "agency": "KIPI"}
    text = "Hello {msme}, {link} from {agency}. {0} {msme.__dict__} {unknown} %s"
    assert rendering.fill(text, values) == (
        "Hello {link} {agency.__class__}, https://p/x from KIPI. {0} {msme.__dict__} {unknown} %s"
    )


@pytest.mark.django_db
def test_the_message_is_the_msme_language_else_the_fallback_else_none(tenant_a):
    with tenant_context(tenant_a):
        campaign = CampaignFactory(fallback_language="fr")
        fr = CampaignMessage.objects.create(campaign=campaign, language="fr", subject="s", body="b")
        es = CampaignMessage.objects.create(campaign=campaign, language="es", subject="s", body="b")
        messages = {"fr": fr, "es": es}
        assert rendering.pick_message(campaign, messages, "es") == es
        assert rendering.pick_message(campaign, messages, "ar") == fr
        campaign.fallback_language = "en"
        assert rendering.pick_message(campaign, messages, "ar") is None


def _message(**fields) -> CampaignMessage:
    values = {"language": "en", "subject": "For {msme}", "body": "Dear {msme}: {link}", "short_text": ""}
    values.update(fields)
    return CampaignMessage(**values)


def test_an_email_carries_the_one_click_unsubscribe_headers_and_link():
    rendered = rendering.render(
        campaign=None,
        message=_message(),
        channel="email",
        msme_name="Savanna Crafts",
        agency="KIPI",
        link="https://portal/diagnostic/",
        unsubscribe_url="https://portal/outreach/unsubscribe/abc/",
    )
    assert rendered.subject == "For Savanna Crafts"
    assert rendered.body.startswith("Dear Savanna Crafts: https://portal/diagnostic/")
    assert "https://portal/outreach/unsubscribe/abc/" in rendered.body
    assert rendered.headers == {
        "List-Unsubscribe": "<https://portal/outreach/unsubscribe/abc/>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    message = rendering.outgoing(rendered, channel="email", to="a@example.org", reference="d1")
    assert message.headers["X-Outreach-Reference"] == "d1"


def test_sms_carries_the_short_text_or_the_body_cut_short_with_the_unsubscribe_url():
    common = {"campaign": None, "channel": "sms", "msme_name": "M", "agency": "A", "link": "L", "unsubscribe_url": "U"}
    short = rendering.render(message=_message(short_text="{msme} {link}"), **common)
    assert short.body.startswith("M L ") and short.body.endswith("U") and short.headers == {}
    long = rendering.render(message=_message(body="word " * 200), **common)
    assert len(long.body) < rendering.SHORT_BODY_CHARS + 40
    assert "…" in long.body and long.body.endswith("U")


def test_the_footer_is_in_the_message_language(monkeypatch):
    from django.utils import translation

    monkeypatch.setattr(rendering, "gettext", lambda text: f"[{translation.get_language()}] {text}")
    rendered = rendering.render(
        campaign=None,
        message=_message(language="fr"),
        channel="email",
        msme_name="M",
        agency="A",
        link="",
        unsubscribe_url="U",
    )
    assert "[fr] You receive this message" in rendered.body


def test_an_unsubscribe_token_is_signed_and_salted(settings):
    token = make_token(tenant_id=7, delivery_id="abc")
    claim = read_token(token)
    assert claim.tenant_id == 7 and claim.delivery_id == "abc"
    assert read_token(token[:-2] + "xx") is None
    assert read_token("nonsense") is None
    from django.core import signing

    assert read_token(signing.dumps({"t": 7, "d": "abc"})) is None  # another purpose's signature
    settings.OUTREACH_UNSUBSCRIBE_MAX_AGE_DAYS = -1
    assert read_token(token) is None  # expired
    assert "/outreach/unsubscribe/" in unsubscribe_url(tenant_id=7, delivery_id="abc")


def test_the_builtin_link_kinds_are_registered():
    assert link_kind("diagnostic").url_for("start", None).endswith("/diagnostic/")
    topic = link_kind("topic")
    slug = topic.choices()[0][0]
    assert topic.url_for(slug, None).endswith(f"/guidance/{slug}/")
    assert topic.url_for("no-such-topic", None) == ""


def test_a_line_break_in_a_filled_subject_is_flattened_to_one_line():
    rendered = rendering.render(
        campaign=None,
        message=_message(),
        channel="email",
        msme_name="Savanna\r\nBcc: x@example.org\nCrafts",
        agency="KIPI",
        link="https://portal/diagnostic/",
        unsubscribe_url="https://portal/outreach/unsubscribe/abc/",
    )
    assert rendered.subject == "For Savanna Bcc: x@example.org Crafts"
