"""Telling a topic's followers of a new post, each once, on their MSME's channel and in its language.

A `Notice` row per (post, follower) is made first (unique: a second run makes none); each run then claims the
notices no run has stamped yet (`claim_unstamped`), commits the stamp, and only then sends. A worker killed
after its claim loses those messages rather than sending them twice: a notification is a courtesy, and a
duplicate is worse than a gap (the post is on the pages either way).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.claims import claim_unstamped
from apps.news import selectors
from apps.news.models import Follow, Notice, Post, PostText
from apps.outreach.channels import ELECTRONIC_CHANNELS, Outcome, OutgoingMessage, send_batch
from apps.outreach.links import absolute_url
from apps.outreach.recipients import Recipient, msme_address, msme_channel, msme_language, tenant_language
from apps.registry.models import MsmeMember
from apps.tenants.models import OutreachChannel, Tenant

BATCH = 200
SMS_CHANNELS = {OutreachChannel.SMS.value, OutreachChannel.WHATSAPP.value}


@dataclass
class Counts:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    by_channel: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def recipient_for(user: User, member: MsmeMember | None, tenant: Tenant) -> Recipient:
    """A follower on their MSME's channel and in its language (e-mail at their own address); a follower with no
    MSME by e-mail in the agency's language."""
    if member is None:
        return Recipient(OutreachChannel.EMAIL.value, user.email, tenant_language(tenant), user)
    msme = member.msme
    channel = msme_channel(msme, tenant)
    address = user.email if channel == OutreachChannel.EMAIL else msme_address(msme, channel)
    return Recipient(channel, address, msme_language(msme, tenant), user)


def message_for(
    post: Post, texts: list[PostText], recipient: Recipient, notice: Notice, preferred: str = ""
) -> OutgoingMessage:
    """The post's text in the MSME's own language where it is written in it (Swahili, say, which the portal's
    words are not in), else in the recipient's; the portal's words in the recipient's language."""
    wanted = [language for language in (preferred, recipient.language) if language]
    shown = selectors.pick_text(texts, wanted, post.fallback_language)
    url = absolute_url(reverse("news:post", args=[post.pk]))
    with translation.override(recipient.language):
        topic = selectors.topic_title(post.topic, recipient.language)
        if post.kind == Post.Kind.CONSULTATION:
            subject = _("New consultation on %(topic)s: %(title)s") % {"topic": topic, "title": shown.title}
        else:
            subject = _("News on %(topic)s: %(title)s") % {"topic": topic, "title": shown.title}
        if recipient.channel in SMS_CHANNELS:
            body = f"{subject}\n{url}"
        else:
            lines = [shown.title, "", shown.summary or "", "", _("Read it: %(url)s") % {"url": url}, ""]
            lines.append(
                _("You receive this because you follow %(topic)s on the portal; stop following it on the news page.")
                % {"topic": topic}
            )
            body = "\n".join(line for line in lines if line is not None)
    return OutgoingMessage(
        channel=recipient.channel,
        to=recipient.address,
        subject=subject[:200],
        body=body,
        headers={"Auto-Submitted": "auto-generated"} if recipient.channel == OutreachChannel.EMAIL else {},
        reference=str(notice.pk),
    )


def make_notices(post: Post) -> int:
    """One notice per active follower of the post's topic (none again for a follower who has one)."""
    followers = (
        Follow.objects.filter(topic=post.topic, post__isnull=True, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    notices = [Notice(post=post, user_id=user_id) for user_id in followers]
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    return len(notices)


def _claim(post: Post) -> list[Notice]:
    with transaction.atomic():
        return claim_unstamped(
            Notice.objects.filter(post=post).order_by("created_at", "id"),
            stamp_field="claimed_at",
            now=timezone.now(),
            limit=BATCH,
            fields=("pk", "user_id"),
        )


def notify_post(tenant: Tenant, post_id: Any) -> Counts:
    """Sends the post's notices no run has claimed yet, batch by batch; a draft or a deleted post: none."""
    counts = Counts()
    with transaction.atomic():
        post = Post.objects.filter(pk=post_id, status=Post.Status.PUBLISHED).first()
        if post is None:
            return counts
        make_notices(post)
        texts = list(PostText.objects.filter(post=post))
    while claimed := _claim(post):
        users = {user.pk: user for user in User.objects.filter(pk__in=[n.user_id for n in claimed])}
        members = {}
        for member in MsmeMember.objects.filter(user_id__in=list(users)).select_related("msme").order_by("created_at"):
            members.setdefault(member.user_id, member)
        by_channel: dict[str, list[tuple[Notice, OutgoingMessage]]] = defaultdict(list)
        for notice in claimed:
            user = users.get(notice.user_id)
            recipient = recipient_for(user, members.get(notice.user_id), tenant) if user else None
            notice.channel = recipient.channel if recipient else ""
            notice.address = recipient.address if recipient else ""
            if recipient is None or not recipient.address or recipient.channel not in ELECTRONIC_CHANNELS:
                notice.outcome, notice.detail = Notice.Outcome.SKIPPED, "no address on the channel"
                counts.skipped += 1
                continue
            member = members.get(notice.user_id)
            preferred = member.msme.preferred_language if member else ""
            by_channel[recipient.channel].append((notice, message_for(post, texts, recipient, notice, preferred)))
        for channel, pairs in by_channel.items():
            results = send_batch(channel, [message for _notice, message in pairs])
            for (notice, _message), result in zip(pairs, results, strict=True):
                # A temporary failure is not tried again: the notice is claimed, and the post is on the pages.
                notice.outcome = Notice.Outcome.SENT if result.outcome == Outcome.SENT else Notice.Outcome.FAILED
                notice.detail = result.detail[:255]
                if notice.outcome == Notice.Outcome.SENT:
                    counts.sent += 1
                    counts.by_channel[channel] += 1
                else:
                    counts.failed += 1
        with transaction.atomic():
            Notice.objects.bulk_update(claimed, ["channel", "address", "outcome", "detail"])
    return counts
