"""The public feeds: RSS and Atom of a tenant's published posts, all or one topic's, by the tenant's slug, in
its first language or ?lang=; valid XML; an unknown tenant or topic is a 404; nothing of another tenant's."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from apps.tenants.context import tenant_context
from tests.factories import NewsPostFactory, NewsPostTextFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
EN = {"title": "Brands abroad", "summary": "Summary", "body": "The English text."}
SW = {"title": "Chapa nje ya nchi", "summary": "Muhtasari", "body": "Maandishi ya Kiswahili."}


def rss_titles(response) -> list[str]:
    root = ET.fromstring(response.content)
    assert root.tag == "rss"
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(response) -> list[str]:
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


@pytest.fixture
def posts(room, other_tenant):
    made = {
        "trademarks": room.post(texts={"en": EN, "sw": SW}),
        "patents": room.post(texts={"en": {**EN, "title": "Patent news"}}, topic="patents"),
        "draft": room.post(texts={"en": {**EN, "title": "Unpublished draft"}}, publish=False),
    }
    with tenant_context(other_tenant), transaction.atomic():
        NewsPostTextFactory(post=NewsPostFactory(text=False), title="The other agency's news")
    return made


def test_the_tenant_feeds_list_its_published_posts_in_valid_xml(room, posts):
    anonymous = Client()
    rss = anonymous.get(reverse("news:feed_rss", args=[room.tenant.slug]))
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    assert sorted(rss_titles(rss)) == ["Brands abroad", "Patent news"]
    atom = anonymous.get(reverse("news:feed_atom", args=[room.tenant.slug]))
    assert atom.status_code == 200 and atom["Content-Type"].startswith("application/atom+xml")
    assert sorted(atom_titles(atom)) == ["Brands abroad", "Patent news"]
    assert b"The other agency" not in rss.content + atom.content and b"Unpublished" not in rss.content + atom.content
    root = ET.fromstring(rss.content)
    assert root.find("channel").findtext("language") == "en"
    assert f"/news/{posts['trademarks'].pk}/" in root.find("channel/item").findtext("link") + rss.content.decode()


def test_a_topic_feed_has_only_that_topic(room, posts):
    response = Client().get(reverse("news:topic_feed_atom", args=[room.tenant.slug, "patents"]))
    assert atom_titles(response) == ["Patent news"]
    response = Client().get(reverse("news:topic_feed_rss", args=[room.tenant.slug, "trademarks"]))
    assert rss_titles(response) == ["Brands abroad"]
    assert rss_titles(Client().get(reverse("news:topic_feed_rss", args=[room.tenant.slug, "hague"]))) == []


def test_lang_picks_the_text_and_falls_back(room, posts):
    response = Client().get(reverse("news:feed_rss", args=[room.tenant.slug]) + "?lang=sw")
    root = ET.fromstring(response.content)
    assert root.find("channel").findtext("language") == "sw"
    assert sorted(rss_titles(response)) == ["Chapa nje ya nchi", "Patent news"]  # the second: English only
    # A language the tenant does not offer: its first.
    assert "Brands abroad" in rss_titles(Client().get(reverse("news:feed_rss", args=[room.tenant.slug]) + "?lang=xx"))


@pytest.mark.parametrize(
    "url",
    [
        lambda room: reverse("news:feed_rss", args=["no-such-agency"]),
        lambda room: reverse("news:feed_atom", args=["no-such-agency"]),
        lambda room: reverse("news:topic_feed_atom", args=[room.tenant.slug, "no-such-topic"]),
        lambda room: reverse("news:topic_feed_rss", args=["no-such-agency", "patents"]),
    ],
)
def test_an_unknown_tenant_or_topic_is_not_found(room, url):
    assert Client().get(url(room)).status_code == 404


def test_an_inactive_tenant_has_no_feed(room, posts):
    type(room.tenant).objects.filter(pk=room.tenant.pk).update(is_active=False)
    assert Client().get(reverse("news:feed_rss", args=[room.tenant.slug])).status_code == 404
