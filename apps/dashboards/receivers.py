"""The statistics follow the registry: a deleted MSME's fact is marked, for the next run to take it out."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from apps.dashboards.models import MsmeFact
from apps.registry.models import Msme


@receiver(post_delete, sender=Msme, dispatch_uid="dashboards-mark-deleted-msme")
def mark_deleted_msme(sender: Any, instance: Msme, **kwargs: Any) -> None:
    # In the deletion's transaction and tenant: rolled back with it.
    MsmeFact.objects.filter(pk=instance.pk).update(msme_deleted=True)
