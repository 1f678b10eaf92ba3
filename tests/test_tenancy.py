"""The tenant wall in the ORM and the request: scoped manager, stamping, context, middleware, tasks."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models, transaction
from django.urls import reverse

from apps.core.roles import Role
from apps.tenants.context import (
    NoActiveTenant,
    get_active_tenant,
    is_unscoped,
    tenant_context,
    unscoped,
)
from apps.tenants.managers import TenantScopedManager
from apps.tenants.models import Membership, Tenant, TenantMismatch, TenantOwnedModel
from apps.tenants.selectors import SESSION_KEY
from apps.tenants.tasks import enqueue_for_tenant
from tests.factories import MembershipFactory, TenantFactory, UserFactory
from tests.tenancy_app.models import Widget
from tests.tenancy_app.tasks import widget_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def widgets(tenant_a, tenant_b):
    """Two widgets in tenant A, one in tenant B."""
    with tenant_context(tenant_a):
        loom = Widget.objects.create(name="loom")
        kiln = Widget.objects.create(name="kiln")
    with tenant_context(tenant_b):
        press = Widget.objects.create(name="press")
    return {"loom": loom, "kiln": kiln, "press": press}


# --- The scoped manager --------------------------------------------------------------------


def test_scoped_manager_raises_without_an_active_tenant(widgets):
    assert get_active_tenant() is None
    with pytest.raises(NoActiveTenant):
        Widget.objects.count()
    with pytest.raises(NoActiveTenant):
        list(Widget.objects.filter(name="press"))
    with pytest.raises(NoActiveTenant):
        Widget.objects.get(pk=widgets["press"].pk)


def test_scoped_manager_returns_only_the_active_tenants_rows(widgets, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        assert sorted(Widget.objects.values_list("name", flat=True)) == ["kiln", "loom"]
        assert not Widget.objects.filter(pk=widgets["press"].pk).exists()
        with pytest.raises(Widget.DoesNotExist):
            Widget.objects.get(pk=widgets["press"].pk)
    with tenant_context(tenant_b):
        assert list(Widget.objects.values_list("name", flat=True)) == ["press"]


def test_unscoped_sees_every_tenant_and_says_why(widgets, tenant_a):
    with pytest.raises(ValueError), unscoped(""):
        pass
    with unscoped("test: counting every tenant's widgets"):
        assert is_unscoped()
        assert Widget.objects.count() == 3
    assert not is_unscoped()
    with tenant_context(tenant_a), unscoped("test: from inside a tenant"):
        assert Widget.objects.count() == 3


def test_save_stamps_the_active_tenant(tenant_a):
    with tenant_context(tenant_a):
        widget = Widget(name="anvil")
        widget.save()
        assert widget.tenant_id == tenant_a.pk
        created = Widget.objects.create(name="bellows")
    assert created.tenant_id == tenant_a.pk
    with unscoped("test"):
        assert Widget.objects.get(pk=widget.pk).tenant_id == tenant_a.pk


def test_save_without_a_tenant_refuses_to_guess():
    with pytest.raises(NoActiveTenant):
        Widget(name="orphan").save()
    with unscoped("test: unscoped is not a tenant"), pytest.raises(NoActiveTenant):
        Widget(name="orphan").save()


def test_saving_another_tenants_row_while_a_tenant_is_active_raises(widgets, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        press = widgets["press"]  # tenant B's, loaded before
        press.name = "stolen"
        with pytest.raises(TenantMismatch):
            press.save()
        with pytest.raises(TenantMismatch):
            Widget(name="planted", tenant=tenant_b).save()
        with pytest.raises(TenantMismatch):
            Widget.objects.create(name="planted", tenant=tenant_b)
    with unscoped("test"):
        assert Widget.objects.get(pk=press.pk).name == "press"
        assert not Widget.objects.filter(name__in=["stolen", "planted"]).exists()


def test_deleting_another_tenants_row_while_a_tenant_is_active_raises(widgets, tenant_a, tenant_b):
    press = widgets["press"]  # tenant B's, e.g. reached through a related object
    with tenant_context(tenant_a), pytest.raises(TenantMismatch):
        press.delete()
    with tenant_context(tenant_a):
        assert Widget.objects.filter(pk=widgets["press"].pk).delete() == (0, {})
    with unscoped("test"):
        assert Widget.objects.filter(pk=press.pk).exists()
    with tenant_context(tenant_b):
        press.delete()
        assert not Widget.objects.exists()


def test_moving_a_row_to_another_tenant_raises_on_save(widgets, tenant_a, tenant_b):
    with unscoped("test: even the escape hatch cannot move a row"):
        loom = Widget.objects.get(pk=widgets["loom"].pk)
        loom.tenant = tenant_b
        with pytest.raises(TenantMismatch):
            loom.save()
    with tenant_context(tenant_b):
        loom = widgets["loom"]
        loom.tenant = tenant_b
        with pytest.raises(TenantMismatch):
            loom.save()
    with unscoped("test"):
        assert Widget.objects.get(pk=widgets["loom"].pk).tenant_id == tenant_a.pk


def test_moving_rows_to_another_tenant_raises_on_queryset_update(widgets, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        with pytest.raises(ValueError):
            Widget.objects.all().update(tenant=tenant_b)
        with pytest.raises(ValueError):
            Widget.objects.filter(name="loom").update(tenant_id=tenant_b.pk)
        loom = Widget.objects.get(name="loom")
        loom.tenant_id = tenant_b.pk
        # bulk_update's own atomic block would doom the test's transaction: give it a savepoint.
        with pytest.raises(ValueError), transaction.atomic():
            Widget.objects.bulk_update([loom], ["tenant"])
        # Other fields still update, and only in the active tenant.
        assert Widget.objects.update(name=models.functions.Upper("name")) == 2
    with unscoped("test"):
        with pytest.raises(ValueError):
            Widget.objects.update(tenant=tenant_a)
        assert sorted(Widget.objects.values_list("tenant_id", "name")) == sorted(
            [(tenant_a.pk, "LOOM"), (tenant_a.pk, "KILN"), (tenant_b.pk, "press")]
        )


def test_bulk_create_stamps_the_active_tenant_and_refuses_others(tenant_a, tenant_b):
    with tenant_context(tenant_a):
        made = Widget.objects.bulk_create([Widget(name="one"), Widget(name="two")])
        assert {w.tenant_id for w in made} == {tenant_a.pk}
        with pytest.raises(ValueError):
            Widget.objects.bulk_create([Widget(name="three"), Widget(name="four", tenant=tenant_b)])
    with pytest.raises(NoActiveTenant):
        Widget.objects.bulk_create([Widget(name="five")])
    with unscoped("test"):
        assert sorted(Widget.objects.values_list("tenant_id", "name")) == [(tenant_a.pk, "one"), (tenant_a.pk, "two")]


def test_tenant_context_nests_and_resets(tenant_a, tenant_b):
    assert get_active_tenant() is None
    with tenant_context(tenant_a):
        assert get_active_tenant() == tenant_a
        with tenant_context(tenant_b):
            assert get_active_tenant() == tenant_b
        assert get_active_tenant() == tenant_a
        with unscoped("test"):
            assert is_unscoped()
            with tenant_context(tenant_b):
                # Entering a tenant closes the escape hatch inside it...
                assert not is_unscoped()
                assert get_active_tenant() == tenant_b
            # ...and leaving it opens it again.
            assert is_unscoped()
        assert not is_unscoped()
        with pytest.raises(KeyError), tenant_context(tenant_b):
            raise KeyError("boom")
        assert get_active_tenant() == tenant_a
        with tenant_context(None):
            assert get_active_tenant() is None
            with pytest.raises(NoActiveTenant):
                Widget.objects.count()
        assert get_active_tenant() == tenant_a
    assert get_active_tenant() is None
    assert not is_unscoped()


# --- Ratchets over every installed model ---------------------------------------------------

# Models with a ForeignKey to Tenant that are NOT tenant-scoped, each with the reason.
NOT_SCOPED_ALLOWED = {
    # How the active tenant is found: it is read before there is an active tenant.
    "tenants.Membership",
    # A helpdesk queue and its routing rules belong to an agency OR to a WIPO division, whose queues have
    # no tenant at all; they hold settings, not MSMEs' data, and the helpdesk's policies narrow them
    # (`helpdesk.view_queue`, `helpdesk.configure`). The tickets in them are tenant-owned and routed.
    "helpdesk.Queue",
    "helpdesk.RoutingRule",
}


def _tenant_fk_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if any(
            isinstance(field, models.ForeignKey) and field.related_model is Tenant
            for field in model._meta.get_fields()
            if field.concrete
        )
    ]


def _tenant_owned_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if issubclass(model, TenantOwnedModel)]


def test_ratchet_every_model_with_a_tenant_uses_the_scoped_manager():
    found = _tenant_fk_models()
    assert Widget in found and Membership in found  # the check itself sees them
    offenders = [
        model._meta.label
        for model in found
        if model._meta.label not in NOT_SCOPED_ALLOWED and not isinstance(model._default_manager, TenantScopedManager)
    ]
    assert offenders == [], f"models with a tenant but no TenantScopedManager as default manager: {offenders}"
    # And the allow-list holds nothing stale.
    labels = {model._meta.label for model in found}
    assert labels >= NOT_SCOPED_ALLOWED


def test_ratchet_every_model_with_a_tenant_is_a_tenant_owned_model():
    offenders = [
        model._meta.label
        for model in _tenant_fk_models()
        if model._meta.label not in NOT_SCOPED_ALLOWED and not issubclass(model, TenantOwnedModel)
    ]
    assert offenders == [], f"subclass TenantOwnedModel (stamping, UUID pk): {offenders}"


def _unique_field_sets(model: type[models.Model]) -> list[tuple[str, list[str]]]:
    """Every uniqueness rule of `model` as (description, field names)."""
    rules: list[tuple[str, list[str]]] = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names = list(constraint.fields)
            if constraint.expressions:
                names += [str(expression) for expression in constraint.expressions]
            rules.append((constraint.name, names))
    for fields in model._meta.unique_together:
        rules.append((f"unique_together {fields}", list(fields)))
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue  # a UUID
        if isinstance(field, models.OneToOneField) and issubclass(field.related_model, TenantOwnedModel):
            continue  # unique over another tenant-owned row's UUID: already one tenant's
        if field.unique:
            rules.append((f"{field.name} unique=True", [field.name]))
    return rules


def test_ratchet_uniqueness_on_tenant_owned_models_includes_the_tenant():
    owned = _tenant_owned_models()
    assert Widget in owned
    assert ("widget_unique_tenant_name", ["tenant", "name"]) in _unique_field_sets(Widget)
    offenders = [
        f"{model._meta.label}: {description}"
        for model in owned
        for description, names in _unique_field_sets(model)
        if not any(name in {"tenant", "tenant_id"} or "tenant" in name for name in names)
    ]
    assert offenders == [], f"uniqueness that does not include the tenant: {offenders}"


def test_ratchet_indexes_on_tenant_owned_models_start_with_the_tenant():
    """DESIGN.md: every index on a tenant-owned table starts with tenant_id (to shard by tenant).

    A ForeignKey gets an index of its own unless `db_index=False`: index it as
    `models.Index(fields=["tenant", "<fk>"])` instead.
    """
    offenders = []
    for model in _tenant_owned_models():
        for model_field in model._meta.concrete_fields:
            if model_field.primary_key or model_field.name == "tenant" or model_field.unique:
                continue  # unique fields are the uniqueness ratchet's
            if model_field.db_index:
                offenders.append(f"{model._meta.label}.{model_field.name}: db_index on its own")
        # A model routed to divisions may also lead an index with its division (its division scope's reads).
        leads = {"tenant", "tenant_id"} | ({"division"} if getattr(model, "routable_to_division", False) else set())
        for index in model._meta.indexes:
            if not index.fields or index.fields[0].lstrip("-") not in leads:
                offenders.append(f"{model._meta.label}: index {index.name} {index.fields or index.expressions}")
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and (
                not constraint.fields or constraint.fields[0] not in {"tenant", "tenant_id"}
            ):
                offenders.append(f"{model._meta.label}: unique {constraint.name} does not start with the tenant")
    assert offenders == [], "indexes that do not start with the tenant:\n" + "\n".join(offenders)


def test_ratchet_tenant_owned_models_have_uuid_primary_keys():
    offenders = [
        model._meta.label for model in _tenant_owned_models() if not isinstance(model._meta.pk, models.UUIDField)
    ]
    assert offenders == [], f"tenant-owned models need UUID primary keys: {offenders}"


def test_ratchet_tenant_owned_models_cannot_choose_their_tenant_in_forms():
    offenders = [model._meta.label for model in _tenant_owned_models() if model._meta.get_field("tenant").editable]
    assert offenders == [], f"the tenant must be stamped, not editable: {offenders}"


# --- The middleware: which tenant a request works in ---------------------------------------


@pytest.fixture
def two_agency_user(tenant_a, tenant_b):
    """A member of A (joined first) and of B, and a third tenant they are not in."""
    user = UserFactory()
    MembershipFactory(user=user, tenant=tenant_a, role=Role.AGENCY_STAFF.value)
    MembershipFactory(user=user, tenant=tenant_b, role=Role.HELPDESK_AGENT.value)
    TenantFactory(slug="cc", name="Agency C")
    return user


def _me(client) -> dict:
    response = client.get("/api/v1/me/")
    assert response.status_code == 200, response.content
    data = response.json()
    return {"tenant": data["tenant"]["slug"] if data["tenant"] else None, "role": data["role"]}


def test_a_user_with_two_memberships_works_in_the_first(client, two_agency_user, widgets):
    client.force_login(two_agency_user)
    assert _me(client) == {"tenant": "aa", "role": "agency_staff"}
    response = client.get("/test-widgets/")
    assert response.status_code == 200
    assert response.content.decode() == "kiln, loom"


def test_switching_to_a_tenant_of_a_membership_is_kept_in_the_session(client, two_agency_user, widgets):
    client.force_login(two_agency_user)
    response = client.post(reverse("tenants:switch"), {"tenant": "bb"})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == "bb"
    assert _me(client) == {"tenant": "bb", "role": "helpdesk_agent"}
    assert client.get("/test-widgets/").content.decode() == "press"
    # Still there on the next request, and switching back works.
    assert _me(client) == {"tenant": "bb", "role": "helpdesk_agent"}
    assert client.post(reverse("tenants:switch"), {"tenant": "aa"}).status_code == 302
    assert _me(client)["tenant"] == "aa"


def test_switch_redirects_only_to_this_host(client, two_agency_user):
    client.force_login(two_agency_user)
    response = client.post(reverse("tenants:switch"), {"tenant": "bb", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    response = client.post(reverse("tenants:switch"), {"tenant": "aa", "next": "/test-widgets/"})
    assert response["Location"] == "/test-widgets/"


@pytest.mark.parametrize("slug", ["cc", "nope", ""])
def test_switching_to_a_tenant_without_a_membership_is_refused(client, two_agency_user, slug):
    client.force_login(two_agency_user)
    response = client.post(reverse("tenants:switch"), {"tenant": slug})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session
    assert _me(client)["tenant"] == "aa"


def test_switching_to_an_inactive_tenant_is_refused(client, two_agency_user, tenant_b):
    Tenant.objects.filter(pk=tenant_b.pk).update(is_active=False)
    client.force_login(two_agency_user)
    assert client.post(reverse("tenants:switch"), {"tenant": "bb"}).status_code == 400
    assert _me(client)["tenant"] == "aa"


def test_a_stale_session_choice_falls_back_to_the_first_membership(client, two_agency_user):
    client.force_login(two_agency_user)
    session = client.session
    session[SESSION_KEY] = "cc"  # not (or no longer) a member
    session.save()
    assert _me(client)["tenant"] == "aa"


def test_switch_needs_a_signed_in_user(client, tenant_a):
    response = client.post(reverse("tenants:switch"), {"tenant": "aa"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_get_on_switch_never_switches(client, two_agency_user):
    client.force_login(two_agency_user)
    assert client.get(reverse("tenants:switch"), {"tenant": "bb"}).status_code == 200
    assert _me(client)["tenant"] == "aa"


def test_a_tenant_parameter_on_other_urls_never_changes_the_tenant(client, two_agency_user, widgets, tenant_b):
    client.force_login(two_agency_user)
    names_in_a = ["kiln", "loom"]
    for n, params in enumerate(({"tenant": "bb"}, {"tenant": str(tenant_b.pk)}, {"tenant_id": str(tenant_b.pk)})):
        response = client.get("/api/v1/me/", params)
        assert response.json()["tenant"]["slug"] == "aa"
        assert client.get("/test-widgets/", params).content.decode() == ", ".join(names_in_a)
        response = client.get("/api/v1/test-widgets/", params)
        assert [row["name"] for row in response.json()["results"]] == names_in_a
        assert client.get("/test-widgets/", HTTP_X_TENANT="bb").content.decode() == ", ".join(names_in_a)
        # A POST field on another URL: the widget of B stays out of reach, and A's is changed in A.
        response = client.post(f"/test-widgets/{widgets['press'].pk}/", {**params, "name": "stolen"})
        assert response.status_code == 404
        response = client.post(f"/test-widgets/{widgets['loom'].pk}/", {**params, "name": "loom"})
        assert response.status_code == 200
        response = client.post("/api/v1/test-widgets/", {**params, "name": f"new-{n}"})
        assert response.status_code == 201, response.content
        names_in_a.append(f"new-{n}")
    assert SESSION_KEY not in client.session
    assert _me(client)["tenant"] == "aa"
    with unscoped("test"):
        assert Widget.objects.get(pk=widgets["press"].pk).name == "press"
        assert set(Widget.objects.filter(name__startswith="new-").values_list("tenant_id", flat=True)) == {
            widgets["loom"].tenant_id
        }


def test_a_signed_in_user_without_a_tenant_is_refused_tenant_pages_not_shown_everything(client, widgets):
    client.force_login(UserFactory())
    response = client.get("/test-widgets/")
    assert response.status_code == 403
    for name in ("loom", "kiln", "press"):
        assert name.encode() not in response.content
    response = client.get("/api/v1/test-widgets/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")


def test_the_request_leaves_no_tenant_behind(client, two_agency_user):
    client.force_login(two_agency_user)
    assert _me(client)["tenant"] == "aa"
    assert get_active_tenant() is None
    assert not is_unscoped()


# --- Celery: the tenant travels as an id and is re-entered --------------------------------


def test_a_task_receives_the_tenant_id_and_reenters_its_context(widgets, tenant_a, tenant_b):
    assert widget_names.delay(tenant_a.pk).get() == ["aa", "kiln", "loom"]
    # Even when the caller works in another tenant, the task works in the one it was given.
    with tenant_context(tenant_b):
        assert widget_names.delay(tenant_a.pk).get() == ["aa", "kiln", "loom"]
        assert get_active_tenant() == tenant_b
    assert widget_names.apply(args=[tenant_b.pk]).get() == ["bb", "press"]
    assert get_active_tenant() is None


def test_enqueue_for_tenant_sends_the_id_of_the_active_tenant(
    widgets, tenant_a, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(widget_names, "apply_async", lambda args, kwargs=None, **options: sent.append((args, kwargs)))
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        enqueue_for_tenant(widget_names)
        assert sent == []  # only after the commit
    assert sent == [((tenant_a.pk,), None)]
    assert isinstance(sent[0][0][0], int)  # an id, JSON-serialisable, never the Tenant object


def test_enqueue_for_tenant_does_not_fail_the_committed_request_when_the_broker_is_down(
    widgets, tenant_a, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from kombu.exceptions import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    refused = []
    monkeypatch.setattr(widget_names, "apply_async", refuse)
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        enqueue_for_tenant(widget_names, on_refused=lambda: refused.append(True))
    assert refused == [True]
    assert any("could not be queued" in record.getMessage() for record in caplog.records)


def test_a_task_of_an_unknown_tenant_fails_rather_than_running_unscoped(widgets):
    with pytest.raises(Tenant.DoesNotExist):
        widget_names.delay(999_999).get()


def test_an_empty_queryset_needs_no_tenant():
    from apps.tenants.context import get_active_tenant

    assert get_active_tenant() is None
    assert list(Widget.objects.none()) == []


# --- One Role enum ---------------------------------------------------------------------------


def test_membership_roles_are_the_tenant_subset_of_the_one_role_enum():
    from apps.core.roles import TENANT_ROLES

    assert not hasattr(Membership, "Role"), "Membership has no Role enum of its own: use apps.core.roles.Role"
    assert Membership._meta.get_field("role").choices == [(role.value, role.label) for role in TENANT_ROLES]
    assert set(TENANT_ROLES) == {Role.MSME_MEMBER, Role.HELPDESK_AGENT, Role.AGENCY_STAFF}


@pytest.mark.parametrize("role", [Role.DIVISION_ANALYST, Role.PLATFORM_ADMIN])
def test_a_membership_cannot_carry_a_role_that_is_not_a_tenant_role(tenant_a, role):
    from django.core.exceptions import ValidationError

    membership = Membership(tenant=tenant_a, user=UserFactory(), role=role)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "role" in error.value.message_dict
