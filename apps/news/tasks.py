"""The news' Celery task: telling a topic's followers of a post (apps.news.notifications).

Publishing writes the followers' messages to the outbox itself when they are few; for a post with many
followers (and for a post published before the outbox, a task still in the queue) the task writes them:
writing them twice makes no second message.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from apps.news.models import Post
from apps.news.notifications import enqueue_notices
from apps.outreach import outbox
from apps.tenants.models import Tenant
from apps.tenants.tasks import enqueue_for_tenant, tenant_task


@tenant_task(name="news.notify_followers", ignore_result=True, acks_late=True)
def notify_followers(tenant: Tenant, post_id: str) -> dict[str, Any]:
    """The followers' notices of a post with many (its publishing marked it): written, and the mark cleared."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return {"queued": 0, "skipped": 0}
    counts = enqueue_notices(post, tenant)
    Post.objects.filter(pk=post.pk).update(notices_pending_at=None)
    return {"queued": counts.queued, "skipped": counts.skipped}


def queue_pending_notices(tenant: Tenant) -> int:
    """The outbox sweep's hook: a task for each post whose mark no task has cleared for a while (the broker was
    down at the commit, the worker died); the mark is stamped again, so the next sweep waits for this task."""
    now = timezone.now()
    stale = now - timedelta(seconds=outbox.FANOUT_RETRY_AFTER_SECONDS)
    marked = list(Post.objects.filter(notices_pending_at__lt=stale).values_list("pk", flat=True)[:100])
    for post_id in marked:
        Post.objects.filter(pk=post_id).update(notices_pending_at=now)
        enqueue_for_tenant(notify_followers, str(post_id))
    return len(marked)
