"""The news' Celery task: telling a topic's followers of a new post (apps.news.notifications)."""

from __future__ import annotations

from typing import Any

from apps.news.notifications import notify_post
from apps.tenants.models import Tenant
from apps.tenants.tasks import tenant_task


@tenant_task(
    name="news.notify_followers",
    commits_as_it_goes="each batch of notices is claimed and committed before it is sent, so none is sent twice",
    ignore_result=True,
    acks_late=True,
)
def notify_followers(tenant: Tenant, post_id: str) -> dict[str, Any]:
    counts = notify_post(tenant, post_id)
    return {"sent": counts.sent, "failed": counts.failed, "skipped": counts.skipped}
