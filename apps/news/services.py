"""Every write of the news: posts (with their text per language), publishing (which tells the topic's
followers on commit), follows, comments and their moderation. Each records its audit event."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.audit import diff, snapshot
from apps.news import notifications, rules
from apps.news.models import Comment, Follow, Post, PostText
from apps.outreach import outbox
from apps.tenants import audit
from apps.tenants.context import require_active_tenant
from apps.tenants.tasks import enqueue_for_tenant

logger = logging.getLogger(__name__)

POST_FIELDS = ("kind", "topic", "region", "closes_on", "fallback_language")
TEXT_FIELDS = ("title", "summary", "body")
# The most comments one bulk decision takes (a page of the queue).
BULK_LIMIT = 100
# Why a follower's notice not sent yet was withdrawn.
POST_DELETED = "the post was deleted before the notice went out"


def _user(actor: Any) -> Any:
    """The user behind an actor (a request's actor) or the user itself (the admin's)."""
    return getattr(actor, "user", actor)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _check_post(data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    tenant = require_active_tenant()
    languages = rules.post_languages(tenant.languages or [])
    texts = {language: dict(text) for language, text in (data.get("texts") or {}).items()}
    _raise(
        rules.post_errors(
            kind=data.get("kind", ""),
            topic=data.get("topic", ""),
            region=data.get("region", ""),
            closes_on=data.get("closes_on"),
            fallback_language=data.get("fallback_language", ""),
            texts=texts,
            languages=languages,
            country=tenant.country,
        )
    )
    return {
        language: {key: text.get(key, "").strip() for key in TEXT_FIELDS}
        for language, text in texts.items()
        if any(text.get(key, "").strip() for key in TEXT_FIELDS)
    }


def _write_texts(post: Post, texts: Mapping[str, Mapping[str, str]]) -> dict[str, list[Any]]:
    """Makes the post's texts what `texts` says (a language left empty is removed); the changes, by
    `<language>.<field>`, for the post's audit event."""
    changes: dict[str, list[Any]] = {}
    existing = {text.language: text for text in PostText.objects.filter(post=post)}
    for language, values in texts.items():
        text = existing.pop(language, None)
        before = {key: getattr(text, key) for key in TEXT_FIELDS} if text else {}
        if text is None:
            text = PostText(post=post, language=language)
        for key in TEXT_FIELDS:
            setattr(text, key, values[key])
        after = {key: values[key] for key in TEXT_FIELDS}
        if before != after:
            text.save()
            for key, pair in diff(before, after).items():
                changes[f"{language}.{key}"] = pair
    for language, text in existing.items():
        text.delete()
        changes[f"{language}.title"] = [text.title, None]
    return changes


def _post_values(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in POST_FIELDS}
    values["region"] = values["region"] or ""
    if values["kind"] != Post.Kind.CONSULTATION:
        values["closes_on"] = None  # only a consultation closes
    return values


@transaction.atomic
def post_create(*, actor: Any, data: Mapping[str, Any]) -> Post:
    """A draft: `data` holds the post's fields and `texts`, {language: {title, summary, body}}."""
    texts = _check_post(data)
    post = Post(**_post_values(data), author=_user(actor))
    post.save()
    _write_texts(post, texts)
    changes = snapshot(post)
    changes["languages"] = sorted(texts)
    audit.record(instance=post, action="create", actor=actor, changes=changes)
    return post


@transaction.atomic
def post_update(*, actor: Any, post: Post, data: Mapping[str, Any]) -> Post:
    texts = _check_post(data)
    before = snapshot(post)
    for name, value in _post_values(data).items():
        setattr(post, name, value)
    post.updated_at = timezone.now()
    post.save()
    changes = {name: pair for name, pair in diff(before, snapshot(post)).items() if name != "updated_at"}
    changes.update(_write_texts(post, texts))
    audit.record(instance=post, action="update", actor=actor, changes=changes)
    return post


@transaction.atomic
def post_publish(*, actor: Any, post: Post) -> Post:
    """Publishes a draft (once: publishing again changes nothing) and tells the topic's followers after the
    commit."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.is_published:
        return post
    post.status = Post.Status.PUBLISHED
    post.published_at = timezone.now()
    post.save(update_fields=["status", "published_at"])
    audit.record(
        instance=post,
        action="publish",
        actor=actor,
        changes={
            "status": [Post.Status.DRAFT, Post.Status.PUBLISHED],
            "published_at": [None, post.published_at.isoformat()],
        },
    )
    # The followers' messages commit with the post and are sent after (apps.outreach.outbox): a broker that is
    # down at the commit delays them, the outbox's beat sweep sends them. Many followers: a task writes them.
    if notifications.follower_count(post) <= outbox.FANOUT_IN_REQUEST:
        notifications.enqueue_notices(post, require_active_tenant())
    else:
        Post.objects.filter(pk=post.pk).update(notices_pending_at=timezone.now())
        from apps.news.tasks import notify_followers  # apps.news.tasks imports notifications, not this module

        enqueue_for_tenant(notify_followers, str(post.pk))  # on commit
    return post


@transaction.atomic
def post_delete(*, post: Post, actor: Any = None) -> None:
    """Deletes the post; its followers' notices not sent yet are withdrawn (they would link to nothing)."""
    audit.record(instance=post, action="delete", actor=actor, changes=snapshot(post))
    outbox.withdraw([f"news:notice:{post.pk}:"], POST_DELETED)
    post.delete()


# --- Follows -----------------------------------------------------------------------------------------------


@transaction.atomic
def follow_set(*, actor: Any, follow: bool, topic: str = "", post: Post | None = None) -> Follow | None:
    """Follows (or stops following) a topic or a post; the same twice changes nothing. Returns the follow made
    or removed, or None when there was nothing to do."""
    if (post is None) == (not topic):
        raise ValueError("A follow is of a topic or of a post.")
    if topic:
        _raise(rules.topic_errors(topic))
    lookup = {"user": _user(actor), "topic": "" if post else topic, "post": post}
    if follow:
        try:
            with transaction.atomic():
                made, created = Follow.objects.get_or_create(**lookup)
        except IntegrityError:
            # A concurrent request (a double submit) made the same follow between the look-up and the insert.
            return None
        if not created:
            return None
        audit.record(instance=made, action="create", actor=actor, changes=snapshot(made))
        return made
    existing = Follow.objects.filter(**lookup).first()
    # A concurrent unfollow may have deleted it meanwhile: only the request that deletes the row records it.
    if existing is None or not Follow.objects.filter(pk=existing.pk).delete()[0]:
        return None
    audit.record(instance=existing, action="delete", actor=actor, changes=snapshot(existing))
    return existing


# --- Comments ----------------------------------------------------------------------------------------------


def recent_comment_count(user: Any, now: datetime.datetime | None = None) -> int:
    """How many comments `user` wrote in the tenant in the last hour (the rate limit's count)."""
    since = (now or timezone.now()) - datetime.timedelta(hours=1)
    return Comment.objects.filter(author=user, created_at__gte=since).count()


@transaction.atomic
def comment_create(*, actor: Any, post: Post, body: str) -> Comment:
    """A member's comment, waiting for moderation. Refused when the post does not take comments (a draft, a
    closed consultation) or the member wrote too many in the last hour."""
    user = _user(actor)
    if not post.is_open():
        raise ValidationError({"body": [rules.closed_message()]})
    _raise(rules.comment_errors(body=body, recent_comments=recent_comment_count(user)))
    # Without a full name, no name: the pages show "A member" (never a part of the e-mail address, which every
    # member of the tenant would read).
    name = (getattr(user, "full_name", "") or "").strip()
    comment = Comment.objects.create(post=post, author=user, author_name=name[:200], body=body.strip())
    audit.record(instance=comment, action="create", actor=actor, changes=snapshot(comment))
    return comment


@transaction.atomic
def comment_moderate(*, actor: Any, comment: Comment, approve: bool) -> Comment:
    """Approves (shown under the post) or rejects a comment; a decision can be changed later."""
    before = snapshot(comment)
    comment.status = Comment.Status.APPROVED if approve else Comment.Status.REJECTED
    comment.moderated_by = _user(actor)
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderated_by", "moderated_at"])
    audit.record(instance=comment, action="moderate", actor=actor, changes=diff(before, snapshot(comment)))
    return comment


@transaction.atomic
def comments_moderate(*, actor: Any, comments: Sequence[Comment], approve: bool) -> int:
    """The same decision on several comments (at most BULK_LIMIT), each recorded as comment_moderate does."""
    if len(comments) > BULK_LIMIT:
        raise ValidationError({"ids": [rules.bulk_message(BULK_LIMIT)]})
    for comment in comments:
        comment_moderate(actor=actor, comment=comment, approve=approve)
    return len(comments)
