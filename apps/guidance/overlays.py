"""National overlays of the guidance topics: an agency's office, fees, contacts and local TISCs.

Agency staff edit their own tenant's overlay; everyone may read any agency's overlay, each read in
that agency's tenant context (never `unscoped`), so the scoped manager and row-level security apply.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin
from apps.guidance.models import TopicOverlay
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant


class TopicOverlayForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = TopicOverlay
        fields = ["office_name", "office_url", "fees", "contacts", "local_tiscs", "notes"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in ("fees", "contacts", "local_tiscs", "notes")}
        help_texts = {
            "office_url": _("The official page of your office, starting with https://"),
            "fees": _("Your office's fees for this kind of right, with the schedule they come from and its date."),
            "contacts": _("Plain text: addresses, telephone numbers, e-mail addresses, opening hours."),
            "local_tiscs": _("Technology and Innovation Support Centers in your country: name, town, contact."),
        }


def overlay_for(tenant: Tenant | None, topic: str) -> TopicOverlay | None:
    """`tenant`'s overlay of `topic`, read inside that tenant's context; None without one."""
    if tenant is None:
        return None
    with tenant_context(tenant):
        return TopicOverlay.objects.filter(topic=topic).first()


def save_overlay(*, tenant: Tenant, topic: str, form: TopicOverlayForm, user: Any) -> TopicOverlay:
    """Create or update `tenant`'s overlay of `topic` from a valid form (two staff saving the first
    version at once: update_or_create turns the second insert into an update)."""
    fields = {name: form.cleaned_data[name] for name in TopicOverlayForm.Meta.fields}
    with tenant_context(tenant):
        overlay, _created = TopicOverlay.objects.update_or_create(topic=topic, defaults={**fields, "updated_by": user})
        return overlay


def agencies() -> list[Tenant]:
    """The agencies a visitor can pick on a topic page (tenants are public: name and country)."""
    return list(Tenant.objects.filter(is_active=True).order_by("name"))
