"""The Django admin writes tenant-owned rows through the apps' services: in the row's tenant, with the
forms' rules, audited with the platform admin as the actor; a model with no service is read-only there."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from apps.core.roles import Role
from apps.registry.models import IpAsset, Msme
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent, TenantOwnedModel
from tests.factories import (
    AssessmentFactory,
    AuditEventFactory,
    ImportJobFactory,
    IpAssetFactory,
    MsmeFactory,
    MsmeMemberFactory,
    TopicOverlayFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

NO_INLINE_ROWS = {
    "assets-TOTAL_FORMS": "0",
    "assets-INITIAL_FORMS": "0",
    "assets-MIN_NUM_FORMS": "0",
    "assets-MAX_NUM_FORMS": "0",
}


@pytest.fixture
def platform_admin(client):
    # No TOTP enrolled and none required in tests: a forced sign-in passes the admin's MFA check.
    user = user_with_role(Role.PLATFORM_ADMIN)
    client.force_login(user)
    return user


def _msme_form(**changes: object) -> dict:
    form = {
        "name": "Admin-made Enterprise",
        "registration_number": "ADM-0001",
        "sector_isic": "1079",
        "employees": "60",
        "annual_turnover_eur": "",
        "region": "",
        "founded_year": "",
        "email": "",
        "phone": "",
        "website": "",
        "preferred_language": "",
        "preferred_channel": "",
        **NO_INLINE_ROWS,
    }
    form.update(changes)
    return form


def _asset_form(msme: Msme, **changes: object) -> dict:
    form = {
        "msme": str(msme.pk),
        "asset_type": "trademark",
        "jurisdiction": "KE",
        "title": "Admin-made mark",
        "status": "pending",
        "application_number": "",
        "registration_number": "",
        "priority_date": "",
        "filing_date": "",
        "grant_date": "",
        "expiry_date": "",
        "classes": "",
        "owner": "",
        "custodian": "",
        "storage_location": "",
        "notes": "",
    }
    form.update(changes)
    return form


def _events(tenant, **filters) -> list[AuditEvent]:
    with tenant_context(tenant):
        return list(AuditEvent.objects.filter(**filters).select_related("actor"))


# --- Adding asks for the tenant first, then goes through the service ---------------------------------


def test_adding_an_msme_asks_for_the_tenant_first(client, platform_admin, tenant_a, tenant_b):
    url = reverse("admin:registry_msme_add")
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Agency A" in text and "Agency B" in text
    assert 'name="tenant"' in text
    response = client.get(f"{url}?tenant={tenant_a.pk}")
    assert response.status_code == 200
    assert 'name="registration_number"' in response.content.decode()
    # A tenant that does not exist: asked again, not a 500.
    assert client.get(f"{url}?tenant=999999").status_code == 200


def test_an_msme_added_in_the_admin_goes_through_the_service(client, platform_admin, tenant_a, tenant_b):
    url = f"{reverse('admin:registry_msme_add')}?tenant={tenant_a.pk}"
    response = client.post(url, _msme_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(tenant_a):
        msme = Msme.objects.get(registration_number="ADM-0001")
    assert msme.tenant == tenant_a
    assert msme.size_class == "medium"  # 60 employees, the default thresholds
    assert msme.sector_section == "C"
    (event,) = _events(tenant_a, object_id=msme.pk)
    assert (event.action, event.actor, event.channel) == (AuditEvent.Action.CREATE, platform_admin, "admin")
    with tenant_context(tenant_b):
        assert not Msme.objects.exists()


def test_the_admin_checks_registration_numbers_in_the_chosen_tenant(client, platform_admin, tenant_a, tenant_b):
    with tenant_context(tenant_b):
        MsmeFactory(registration_number="ADM-0001")
    with tenant_context(tenant_a):
        MsmeFactory(registration_number="ADM-0002")
    url = f"{reverse('admin:registry_msme_add')}?tenant={tenant_a.pk}"
    response = client.post(url, _msme_form(registration_number="ADM-0002"))
    assert response.status_code == 200
    assert "Another MSME of this agency already has this registration number." in response.content.decode()
    # The same number in another agency is no clash.
    assert client.post(url, _msme_form(registration_number="ADM-0001")).status_code == 302


def test_an_msme_changed_in_the_admin_is_audited_with_its_diff(client, platform_admin, tenant_a):
    with tenant_context(tenant_a):
        msme = MsmeFactory(name="Old Name", registration_number="ADM-0001", employees=5, size_class="micro")
    url = reverse("admin:registry_msme_change", args=[msme.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _msme_form(name="New Name", employees="20"))
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(tenant_a):
        msme.refresh_from_db()
    assert (msme.name, msme.size_class) == ("New Name", "small")
    (event,) = _events(tenant_a, object_id=msme.pk, action=AuditEvent.Action.UPDATE)
    assert event.actor == platform_admin
    assert event.changes["name"] == ["Old Name", "New Name"]
    assert event.changes["size_class"] == ["micro", "small"]


def test_an_msme_deleted_in_the_admin_is_audited(client, platform_admin, tenant_a):
    with tenant_context(tenant_a):
        msme = MsmeFactory()
    response = client.post(reverse("admin:registry_msme_delete", args=[msme.pk]), {"post": "yes"})
    assert response.status_code == 302
    with tenant_context(tenant_a):
        assert not Msme.objects.filter(pk=msme.pk).exists()
    (event,) = _events(tenant_a, object_id=msme.pk)
    assert (event.action, event.actor, event.channel) == (AuditEvent.Action.DELETE, platform_admin, "admin")


def test_msmes_deleted_in_bulk_are_each_audited_in_their_tenant(client, platform_admin, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        msme_a = MsmeFactory()
    with tenant_context(tenant_b):
        msme_b = MsmeFactory()
    response = client.post(
        reverse("admin:registry_msme_changelist"),
        {"action": "delete_selected", "_selected_action": [str(msme_a.pk), str(msme_b.pk)], "post": "yes"},
    )
    assert response.status_code == 302
    for tenant, msme in ((tenant_a, msme_a), (tenant_b, msme_b)):
        with tenant_context(tenant):
            assert not Msme.objects.filter(pk=msme.pk).exists()
        (event,) = _events(tenant, object_id=msme.pk)
        assert (event.action, event.actor, event.channel) == (AuditEvent.Action.DELETE, platform_admin, "admin")


# --- Assets: the form's rules hold in the admin ---------------------------------------------------


def test_an_asset_breaking_a_rule_is_refused_with_the_forms_error(client, platform_admin, tenant_a):
    with tenant_context(tenant_a):
        msme = MsmeFactory()
    url = f"{reverse('admin:registry_ipasset_add')}?tenant={tenant_a.pk}"
    response = client.post(url, _asset_form(msme, asset_type="trade_secret", registration_number="SECRET-1"))
    assert response.status_code == 200
    assert "A trade secret is recorded by its label, custodian and location only" in response.content.decode()
    response = client.post(url, _asset_form(msme, filing_date="2024-05-01", expiry_date="2024-01-01"))
    assert response.status_code == 200
    assert "cannot be before" in response.content.decode()
    with tenant_context(tenant_a):
        assert not IpAsset.objects.exists()
    assert _events(tenant_a) == []


def test_an_asset_added_in_the_admin_goes_through_the_service(client, platform_admin, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        msme = MsmeFactory()
    with tenant_context(tenant_b):
        other = MsmeFactory()
    url = f"{reverse('admin:registry_ipasset_add')}?tenant={tenant_a.pk}"
    # An MSME of another tenant than the chosen one is not a choice.
    response = client.post(url, _asset_form(other))
    assert response.status_code == 200
    with tenant_context(tenant_b):
        assert not IpAsset.objects.exists()
    response = client.post(url, _asset_form(msme, jurisdiction="ke"))
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(tenant_a):
        asset = IpAsset.objects.get()
    assert (asset.msme_id, asset.tenant_id, asset.jurisdiction) == (msme.pk, tenant_a.pk, "KE")
    (event,) = _events(tenant_a, object_id=asset.pk)
    assert (event.action, event.actor) == (AuditEvent.Action.CREATE, platform_admin)


def test_an_asset_changed_and_deleted_in_the_admin_is_audited(client, platform_admin, tenant_a):
    with tenant_context(tenant_a):
        asset = IpAssetFactory(title="Old mark")
    url = reverse("admin:registry_ipasset_change", args=[asset.pk])
    form = _asset_form(asset.msme, title="New mark")
    del form["msme"]  # an asset stays with its MSME
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    (event,) = _events(tenant_a, object_id=asset.pk, action=AuditEvent.Action.UPDATE)
    assert (event.actor, event.changes["title"]) == (platform_admin, ["Old mark", "New mark"])
    response = client.post(reverse("admin:registry_ipasset_delete", args=[asset.pk]), {"post": "yes"})
    assert response.status_code == 302
    (event,) = _events(tenant_a, object_id=asset.pk, action=AuditEvent.Action.DELETE)
    assert event.actor == platform_admin


def test_the_msme_page_shows_its_assets_read_only(client, platform_admin, tenant_a):
    with tenant_context(tenant_a):
        asset = IpAssetFactory(title="Inline mark")
    response = client.get(reverse("admin:registry_msme_change", args=[asset.msme.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Inline mark" in text
    assert 'name="assets-0-title"' not in text


# --- Other tenant-owned models ----------------------------------------------------------------------


def test_an_overlay_corrected_in_the_admin_goes_through_its_service(client, platform_admin, tenant_a):
    with tenant_context(tenant_a):
        overlay = TopicOverlayFactory(office_name="Old office")
    url = reverse("admin:guidance_topicoverlay_change", args=[overlay.pk])
    form = {
        "office_name": "New office",
        "office_url": overlay.office_url,
        "fees": overlay.fees,
        "contacts": overlay.contacts,
        "local_tiscs": overlay.local_tiscs,
        "notes": "",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(tenant_a):
        overlay.refresh_from_db()
    assert (overlay.office_name, overlay.updated_by) == ("New office", platform_admin)


READ_ONLY = [
    ("registry", "msmemember", MsmeMemberFactory),
    ("registry", "importjob", ImportJobFactory),
    ("tenants", "auditevent", AuditEventFactory),
    ("diagnostics", "assessment", AssessmentFactory),
]


@pytest.mark.parametrize(("app", "model", "make"), READ_ONLY, ids=[model for _app, model, _make in READ_ONLY])
def test_models_without_services_are_read_only_in_the_admin(client, platform_admin, tenant_a, app, model, make):
    with tenant_context(tenant_a):
        row = make()
    assert client.get(reverse(f"admin:{app}_{model}_add")).status_code == 403
    assert client.get(f"{reverse(f'admin:{app}_{model}_add')}?tenant={tenant_a.pk}").status_code == 403
    change = reverse(f"admin:{app}_{model}_change", args=[row.pk])
    assert client.get(change).status_code == 200  # shown, not editable
    assert client.post(change, {}).status_code == 403
    assert client.post(reverse(f"admin:{app}_{model}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    with tenant_context(tenant_a):
        assert type(row).objects.filter(pk=row.pk).exists()


# --- Ratchet ---------------------------------------------------------------------------------------


def test_every_admin_of_a_tenant_owned_model_goes_through_tenant_owned_admin():
    from apps.tenants.admin_base import TenantOwnedAdmin

    tenant_owned = {model for model in admin.site._registry if issubclass(model, TenantOwnedModel)}
    assert tenant_owned, "no tenant-owned model is registered in the admin"
    offenders = sorted(
        model._meta.label for model in tenant_owned if not isinstance(admin.site._registry[model], TenantOwnedAdmin)
    )
    assert offenders == [], f"admins of tenant-owned models that write around the services: {offenders}"


def test_a_platform_admin_correcting_an_identity_keeps_the_msme_verified(client, platform_admin, tenant_a):
    with tenant_context(tenant_a):
        msme = MsmeFactory(name="Typo Ltd", registration_number="ADM-0001", verification=Msme.Verification.VERIFIED)
    response = client.post(reverse("admin:registry_msme_change", args=[msme.pk]), _msme_form(name="Right Ltd"))
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(tenant_a):
        msme.refresh_from_db()
    assert (msme.name, msme.verification) == ("Right Ltd", Msme.Verification.VERIFIED)


def test_a_services_refusal_comes_back_as_a_message_not_a_500(client, platform_admin, tenant_a, monkeypatch):
    from django.core.exceptions import ValidationError

    from apps.registry.admin import MsmeAdmin

    def refuse(**kwargs):
        raise ValidationError("Refused by the service.")

    monkeypatch.setattr(MsmeAdmin, "create_service", refuse)
    url = f"{reverse('admin:registry_msme_add')}?tenant={tenant_a.pk}"
    response = client.post(url, _msme_form(), follow=True)
    assert response.status_code == 200
    assert "Refused by the service." in response.content.decode()
    with tenant_context(tenant_a):
        assert not Msme.objects.exists()


def test_a_tenant_owned_admin_declares_its_services():
    from django.core.exceptions import ImproperlyConfigured

    from apps.tenants.admin_base import TenantOwnedAdmin

    class Undeclared(TenantOwnedAdmin):
        create_service = None

    with pytest.raises(ImproperlyConfigured, match="update_service, delete_service"):
        Undeclared(Msme, admin.site)


def test_every_tenant_owned_admin_lists_and_shows_rows_of_every_tenant(client, platform_admin, tenant_a, tenant_b):
    from tests.factories import TENANT_OWNED_FACTORIES

    rows = []
    for model in [m for m in admin.site._registry if issubclass(m, TenantOwnedModel)]:
        for tenant in (tenant_a, tenant_b):
            with tenant_context(tenant):
                rows.append(TENANT_OWNED_FACTORIES[model._meta.label]())
    for row in rows:
        opts = row._meta
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
        assert response.status_code == 200, opts.label


def test_the_msme_lookup_of_a_new_asset_lists_the_chosen_tenants_msmes(client, platform_admin, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        MsmeFactory(name="Enterprise of A")
    with tenant_context(tenant_b):
        MsmeFactory(name="Enterprise of B")
    response = client.get(f"{reverse('admin:registry_ipasset_add')}?tenant={tenant_a.pk}")
    lookup = f"tenant__id__exact={tenant_a.pk}"
    assert lookup in response.content.decode()
    response = client.get(f"{reverse('admin:registry_msme_changelist')}?{lookup}&_to_field=id&_popup=1")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Enterprise of A" in text and "Enterprise of B" not in text


def test_save_and_add_another_stays_with_the_agency(client, platform_admin, tenant_a):
    url = f"{reverse('admin:registry_msme_add')}?tenant={tenant_a.pk}"
    response = client.post(url, {**_msme_form(), "_addanother": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"tenant={tenant_a.pk}")
    assert 'name="registration_number"' in client.get(response["Location"]).content.decode()
