"""The Django admin of tenant-owned models: every write goes through the app's services.

The admin runs for platform admins inside `unscoped(...)` (apps.tenants.middleware), which lets its
lists span every tenant. A write must not: it is validated and saved inside the row's own tenant
context, by the service that writes that row everywhere else (so the audit trail, computed fields
and the forms' rules hold), with the platform admin as the actor.

Each admin declares its services, explicitly: `create_service`, `update_service` and
`delete_service` are callables taking keyword arguments (built by `create_kwargs`, `update_kwargs`
and `delete_kwargs`), or None where the app has no such service, and then the admin refuses that
operation. `TenantOwnedReadOnlyAdmin` declares all three None.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import Channel, audit_context
from apps.tenants.context import get_active_tenant, require_active_tenant, tenant_context
from apps.tenants.models import Tenant, TenantOwnedModel

Service = Callable[..., Any]
SERVICE_NAMES = ("create_service", "update_service", "delete_service")
# The query parameter of an add page that names the tenant the new row is made in.
TENANT_PARAM = "tenant"
# The changelist filter a raw-id lookup pop-up is opened with: the rows of the tenant being written in.
TENANT_LOOKUP = "tenant__id__exact"


class ChooseTenantForm(forms.Form):
    tenant = forms.ModelChoiceField(queryset=Tenant.objects.order_by("name"), label=gettext_lazy("Agency"))


def _adopt(obj: models.Model, saved: models.Model) -> None:
    """Make `obj` (the admin's instance, which the rest of the admin view holds) the row a service saved."""
    if saved is obj:
        return
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db
    obj._state.fields_cache = dict(saved._state.fields_cache)
    if hasattr(saved, "_loaded_tenant_id"):
        obj._loaded_tenant_id = saved._loaded_tenant_id


class TenantRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id field to a tenant-owned row: its lookup pop-up lists the rows of one tenant."""

    def __init__(self, rel: Any, admin_site: admin.AdminSite, *, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(rel, admin_site, **kwargs)
        self.tenant_id = tenant.pk

    def base_url_parameters(self) -> dict[str, str]:
        return {**super().base_url_parameters(), TENANT_LOOKUP: str(self.tenant_id)}


class TenantOwnedAdmin(admin.ModelAdmin):
    """The base of the admin of every tenant-owned model (a test holds every such admin to it)."""

    # Declared by each subclass (None: the app has no such service, and the admin refuses it).
    create_service: Service | None
    update_service: Service | None
    delete_service: Service | None

    def __init__(self, model: type[models.Model], admin_site: admin.AdminSite) -> None:
        missing = [name for name in SERVICE_NAMES if not hasattr(type(self), name)]
        if missing:
            raise ImproperlyConfigured(
                f"{type(self).__name__} must declare {', '.join(missing)} (None where the app has no service)."
            )
        super().__init__(model, admin_site)

    def _service(self, name: str) -> Service | None:
        # Read from the class: a plain function stored on it must not be bound to the admin.
        return getattr(type(self), name)

    # --- The services' arguments (override where a service takes others) -------------------------

    def service_data(self, form: ModelForm) -> dict[str, Any]:
        """The form's cleaned values of the model's own fields."""
        names = {field.name for field in self.model._meta.concrete_fields if field.name != "tenant"}
        return {name: value for name, value in form.cleaned_data.items() if name in names}

    def create_kwargs(self, request: HttpRequest, obj: models.Model, form: ModelForm) -> dict[str, Any]:
        return {"tenant": require_active_tenant(), "data": self.service_data(form), "actor": request.user}

    def update_kwargs(self, request: HttpRequest, obj: models.Model, form: ModelForm) -> dict[str, Any]:
        return {self.model._meta.model_name: obj, "data": self.service_data(form), "actor": request.user}

    def delete_kwargs(self, request: HttpRequest, obj: models.Model) -> dict[str, Any]:
        return {self.model._meta.model_name: obj, "actor": request.user}

    def form_kwargs(self, request: HttpRequest, tenant: Tenant) -> dict[str, Any]:
        """Extra keyword arguments of the form (e.g. the tenant a form checks against)."""
        return {}

    # --- Permissions: no service, no such write ---------------------------------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._service("create_service") is not None and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._service("update_service") is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._service("delete_service") is not None and super().has_delete_permission(request, obj)

    # --- Views: each write inside the row's tenant ------------------------------------------------

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        if not self.has_add_permission(request):
            return super().add_view(request, form_url, extra_context)  # the admin's own refusal
        chooser = ChooseTenantForm(request.GET if TENANT_PARAM in request.GET else None)
        if not chooser.is_valid():
            return self._choose_tenant(request, chooser)
        tenant = chooser.cleaned_data["tenant"]
        context = {**(extra_context or {}), "subtitle": tenant.name}
        with tenant_context(tenant):
            return super().add_view(request, form_url, context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        tenant = self._tenant_of(request, object_id)
        if tenant is None:
            return super().change_view(request, object_id, form_url, extra_context)
        with tenant_context(tenant):
            return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        tenant = self._tenant_of(request, object_id)
        if tenant is None:
            return super().delete_view(request, object_id, extra_context)
        with tenant_context(tenant):
            return super().delete_view(request, object_id, extra_context)

    def _tenant_of(self, request: HttpRequest, object_id: str) -> Tenant | None:
        obj = self.get_object(request, unquote(object_id))
        return obj.tenant if obj is not None else None

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # A service's refusal that the form did not foresee (rolled back by the admin's
            # transaction): a message on the same page, never a 500.
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(request.get_full_path())

    def _choose_tenant(self, request: HttpRequest, chooser: ChooseTenantForm) -> HttpResponse:
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add %(name)s") % {"name": opts.verbose_name},
            "subtitle": _("Choose the agency first"),
            "opts": opts,
            "form": chooser,
        }
        return TemplateResponse(request, "admin/core/choose_tenant.html", context)

    def get_form(self, request: HttpRequest, obj: models.Model | None = None, change: bool = False, **kwargs: Any):
        form_class = super().get_form(request, obj, change, **kwargs)
        # Instantiated only inside the row's tenant (add_view, change_view).
        tenant = get_active_tenant()
        extra = self.form_kwargs(request, tenant) if tenant is not None else {}
        if not extra:
            return form_class
        return type(
            form_class.__name__, (form_class,), {"__init__": functools.partialmethod(form_class.__init__, **extra)}
        )

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        tenant = get_active_tenant()
        if (
            tenant is not None
            and "widget" not in kwargs
            and db_field.name in self.raw_id_fields
            and issubclass(db_field.related_model, TenantOwnedModel)
        ):
            kwargs["widget"] = TenantRawIdWidget(
                db_field.remote_field, self.admin_site, tenant=tenant, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        return lookup == TENANT_LOOKUP or super().lookup_allowed(lookup, value, request)

    def response_add(
        self, request: HttpRequest, obj: models.Model, post_url_continue: str | None = None
    ) -> HttpResponse:
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST and TENANT_PARAM in request.GET and response.status_code == 302:
            # The next row is most likely for the same agency.
            separator = "&" if "?" in response["Location"] else "?"
            response["Location"] += separator + urlencode({TENANT_PARAM: request.GET[TENANT_PARAM]})
        return response

    # --- Saving and deleting through the services -------------------------------------------------

    def save_model(self, request: HttpRequest, obj: models.Model, form: ModelForm, change: bool) -> None:
        # The services record their audit events as done through the admin.
        with audit_context(channel=Channel.ADMIN):
            if change:
                saved = self._service("update_service")(**self.update_kwargs(request, obj, form))
            else:
                saved = self._service("create_service")(**self.create_kwargs(request, obj, form))
        if isinstance(saved, models.Model):
            _adopt(obj, saved)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: list, change: bool) -> None:
        # The services saved the row whole; inlines are read-only (TenantOwnedInline).
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        if any(inline_form.has_changed() for inline_form in formset.forms) or formset.deleted_forms:
            raise ImproperlyConfigured("Inlines of a tenant-owned admin are read-only: edit the row in its own admin.")
        # What the admin's change message reads after a formset's save.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with audit_context(channel=Channel.ADMIN):
            self._service("delete_service")(**self.delete_kwargs(request, obj))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # The bulk action: one service call per row, each in its own tenant.
        with transaction.atomic():
            for obj in queryset.select_related("tenant"):
                with tenant_context(obj.tenant):
                    self.delete_model(request, obj)


class TenantOwnedReadOnlyAdmin(TenantOwnedAdmin):
    """A tenant-owned model whose app has no service to write it: shown in the admin, never written there."""

    create_service = None
    update_service = None
    delete_service = None


class TenantOwnedInline(admin.TabularInline):
    """Rows of a tenant-owned model shown on their parent's page, read-only: they are written through
    their own admin (and so their services)."""

    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False
