"""Public RSS and Atom feeds of a tenant's published posts, all or one topic's, at
/news/<tenant_slug>/feed/rss/ and .../atom/, /news/<tenant_slug>/topics/<topic>/feed/rss/ and .../atom/.

A feed reader has no account and so no tenant: the feed enters the tenant its slug names (an active
tenant; any other slug, like an unknown topic, is a 404) and reads only its published posts. The text is
in the tenant's first language, or `?lang=` when the post is written in it, else the post's fallback. The
pages the items link to are for the tenant's signed-in members and staff, so each item carries the whole text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from apps.core.policies import public
from apps.guidance.topics import TOPIC_SLUGS
from apps.news import selectors
from apps.news.models import Post
from apps.news.rules import post_languages
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant

FEED_ITEMS = 50


@dataclass
class FeedData:
    tenant: Tenant
    topic: str
    topic_title: str
    language: str
    posts: list[Post]
    path: str


def feed_language(tenant: Tenant, asked: str) -> str:
    languages = post_languages(tenant.languages or [])
    return asked if asked in languages else languages[0]


def feed_data(tenant_slug: str, topic: str, asked_language: str, path: str) -> FeedData:
    tenant = Tenant.objects.filter(slug=tenant_slug, is_active=True).first()
    if tenant is None or (topic and topic not in TOPIC_SLUGS):
        raise Http404
    language = feed_language(tenant, asked_language)
    with tenant_context(tenant):
        queryset = Post.objects.filter(status=Post.Status.PUBLISHED)
        if topic:
            queryset = queryset.filter(topic=topic)
        posts = list(queryset.order_by("-published_at", "-id")[:FEED_ITEMS])
        selectors.texts_for(posts, [language])
    return FeedData(tenant, topic, selectors.topic_title(topic, language) if topic else "", language, posts, path)


class PostFeed(Feed):
    feed_type = Rss201rev2Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        tenant_slug, topic = kwargs["tenant_slug"], kwargs.get("topic", "")
        data = feed_data(tenant_slug, topic, request.GET.get("lang", ""), request.path)
        portal = {code for code, _name in settings.LANGUAGES}
        # The feed's own words (its title) in its language where the portal speaks it.
        with translation.override(data.language if data.language in portal else settings.LANGUAGE_CODE):
            request.news_feed = data  # for get_object: the Feed instance is shared by every request
            response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=300"
        return response

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedData:
        return request.news_feed

    def get_feed(self, obj: FeedData, request: HttpRequest) -> Any:
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj.language  # Swahili too, which the pages (and so get_language) are not in
        return feed

    def title(self, data: FeedData) -> str:
        if data.topic:
            return _("%(agency)s: news and consultations on %(topic)s") % {
                "agency": data.tenant.name,
                "topic": data.topic_title,
            }
        return _("%(agency)s: news and consultations") % {"agency": data.tenant.name}

    def link(self, data: FeedData) -> str:
        return reverse("news:index")

    def feed_url(self, data: FeedData) -> str:
        return data.path

    def description(self, data: FeedData) -> str:
        return _("Posts on international discussions and programmes that concern MSMEs.")

    subtitle = description

    def items(self, data: FeedData) -> list[Post]:
        return data.posts

    def item_title(self, post: Post) -> str:
        return post.shown.title

    def item_description(self, post: Post) -> str:
        return "\n\n".join(part for part in (post.shown.summary, post.shown.body) if part)

    def item_link(self, post: Post) -> str:
        return reverse("news:post", args=[post.pk])

    def item_guid(self, post: Post) -> str:
        return f"urn:uuid:{post.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, post: Post) -> Any:
        return post.published_at

    def item_updateddate(self, post: Post) -> Any:
        return max(post.updated_at, post.published_at)

    def item_categories(self, post: Post) -> list[str]:
        return [post.topic, post.kind]


class AtomPostFeed(PostFeed):
    feed_type = Atom1Feed


rss = public(PostFeed())
atom = public(AtomPostFeed())
