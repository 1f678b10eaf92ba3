from django.db import models

from apps.tenants.fields import TenantForeignKey
from apps.tenants.models import DivisionRoutedModel, TenantOwnedModel


class Widget(TenantOwnedModel):
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="widget_unique_tenant_name")]

    def __str__(self) -> str:
        return self.name


class Gadget(TenantOwnedModel):
    """A part of a widget: the model kit's example (migration 0002 is makemigrations' own, untouched)."""

    widget = TenantForeignKey(Widget, on_delete=models.CASCADE, related_name="gadgets")
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class Ticket(DivisionRoutedModel):
    """A row a tenant owns that may be routed to a WIPO division (as a helpdesk ticket will be)."""

    subject = models.CharField(max_length=100)

    class Meta:
        ordering = ["subject"]

    def __str__(self) -> str:
        return self.subject
