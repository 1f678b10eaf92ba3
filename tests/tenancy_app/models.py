from django.db import models

from apps.tenants.models import TenantOwnedModel


class Widget(TenantOwnedModel):
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="widget_unique_tenant_name")]

    def __str__(self) -> str:
        return self.name
