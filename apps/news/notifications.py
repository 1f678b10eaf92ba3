"""Telling a topic's followers of a new post, each once, on their MSME's channel and in its language.

Publishing makes a `Notice` row per (post, follower) (unique: a second run makes none) and writes each
follower's message to the outbox (apps.outreach.outbox) in the same transaction, under the key
`news:notice:<post>:<user>`: the post and its notices commit together, and the outbox sends each once after
the commit, later if the broker was down then, again after a temporary failure. A follower with no address on
their channel is recorded skipped (on the notice and in the outbox), and counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.news import selectors
from apps.news.models import Follow, Notice, Post, PostText
from apps.outreach import outbox
from apps.outreach.channels import ELECTRONIC_CHANNELS, OutgoingMessage
from apps.outreach.links import absolute_url
from apps.outreach.recipients import Recipient, msme_address, msme_channel, msme_language, tenant_language
from apps.registry.models import MsmeMember
from apps.tenants.models import OutreachChannel, Tenant

BATCH = 500
SMS_CHANNELS = {OutreachChannel.SMS.value, OutreachChannel.WHATSAPP.value}
SKIP_NO_ADDRESS = "no address on the channel"


@dataclass
class Counts:
    queued: int = 0
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


def message_for(post: Post, texts: list[PostText], recipient: Recipient, preferred: str = "") -> OutgoingMessage:
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
    )


def _followers(post: Post):
    return (
        Follow.objects.filter(topic=post.topic, post__isnull=True, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def follower_count(post: Post) -> int:
    """How many notices publishing the post makes."""
    return _followers(post).count()


def make_notices(post: Post) -> int:
    """One notice per active follower of the post's topic (none again for a follower who has one)."""
    followers = _followers(post)
    notices = [Notice(post=post, user_id=user_id) for user_id in followers]
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    return len(notices)


def notice_key(notice: Notice) -> str:
    return f"news:notice:{notice.post_id}:{notice.user_id}"


def enqueue_notices(post: Post, tenant: Tenant) -> Counts:
    """Make the post's notices and write their messages to the outbox, in the caller's transaction (the
    publishing). Run again, it writes nothing twice. A draft: nothing."""
    counts = Counts()
    if post.status != Post.Status.PUBLISHED:
        return counts
    make_notices(post)
    texts = list(PostText.objects.filter(post=post))
    # The text depends on the channel and the languages only: one rendering per combination, not per follower.
    rendered: dict[tuple[str, str, str], OutgoingMessage] = {}
    # Every field the bulk update below writes is loaded (a deferred one would cost a query per notice).
    # Notices that the runs before the outbox claimed or settled (claimed_at, an outcome) are theirs: a task of
    # theirs redelivered after the deploy must not send them again.
    notices = (
        Notice.objects.filter(post=post, outcome=Notice.Outcome.WAITING, claimed_at__isnull=True)
        .order_by("pk")
        .only("pk", "post_id", "user_id", "channel", "address", "outcome", "detail", "claimed_at")
    )
    last = None
    while chunk := list((notices.filter(pk__gt=last) if last is not None else notices)[:BATCH]):
        last = chunk[-1].pk
        users = {user.pk: user for user in User.objects.filter(pk__in=[n.user_id for n in chunk])}
        members = {}
        for member in MsmeMember.objects.filter(user_id__in=list(users)).select_related("msme").order_by("created_at"):
            members.setdefault(member.user_id, member)
        messages = []
        for notice in chunk:
            user = users.get(notice.user_id)
            member = members.get(notice.user_id)
            recipient = recipient_for(user, member, tenant) if user else None
            notice.channel = recipient.channel if recipient else ""
            notice.address = recipient.address if recipient else ""
            if recipient is None or not recipient.address or recipient.channel not in ELECTRONIC_CHANNELS:
                notice.outcome, notice.detail = Notice.Outcome.SKIPPED, SKIP_NO_ADDRESS
                messages.append(outbox.skipped(notice_key(notice), SKIP_NO_ADDRESS, channel=notice.channel))
                counts.skipped += 1
                continue
            preferred = member.msme.preferred_language if member else ""
            shape = (recipient.channel, recipient.language, preferred)
            if shape not in rendered:
                rendered[shape] = message_for(post, texts, recipient, preferred)
            text = rendered[shape]
            message = OutgoingMessage(
                channel=text.channel, to=recipient.address, subject=text.subject, body=text.body, headers=text.headers
            )
            messages.append(outbox.message_of(notice_key(notice), message, language=recipient.language))
            counts.queued += 1
            counts.by_channel[recipient.channel] += 1
        Notice.objects.bulk_update(chunk, ["channel", "address", "outcome", "detail"])
        outbox.enqueue(messages)
    return counts
