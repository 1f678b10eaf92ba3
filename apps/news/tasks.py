"""The news' Celery task: telling a topic's followers of a post (apps.news.notifications).

Publishing writes the followers' messages to the outbox itself; the task does the same for a post published
before that (a task still in the queue): writing them twice makes no second message.
"""

from __future__ import annotations

from typing import Any

from apps.news.models import Post
from apps.news.notifications import enqueue_notices
from apps.tenants.models import Tenant
from apps.tenants.tasks import tenant_task


@tenant_task(name="news.notify_followers", ignore_result=True, acks_late=True)
def notify_followers(tenant: Tenant, post_id: str) -> dict[str, Any]:
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return {"queued": 0, "skipped": 0}
    counts = enqueue_notices(post, tenant)
    return {"queued": counts.queued, "skipped": counts.skipped}
