"""The registry's answers to what the apps below it announce (connected in RegistryConfig.ready())."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from apps.registry import services
from apps.tenants.models import Tenant
from apps.tenants.signals import size_thresholds_changed


@receiver(size_thresholds_changed, dispatch_uid="registry-recompute-size-classes")
def recompute_size_classes(sender: Any, tenant: Tenant, **kwargs: Any) -> None:
    # The stored size classes follow the tenant's thresholds (in the same transaction).
    services.tenant_recompute_size_classes(tenant=tenant)
