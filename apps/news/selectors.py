"""Reads with a rule: which posts, comments and follows an actor sees, and each post's text in the reader's
language (with the fallback language marked as such)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import django_filters
import pycountry
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.filters import ListFilterSet
from apps.core.policies import Actor, rows
from apps.guidance.topics import TOPIC_SLUGS, get_topic, localized
from apps.news.models import WIPO_REGIONS, Comment, Follow, Post, PostText
from apps.registry.filters import FilterForm
from apps.registry.models import MsmeMember

READ = "news.read"
WRITE = "news.write"
MODERATE = "news.moderate"


def topic_choices() -> list[tuple[str, str]]:
    """The guidance topics as (slug, title in the active language), in the guidance's order."""
    language = (get_language() or "en").split("-")[0]
    return [(slug, topic_title(slug, language)) for slug in TOPIC_SLUGS]


def topic_title(slug: str, language: str | None = None) -> str:
    topic = get_topic(slug)
    if topic is None:
        return slug
    return localized(topic.title, (language or get_language() or "en").split("-")[0])[0]


# The topics with their titles read in the language active when they are shown (the form is built once).
_lazy_title = lazy(topic_title, str)
TOPIC_FILTER_CHOICES = [(slug, _lazy_title(slug)) for slug in TOPIC_SLUGS]


class PostFilterSet(ListFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Post.Kind.choices)
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=TOPIC_FILTER_CHOICES)
    region = django_filters.CharFilter(label=_("Region"), max_length=20)

    class Meta:
        model = Post
        fields: list[str] = []
        form = FilterForm


class StaffPostFilterSet(PostFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Post.Status.choices)

    class Meta(PostFilterSet.Meta):
        pass


def _filtered(filterset_class: type[PostFilterSet], filters: Any, queryset: QuerySet) -> tuple[PostFilterSet, QuerySet]:
    filterset = filterset_class(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs


def published_posts(actor: Actor, *, filters: Any = None) -> tuple[PostFilterSet, QuerySet[Post]]:
    """The tenant's published posts the actor reads, newest first, filtered by kind, topic and region."""
    queryset = rows(actor, READ, Post.objects.filter(status=Post.Status.PUBLISHED)).order_by("-published_at", "-id")
    return _filtered(PostFilterSet, filters, queryset)


def staff_posts(actor: Actor, *, filters: Any = None) -> tuple[PostFilterSet, QuerySet[Post]]:
    """Every post of the tenant, drafts too, newest first: the staff's list."""
    queryset = rows(actor, WRITE, Post.objects.all()).order_by("-created_at", "-id")
    return _filtered(StaffPostFilterSet, filters, queryset)


def pending_comments(actor: Actor) -> QuerySet[Comment]:
    """The moderation queue, oldest first."""
    queryset = Comment.objects.filter(status=Comment.Status.PENDING).select_related("post")
    return rows(actor, MODERATE, queryset).order_by("created_at", "id")


def approved_comments(post: Post) -> QuerySet[Comment]:
    return Comment.objects.filter(post=post, status=Comment.Status.APPROVED).order_by("created_at", "id")


def own_pending_comments(actor: Actor, post: Post) -> QuerySet[Comment]:
    """The reader's own comments still waiting: shown to them only, marked as waiting."""
    return Comment.objects.filter(post=post, author_id=actor.user.pk, status=Comment.Status.PENDING).order_by(
        "created_at", "id"
    )


def followed_topics(actor: Actor) -> set[str]:
    if not actor.is_authenticated:
        return set()
    return set(Follow.objects.filter(user_id=actor.user.pk, post__isnull=True).values_list("topic", flat=True))


def follows_post(actor: Actor, post: Post) -> bool:
    return actor.is_authenticated and Follow.objects.filter(user_id=actor.user.pk, post=post).exists()


# --- Languages ---------------------------------------------------------------------------------------------


def reader_languages(actor: Actor, page_language: str) -> list[str]:
    """The languages a reader would read a post in, best first: their MSME's preferred language (an MSME sees
    its own language), then the language of the pages."""
    wanted = []
    if actor.is_authenticated and actor.tenant is not None:
        preferred = (
            MsmeMember.objects.filter(user_id=actor.user.pk)
            .exclude(msme__preferred_language="")
            .values_list("msme__preferred_language", flat=True)
            .first()
        )
        if preferred:
            wanted.append(preferred)
    base = (page_language or "").split("-")[0]
    if base and base not in wanted:
        wanted.append(base)
    return wanted


@dataclass(frozen=True)
class Shown:
    """A post's text as one reader sees it: in their language, else in the post's fallback (`is_fallback`)."""

    text: PostText | None
    is_fallback: bool

    @property
    def title(self) -> str:
        return self.text.title if self.text else ""

    @property
    def summary(self) -> str:
        return self.text.summary if self.text else ""

    @property
    def body(self) -> str:
        return self.text.body if self.text else ""

    @property
    def language(self) -> str:
        return self.text.language if self.text else ""


def pick_text(texts: Iterable[PostText], wanted: Sequence[str], fallback: str) -> Shown:
    by_language = {text.language: text for text in texts}
    for language in wanted:
        if language in by_language:
            return Shown(by_language[language], is_fallback=False)
    if fallback in by_language:
        return Shown(by_language[fallback], is_fallback=True)
    # A post always has its fallback's text (rules.post_errors); any text beats none.
    first = next(iter(sorted(by_language.items())), (None, None))[1]
    return Shown(first, is_fallback=first is not None)


def texts_for(posts: Sequence[Post], wanted: Sequence[str]) -> list[Post]:
    """Sets `shown` on each post (one query for the whole page)."""
    by_post: dict[Any, list[PostText]] = {}
    for text in PostText.objects.filter(post__in=[post.pk for post in posts]):
        by_post.setdefault(text.post_id, []).append(text)
    for post in posts:
        post.shown = pick_text(by_post.get(post.pk, []), wanted, post.fallback_language)
    return list(posts)


def region_label(code: str) -> str:
    if not code:
        return ""
    labels = dict(WIPO_REGIONS)
    if code in labels:
        return str(labels[code])
    subdivision = pycountry.subdivisions.get(code=code)
    return subdivision.name if subdivision else code
