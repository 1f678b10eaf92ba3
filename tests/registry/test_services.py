"""Registry services: audit trail, consent stamps, erasure, export, self-registration, size recompute."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.roles import Role
from apps.registry import services
from apps.registry.models import IpAsset, IsicCode, Msme, MsmeMember
from apps.tenants.audit import history_for
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent, Membership, Tenant
from tests.factories import UserFactory, user_with_role
from tests.registry.factories import IpAssetFactory, MsmeFactory, MsmeMemberFactory

pytestmark = pytest.mark.django_db


def data(**overrides) -> dict:
    values = {
        "name": "Savanna Crafts",
        "registration_number": "KE-100",
        "sector_isic": IsicCode.objects.get(code="1392"),
        "employees": 4,
        "annual_turnover_eur": Decimal("150000.00"),
        "region": "KE-30",
        "founded_year": 2015,
        "email": "hello@savanna.example",
        "phone": "+254 700 000 000",
        "website": "https://savanna.example",
        "preferred_language": "sw",
        "preferred_channel": "sms",
        "exports": True,
        "is_university_spinoff": True,
    }
    values.update(overrides)
    return values


@pytest.fixture
def staff(tenant_a):
    return user_with_role(Role.AGENCY_STAFF, tenant_a)


def events(msme, **filters) -> list[AuditEvent]:
    return list(history_for(msme).filter(**filters).order_by("at", "action"))


# --- Create and update: the audit trail -----------------------------------------------------------


def test_create_records_the_snapshot_and_the_actor(in_tenant, tenant_a, staff):
    in_tenant(tenant_a)
    msme = services.msme_create(tenant=tenant_a, data=data(), actor=staff)
    assert (msme.size_class, msme.sector_section, msme.verification) == ("micro", "C", "verified")
    [event] = events(msme)
    assert (event.action, event.object_type, event.object_id, event.actor) == (
        "create",
        "registry.msme",
        msme.pk,
        staff,
    )
    assert event.object_repr == "Savanna Crafts"
    assert event.changes["name"] == "Savanna Crafts"
    assert event.changes["sector_isic"] == "1392"
    assert event.changes["annual_turnover_eur"] == "150000.00"
    assert "id" not in event.changes and "tenant" not in event.changes


def test_create_refuses_bad_data(in_tenant, tenant_a):
    in_tenant(tenant_a)
    services.msme_create(tenant=tenant_a, data=data())
    with pytest.raises(ValidationError) as caught:
        services.msme_create(tenant=tenant_a, data=data(name="Other"))
    assert list(caught.value.message_dict) == ["registration_number"]
    other = services.msme_create(tenant=tenant_a, data=data(registration_number="KE-101"))
    with pytest.raises(ValidationError) as caught:
        services.msme_update(msme=other, data={"registration_number": "KE-100"})
    assert list(caught.value.message_dict) == ["registration_number"]
    with pytest.raises(ValidationError) as caught:
        services.msme_create(tenant=tenant_a, data=data(registration_number="KE-102", employees=-1))
    assert "employees" in caught.value.message_dict
    assert Msme.objects.count() == 2 and AuditEvent.objects.count() == 2


def test_update_records_a_field_diff_and_the_actor(in_tenant, tenant_a, staff):
    in_tenant(tenant_a)
    msme = services.msme_create(tenant=tenant_a, data=data())
    editor = user_with_role(Role.MSME_MEMBER, tenant_a)
    services.msme_update(msme=msme, data={"employees": 60, "email": "new@savanna.example"}, actor=editor)
    update = events(msme, action="update")[0]
    assert update.actor == editor
    assert update.changes == {
        "employees": [4, 60],
        "email": ["hello@savanna.example", "new@savanna.example"],
        "size_class": ["micro", "medium"],
    }
    msme.refresh_from_db()
    assert msme.size_class == "medium"


def test_an_update_that_changes_nothing_records_nothing(in_tenant, tenant_a, staff):
    in_tenant(tenant_a)
    msme = services.msme_create(tenant=tenant_a, data=data())
    services.msme_update(msme=msme, data={"employees": 4, "name": "Savanna Crafts"}, actor=staff)
    assert [e.action for e in events(msme)] == ["create"]


def test_update_reads_the_before_state_from_the_database(in_tenant, tenant_a, staff):
    """A ModelForm writes its values onto the instance before the service runs: the diff still shows them."""
    in_tenant(tenant_a)
    msme = services.msme_create(tenant=tenant_a, data=data())
    msme.name = "Changed by a form"
    services.msme_update(msme=msme, data={"name": "Changed by a form"}, actor=staff)
    assert events(msme, action="update")[0].changes == {"name": ["Savanna Crafts", "Changed by a form"]}


def test_verify_and_maturity_are_audited(in_tenant, tenant_a, staff):
    in_tenant(tenant_a)
    msme = services.msme_create(tenant=tenant_a, data=data(verification=Msme.Verification.PENDING))
    assert msme.verification == "pending"
    services.msme_verify(msme=msme, actor=staff)
    services.msme_verify(msme=msme, actor=staff)  # twice: one event
    services.msme_set_maturity(msme=msme, level=3, assessed_on=date(2026, 1, 5), actor=staff)
    assert [e.action for e in events(msme)] == ["create", "verify", "update"]
    assert events(msme, action="update")[0].changes == {
        "maturity_level": [None, 3],
        "maturity_assessed_at": [None, "2026-01-05"],
    }
    services.msme_set_maturity(msme=msme, level=None, assessed_on=date(2026, 1, 5), actor=staff)
    msme.refresh_from_db()
    assert (msme.maturity_level, msme.maturity_assessed_at) == (None, None)


def test_assets_are_audited_under_their_msme(in_tenant, tenant_a, staff):
    in_tenant(tenant_a)
    msme = services.msme_create(tenant=tenant_a, data=data())
    asset = services.asset_create(
        msme=msme,
        data={"asset_type": "trademark", "jurisdiction": "KE", "title": "SAVANNA", "owner": "Ms Wanjiru"},
        actor=staff,
    )
    services.asset_update(asset=asset, data={"title": "SAVANNA & device"}, actor=staff)
    services.asset_delete(asset=asset, actor=staff)
    asset_events = events(msme, object_type="registry.ipasset")
    assert [e.action for e in asset_events] == ["create", "update", "delete"]
    assert asset_events[1].changes == {"title": ["SAVANNA", "SAVANNA & device"]}
    assert asset_events[2].changes["owner"] == "Ms Wanjiru"
    assert all(e.actor == staff for e in asset_events)
    assert not IpAsset.objects.exists()


def test_delete_keeps_the_history(in_tenant, tenant_a, staff):
    in_tenant(tenant_a)
    msme = services.msme_create(tenant=tenant_a, data=data())
    msme_id = msme.pk
    services.msme_delete(msme=msme, actor=staff)
    assert not Msme.objects.filter(pk=msme_id).exists()
    actions = sorted(AuditEvent.objects.filter(object_id=msme_id).values_list("action", flat=True))
    assert actions == ["create", "delete"]


# --- Consent ----------------------------------------------------------------------------------------


def test_consent_is_stamped_when_given_and_cleared_when_withdrawn(in_tenant, tenant_a, staff):
    in_tenant(tenant_a)
    msme = services.msme_create(tenant=tenant_a, data=data())
    assert (msme.consent_given_at, msme.consent_source) == (None, "")

    before = timezone.now()
    services.msme_update(msme=msme, data={"consent_outreach": True}, actor=staff, consent_source="api")
    msme.refresh_from_db()
    assert msme.consent_given_at >= before and msme.consent_source == "api"
    given_at = msme.consent_given_at

    # Another change keeps the original stamp.
    services.msme_update(msme=msme, data={"employees": 6, "consent_outreach": True}, actor=staff)
    msme.refresh_from_db()
    assert (msme.consent_given_at, msme.consent_source) == (given_at, "api")

    services.msme_update(msme=msme, data={"consent_outreach": False}, actor=staff)
    msme.refresh_from_db()
    assert (msme.consent_outreach, msme.consent_given_at, msme.consent_source) == (False, None, "")
    withdrawn = events(msme, action="update")[-1].changes
    assert withdrawn["consent_outreach"] == [True, False]
    assert withdrawn["consent_given_at"][1] is None


def test_consent_given_at_creation(in_tenant, tenant_a):
    in_tenant(tenant_a)
    msme = services.msme_create(tenant=tenant_a, data=data(consent_outreach=True))
    assert msme.consent_given_at is not None and msme.consent_source == "agency"


# --- Erasure ------------------------------------------------------------------------------------------


PERSONAL = ("Savanna Crafts", "KE-100", "hello@savanna.example", "+254 700 000 000", "savanna.example")


@pytest.fixture
def erased_setup(in_tenant, tenant_a, staff):
    in_tenant(tenant_a)
    msme = services.msme_create(tenant=tenant_a, data=data(consent_outreach=True), actor=staff)
    services.msme_update(msme=msme, data={"name": "Savanna Crafts Ltd"}, actor=staff)
    services.msme_set_maturity(msme=msme, level=4, assessed_on=date(2026, 1, 5), actor=staff)
    asset = services.asset_create(
        msme=msme,
        data={
            "asset_type": "trademark",
            "jurisdiction": "KE",
            "title": "SAVANNA",
            "owner": "Ms Wanjiru Kamau",
            "notes": "Call Ms Kamau on 0700 111 222",
        },
        actor=staff,
    )
    services.asset_update(asset=asset, data={"notes": "Ms Kamau moved to Mombasa"}, actor=staff)
    member = UserFactory(email="wanjiru@savanna.example")
    MsmeMemberFactory(msme=msme, user=member)
    other = MsmeFactory(name="Untouched Ltd", email="keep@other.example")
    services.msme_erase(msme=msme, actor=staff)
    msme.refresh_from_db()
    return msme, asset, other


def test_erase_removes_personal_data_from_the_msme(erased_setup):
    msme, _asset, _other = erased_setup
    assert msme.name.startswith("Erased MSME ") and msme.registration_number.startswith("ERASED-")
    assert (msme.email, msme.phone, msme.website) == ("", "", "")
    assert msme.erased_at is not None
    assert (msme.consent_outreach, msme.consent_given_at, msme.consent_source) == (False, None, "")
    assert not MsmeMember.objects.filter(msme=msme).exists()


def test_erase_keeps_what_statistics_need(erased_setup):
    msme, _asset, _other = erased_setup
    assert (msme.size_class, msme.sector_section, msme.sector_isic_id, msme.region) == ("micro", "C", "1392", "KE-30")
    assert (msme.employees, msme.annual_turnover_eur, msme.founded_year) == (4, Decimal("150000.00"), 2015)
    assert (msme.exports, msme.is_university_spinoff, msme.is_informal) == (True, True, False)
    assert (msme.maturity_level, msme.maturity_assessed_at) == (4, date(2026, 1, 5))
    assert msme.verification == "verified"


def test_erase_removes_personal_data_from_assets(erased_setup):
    _msme, asset, _other = erased_setup
    asset.refresh_from_db()
    assert (asset.owner, asset.notes, asset.custodian, asset.storage_location) == ("", "", "", "")
    assert asset.title == "SAVANNA"


def test_erase_removes_personal_data_from_earlier_audit_events(erased_setup):
    msme, _asset, _other = erased_setup
    history = history_for(msme)
    text = json.dumps([[e.object_repr, e.changes] for e in history])
    for value in (*PERSONAL, "Savanna Crafts Ltd", "Wanjiru", "Kamau", "0700 111 222", "Mombasa"):
        assert value not in text, value
    create = history.get(action="create", object_type="registry.msme")
    assert create.changes["name"] == services.ERASED and create.changes["email"] == services.ERASED
    # Statistics fields in the history are kept.
    assert create.changes["employees"] == 4 and create.changes["sector_isic"] == "1392"
    rename = history.get(action="update", object_type="registry.msme", changes__has_key="name")
    assert rename.changes["name"] == [services.ERASED, services.ERASED]
    assert history.filter(action="erase").count() == 1
    assert history.get(action="erase").changes == {}


def test_erase_leaves_other_msmes_alone(erased_setup):
    _msme, _asset, other = erased_setup
    other.refresh_from_db()
    assert (other.name, other.email) == ("Untouched Ltd", "keep@other.example")


def test_the_export_after_erasure_holds_no_personal_data(erased_setup):
    msme, _asset, _other = erased_setup
    text = json.dumps(services.msme_export(msme=msme))
    for value in (*PERSONAL, "Wanjiru", "Kamau", "wanjiru@savanna.example"):
        assert value not in text, value


def test_erase_unlinks_the_msmes_own_people_from_its_history(tenant_a):
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    owner = UserFactory(email="founder@savanna.example")
    with tenant_context(tenant_a):
        msme = services.msme_self_register(user=owner, tenant=tenant_a, data=data())
        services.msme_update(msme=msme, data={"employees": 7}, actor=owner)
        services.msme_verify(msme=msme, actor=staff)
        services.msme_erase(msme=msme, actor=staff)
        actors = {e.action: e.actor for e in history_for(msme)}
        export = json.dumps(services.msme_export(msme=msme))
    assert actors == {"create": None, "update": None, "verify": staff, "erase": staff}
    assert "founder@savanna.example" not in export
    # The account itself stays (it is the person's, not the MSME's); it no longer acts for the MSME.
    with tenant_context(tenant_a):
        assert not MsmeMember.objects.filter(user=owner).exists()


# --- Export -------------------------------------------------------------------------------------------


def test_export_holds_profile_assets_deadlines_and_history(in_tenant, tenant_a, staff):
    in_tenant(tenant_a)
    msme = services.msme_create(tenant=tenant_a, data=data(), actor=staff)
    today = date(2026, 6, 1)
    asset = services.asset_create(
        msme=msme,
        data={
            "asset_type": "trademark",
            "jurisdiction": "KE",
            "title": "SAVANNA",
            "status": "registered",
            "filing_date": date(2017, 3, 1),
            "grant_date": date(2018, 3, 1),
        },
        actor=staff,
    )
    member = UserFactory(email="owner@savanna.example")
    MsmeMemberFactory(msme=msme, user=member)
    export = services.msme_export(msme=msme, today=today)
    json.dumps(export)  # JSON-friendly throughout
    assert export["msme"]["id"] == str(msme.pk)
    assert export["msme"]["name"] == "Savanna Crafts" and export["msme"]["registration_number"] == "KE-100"
    assert export["members"] == ["owner@savanna.example"]
    assert [a["id"] for a in export["assets"]] == [str(asset.pk)]
    assert export["assets"][0]["title"] == "SAVANNA"
    assert export["deadlines"] == [
        {"due": "2028-03-01", "kind": "renewal", "label": "Trademark renewal (every 10 years)", "asset": str(asset.pk)}
    ]
    assert [(h["action"], h["object_type"]) for h in export["history"]] == [
        ("create", "registry.msme"),
        ("create", "registry.ipasset"),
    ]
    assert export["history"][0]["actor"] == staff.email


def test_export_holds_only_this_msme(in_tenant, tenant_a):
    in_tenant(tenant_a)
    msme = services.msme_create(tenant=tenant_a, data=data())
    other = MsmeFactory()
    IpAssetFactory(msme=other, title="Other mark")
    export = services.msme_export(msme=msme)
    assert export["assets"] == [] and export["deadlines"] == [] and export["members"] == []
    assert "Other mark" not in json.dumps(export)


# --- Self-registration -----------------------------------------------------------------------------------


def test_self_register_makes_a_pending_msme_a_membership_and_the_link(tenant_a):
    user = UserFactory()
    with tenant_context(tenant_a):
        msme = services.msme_self_register(user=user, tenant=tenant_a, data=data(consent_outreach=True))
        assert msme.verification == Msme.Verification.PENDING
        assert msme.consent_source == Msme.ConsentSource.SELF_REGISTRATION and msme.consent_given_at
        assert MsmeMember.objects.get(user=user).msme == msme
        create = history_for(msme).get(object_id=msme.pk, action="create")
        assert create.actor == user
    membership = Membership.objects.get(user=user)
    assert (membership.tenant, membership.role) == (tenant_a, Role.MSME_MEMBER)


def test_self_register_keeps_an_existing_membership(tenant_a):
    user = user_with_role(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a):
        services.msme_self_register(user=user, tenant=tenant_a, data=data())
    assert Membership.objects.filter(user=user).count() == 1


# --- Size classes follow the tenant's thresholds ------------------------------------------------------------


def _sizes(tenant) -> dict[str, str]:
    with tenant_context(tenant):
        return dict(Msme.objects.values_list("registration_number", "size_class"))


@pytest.fixture
def sized(tenant_a, tenant_b):
    with tenant_context(tenant_a):
        services.msme_create(
            tenant=tenant_a, data=data(registration_number="A5", employees=5, annual_turnover_eur=None)
        )
        services.msme_create(tenant=tenant_a, data=data(registration_number="A15", employees=15))
        services.msme_create(
            tenant=tenant_a, data=data(registration_number="A8-rich", employees=8, annual_turnover_eur=Decimal("3e6"))
        )
        services.msme_create(tenant=tenant_a, data=data(registration_number="A300", employees=300))
    with tenant_context(tenant_b):
        MsmeFactory(registration_number="B15", employees=15, size_class="small")
    return tenant_a, tenant_b


def test_recompute_size_classes_after_the_thresholds_change(sized):
    tenant_a, tenant_b = sized
    assert _sizes(tenant_a) == {"A5": "micro", "A15": "small", "A8-rich": "small", "A300": "large"}
    tenant_a.micro_max_employees = 20
    tenant_a.micro_max_turnover_eur = Decimal("5000000")
    tenant_a.medium_max_employees = 500
    tenant_a.save()
    changed = services.tenant_recompute_size_classes(tenant=tenant_a)
    assert changed == 3
    assert _sizes(tenant_a) == {"A5": "micro", "A15": "micro", "A8-rich": "micro", "A300": "medium"}
    assert _sizes(tenant_b) == {"B15": "small"}
    # Nothing left to change: a second run touches no row.
    assert services.tenant_recompute_size_classes(tenant=tenant_a) == 0


def test_recompute_matches_the_python_rule(sized):
    from apps.registry.sizing import size_class_for

    tenant_a, _tenant_b = sized
    tenant_a.micro_max_employees, tenant_a.small_max_employees = 3, 10
    tenant_a.small_max_turnover_eur = Decimal("100000")
    tenant_a.save()
    services.tenant_recompute_size_classes(tenant=tenant_a)
    with tenant_context(tenant_a):
        for msme in Msme.objects.all():
            expected = size_class_for(employees=msme.employees, turnover_eur=msme.annual_turnover_eur, tenant=tenant_a)
            assert msme.size_class == expected, msme.registration_number


def _admin_form(tenant: Tenant, **changes) -> dict:
    form = {
        "slug": tenant.slug,
        "name": tenant.name,
        "country": tenant.country,
        "kind": tenant.kind,
        "languages": json.dumps(tenant.languages),
        "outreach_channels": json.dumps(tenant.outreach_channels),
        "micro_max_employees": tenant.micro_max_employees,
        "micro_max_turnover_eur": tenant.micro_max_turnover_eur,
        "small_max_employees": tenant.small_max_employees,
        "small_max_turnover_eur": tenant.small_max_turnover_eur,
        "medium_max_employees": tenant.medium_max_employees,
        "medium_max_turnover_eur": tenant.medium_max_turnover_eur,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    form.update(changes)
    return form


def test_the_tenant_admin_recomputes_size_classes_when_a_threshold_changes(client, sized):
    tenant_a, tenant_b = sized
    client.force_login(user_with_role(Role.PLATFORM_ADMIN))
    url = reverse("admin:tenants_tenant_change", args=[tenant_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _admin_form(tenant_a, micro_max_employees=20))
    assert response.status_code == 302, response.content.decode()[:3000]
    tenant_a.refresh_from_db()
    assert tenant_a.micro_max_employees == 20
    assert _sizes(tenant_a) == {"A5": "micro", "A15": "micro", "A8-rich": "small", "A300": "large"}
    assert _sizes(tenant_b) == {"B15": "small"}


def test_the_tenant_admin_leaves_size_classes_alone_when_no_threshold_changes(client, sized, monkeypatch):
    tenant_a, _tenant_b = sized
    calls = []
    monkeypatch.setattr(services, "tenant_recompute_size_classes", lambda **kwargs: calls.append(kwargs))
    client.force_login(user_with_role(Role.PLATFORM_ADMIN))
    url = reverse("admin:tenants_tenant_change", args=[tenant_a.pk])
    response = client.post(url, _admin_form(tenant_a, name="Agency A (renamed)"))
    assert response.status_code == 302
    assert calls == []
    response = client.post(url, _admin_form(tenant_a, medium_max_turnover_eur="60000000.00"))
    assert response.status_code == 302
    assert calls == [{"tenant": tenant_a}]


def test_the_tenant_admin_refuses_unordered_thresholds(client, sized):
    tenant_a, _tenant_b = sized
    client.force_login(user_with_role(Role.PLATFORM_ADMIN))
    url = reverse("admin:tenants_tenant_change", args=[tenant_a.pk])
    response = client.post(url, _admin_form(tenant_a, micro_max_employees=100))
    assert response.status_code == 200  # the form again, with the error
    tenant_a.refresh_from_db()
    assert tenant_a.micro_max_employees == 10
    assert _sizes(tenant_a)["A15"] == "small"


def test_a_new_msme_uses_the_new_thresholds(in_tenant, tenant_a):
    tenant_a.micro_max_employees = 20
    tenant_a.save()
    in_tenant(tenant_a)
    msme = services.msme_create(tenant=tenant_a, data=data(employees=15))
    assert msme.size_class == "micro"
    assert timezone.now() - msme.created_at < timedelta(minutes=1)


# --- Verification follows the MSME's identity -------------------------------------------------------


@pytest.fixture
def verified_with_owner(tenant_a, staff):
    """A self-registered MSME the agency has verified, and its member."""
    owner = UserFactory()
    with tenant_context(tenant_a):
        msme = services.msme_self_register(user=owner, tenant=tenant_a, data=data())
        services.msme_verify(msme=msme, actor=staff)
    return msme, owner


@pytest.mark.parametrize(
    "change",
    [{"name": "Savanna Holdings"}, {"registration_number": "KE-999"}, {"is_informal": True}],
)
def test_a_members_identity_change_sends_the_msme_back_to_pending(tenant_a, verified_with_owner, change):
    msme, owner = verified_with_owner
    with tenant_context(tenant_a):
        services.msme_update(msme=msme, data=change, actor=owner)
        msme.refresh_from_db()
        [event] = events(msme, action="update")
    assert msme.verification == Msme.Verification.PENDING
    assert event.actor == owner
    [(field, value)] = change.items()
    assert event.changes[field][1] == value
    assert event.changes["verification"] == ["verified", "pending"]


def test_a_members_other_changes_keep_the_verification(tenant_a, verified_with_owner):
    msme, owner = verified_with_owner
    with tenant_context(tenant_a):
        services.msme_update(msme=msme, data={"employees": 7, "phone": "+254 711 111 111"}, actor=owner)
        msme.refresh_from_db()
        [event] = events(msme, action="update")
    assert msme.verification == Msme.Verification.VERIFIED
    assert "verification" not in event.changes


def test_agency_staff_change_the_identity_and_keep_the_verification(tenant_a, staff, verified_with_owner):
    msme, _owner = verified_with_owner
    with tenant_context(tenant_a):
        services.msme_update(msme=msme, data={"name": "Savanna Holdings", "registration_number": "KE-9"}, actor=staff)
        msme.refresh_from_db()
        [event] = events(msme, action="update")
    assert msme.verification == Msme.Verification.VERIFIED
    assert set(event.changes) == {"name", "registration_number"}


def test_a_taken_registration_number_is_named_precisely_only_to_agency_staff(tenant_a, staff, verified_with_owner):
    msme, owner = verified_with_owner
    with tenant_context(tenant_a):
        MsmeFactory(registration_number="HELD-1")
        with pytest.raises(ValidationError) as for_member:
            services.msme_update(msme=msme, data={"registration_number": "HELD-1"}, actor=owner)
        with pytest.raises(ValidationError) as for_staff:
            services.msme_update(msme=msme, data={"registration_number": "HELD-1"}, actor=staff)
    [member_message] = for_member.value.message_dict["registration_number"]
    assert "contact your agency" in member_message and "already" not in member_message
    assert "already has this registration number" in for_staff.value.message_dict["registration_number"][0]


def test_consent_withdrawal_writes_only_the_consent_even_on_a_row_that_no_longer_validates(tenant_a):
    with tenant_context(tenant_a):
        msme = MsmeFactory(consent_outreach=True, consent_source="agency", consent_given_at=timezone.now())
        # Stored before a rule was tightened: the whole row would not pass full_clean() any more.
        Msme.objects.filter(pk=msme.pk).update(email="not an address", sector_section="?")
        msme.refresh_from_db()
        assert services.msme_consent_withdraw(msme=msme, source="unsubscribe_link")
        stored = Msme.objects.get(pk=msme.pk)
        assert (stored.consent_outreach, stored.consent_given_at, stored.consent_source) == (False, None, "")
        assert (stored.email, stored.sector_section) == ("not an address", "?")
        [event] = [e for e in history_for(stored) if "consent_outreach" in e.changes]
        assert event.changes["consent_outreach"] == [True, False]
        assert event.changes["consent_withdrawn_through"] == [None, "unsubscribe_link"]
        assert not services.msme_consent_withdraw(msme=stored, source="unsubscribe_link")
        with pytest.raises(ValidationError):  # what the general update would have done
            services.msme_update(msme=stored, data={"consent_outreach": True})
