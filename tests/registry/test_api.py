"""The registry API: /api/v1/msmes/, their assets and deadlines, imports; roles, validation, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.services import api_token_create
from apps.core.roles import Role
from apps.registry.models import ImportJob, IpAsset, Msme
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent
from tests.factories import user_with_role
from tests.registry.factories import ImportJobFactory, IpAssetFactory, MsmeFactory, MsmeMemberFactory

pytestmark = pytest.mark.django_db

MSMES = "/api/v1/msmes/"
IMPORT = "/api/v1/msmes/import/"
IMPORTS = "/api/v1/imports/"


def detail(msme) -> str:
    return f"{MSMES}{msme.pk}/"


def assets_url(msme) -> str:
    return f"{MSMES}{msme.pk}/assets/"


def make(tenant, **fields) -> Msme:
    with tenant_context(tenant):
        return MsmeFactory(**fields)


def make_asset(msme, **fields) -> IpAsset:
    with tenant_context(msme.tenant):
        return IpAssetFactory(msme=msme, **fields)


def payload(**overrides) -> dict:
    data = {
        "name": "Savanna Crafts",
        "registration_number": "KE-100",
        "sector_isic": "1392",
        "employees": 4,
        "annual_turnover_eur": "150000.00",
        "region": "KE-30",
        "founded_year": 2015,
        "email": "hello@savanna.example",
        "preferred_language": "sw",
        "preferred_channel": "sms",
        "exports": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def agency(client, login_as, tenant_a):
    return login_as(Role.AGENCY_STAFF, tenant_a)


@pytest.fixture
def member(client, login_as, tenant_a):
    """A signed-in MSME member linked to their own MSME (returned as (user, msme))."""
    user = login_as(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a):
        own = MsmeFactory(name="Own Business", registration_number="OWN-1")
        MsmeMemberFactory(msme=own, user=user)
    return user, own


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


# --- CRUD as agency staff -------------------------------------------------------------------


def test_the_api_needs_a_signed_in_registry_role(client, login_as, tenant_a):
    assert client.get(MSMES).status_code in {401, 403}
    login_as(Role.HELPDESK_AGENT, tenant_a)
    assert client.get(MSMES).status_code == 403


def test_agency_staff_create_retrieve_update_delete(client, agency, tenant_a):
    response = client.post(MSMES, payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["registration_number"] == "KE-100"
    assert body["size_class"] == "micro"
    assert body["sector_section"] == "C"
    assert body["maturity_level"] is None
    assert body["verification"] == "verified"
    msme_id = body["id"]

    got = client.get(f"{MSMES}{msme_id}/")
    assert got.status_code == 200
    assert got.json()["name"] == "Savanna Crafts" and got.json()["region"] == "KE-30"

    changed = client.patch(
        f"{MSMES}{msme_id}/", {"employees": 120, "maturity_level": 3}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["size_class"] == "medium"
    assert changed.json()["maturity_level"] == 3

    replaced = client.put(
        f"{MSMES}{msme_id}/", payload(name="Savanna Crafts Ltd", employees=30), content_type="application/json"
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["name"] == "Savanna Crafts Ltd" and replaced.json()["size_class"] == "small"

    with tenant_context(tenant_a):
        actions = list(AuditEvent.objects.filter(object_id=msme_id).order_by("at").values_list("action", flat=True))
    assert actions[0] == "create" and actions.count("update") == 2

    assert client.delete(f"{MSMES}{msme_id}/").status_code == 204
    assert client.get(f"{MSMES}{msme_id}/").status_code == 404
    with tenant_context(tenant_a):
        assert not Msme.objects.filter(pk=msme_id).exists()
        assert AuditEvent.objects.filter(object_id=msme_id, action="delete").exists()


def test_list_items_carry_the_issue_fields(client, agency, tenant_a):
    make(tenant_a, name="Loom", maturity_level=2)
    item = client.get(MSMES).json()["results"][0]
    assert {"id", "registration_number", "size_class", "maturity_level", "sector_isic"} <= set(item)
    assert item["maturity_level"] == 2 and item["sector_isic"] == "1079"


def test_a_token_acts_as_its_user_in_its_tenant(tenant_a, tenant_b):
    user = user_with_role(Role.AGENCY_STAFF, tenant_a)
    make(tenant_a, name="Ours")
    make(tenant_b, name="Theirs")
    _token, key = api_token_create(user=user, membership=user.memberships.get(), name="CRM sync")
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert names(client.get(MSMES, **auth)) == ["Ours"]
    created = client.post(MSMES, payload(), content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    with tenant_context(tenant_a):
        msme = Msme.objects.get(pk=created.json()["id"])
        assert msme.consent_source == ""  # no consent given
        assert AuditEvent.objects.get(object_id=msme.pk, action="create").actor == user
    assert client.get(MSMES, HTTP_AUTHORIZATION="Token not-a-key").status_code == 401


def test_another_tenants_msme_is_404(client, agency, tenant_b):
    theirs = make(tenant_b, name="Theirs")
    assert client.get(detail(theirs)).status_code == 404
    assert client.patch(detail(theirs), {"name": "Mine"}, content_type="application/json").status_code == 404
    assert client.delete(detail(theirs)).status_code == 404
    assert client.get(assets_url(theirs)).status_code == 404
    assert client.get(f"{detail(theirs)}deadlines/").status_code == 404
    with tenant_context(tenant_b):
        assert Msme.objects.get(pk=theirs.pk).name == "Theirs"


# --- Filters, search, pagination --------------------------------------------------------------


@pytest.fixture
def some_msmes(tenant_a, tenant_b):
    make(
        tenant_a,
        name="Savanna Crafts",
        registration_number="KE-1",
        size_class="micro",
        exports=True,
        maturity_level=2,
    )
    make(
        tenant_a,
        name="Nile Foods",
        registration_number="KE-2",
        employees=70,
        size_class="medium",
        sector_isic_id="5610",
        sector_section="I",
        maturity_level=4,
    )
    make(tenant_a, name="Rift Software", registration_number="KE-3", sector_isic_id="J", sector_section="J")
    make(tenant_b, name="Foreign Foods", registration_number="PH-1", exports=True)


def test_filters_as_on_the_page(client, agency, some_msmes):
    assert names(client.get(MSMES)) == ["Nile Foods", "Rift Software", "Savanna Crafts"]
    assert names(client.get(MSMES, {"size_class": "medium"})) == ["Nile Foods"]
    assert names(client.get(MSMES, {"size_class": ["medium", "micro"]})) == [
        "Nile Foods",
        "Rift Software",
        "Savanna Crafts",
    ]
    assert names(client.get(MSMES, {"sector_section": "I"})) == ["Nile Foods"]
    assert names(client.get(MSMES, {"sector_section": ["I", "J"]})) == ["Nile Foods", "Rift Software"]
    assert names(client.get(MSMES, {"maturity_level": "4"})) == ["Nile Foods"]
    assert names(client.get(MSMES, {"maturity_unknown": "true"})) == ["Rift Software"]
    assert names(client.get(MSMES, {"exports": "true"})) == ["Savanna Crafts"]
    assert names(client.get(MSMES, {"exports": "false"})) == ["Nile Foods", "Rift Software"]
    assert names(client.get(MSMES, {"q": "foods"})) == ["Nile Foods"]
    assert names(client.get(MSMES, {"q": "KE-3"})) == ["Rift Software"]
    assert names(client.get(MSMES, {"search": "savanna"})) == ["Savanna Crafts"]
    assert names(client.get(MSMES, {"search": "KE-2"})) == ["Nile Foods"]
    assert names(client.get(MSMES, {"ordering": "-employees"}))[0] == "Nile Foods"


def test_a_bad_filter_value_is_400_naming_the_filter(client, agency, some_msmes):
    response = client.get(MSMES, {"size_class": "gigantic"})
    assert response.status_code == 400
    assert "size_class" in response.json()
    response = client.get(MSMES, {"maturity_level": "9"})
    assert response.status_code == 400
    assert "maturity_level" in response.json()


@pytest.mark.parametrize("param", ["q", "search", "region", "sector_isic"])
def test_a_nul_character_in_a_filter_is_400_not_500(client, agency, some_msmes, param):
    response = client.get(MSMES, {param: "Foods\x00"})
    assert response.status_code == 400
    assert param in response.json()


def test_a_body_that_is_not_an_object_is_400(client, agency, tenant_a):
    response = client.post(MSMES, [payload()], content_type="application/json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
    response = client.post(assets_url(make(tenant_a)), ["x"], content_type="application/json")
    assert response.status_code == 400 and "non_field_errors" in response.json()


def test_page_size_and_its_cap(client, agency, tenant_a):
    with tenant_context(tenant_a):
        MsmeFactory.create_batch(205)
    default = client.get(MSMES).json()
    assert default["count"] == 205 and len(default["results"]) == 25
    assert len(client.get(MSMES, {"page_size": 10}).json()["results"]) == 10
    second = client.get(MSMES, {"page_size": 100, "page": 2}).json()
    assert len(second["results"]) == 100 and second["previous"] and second["next"]
    assert len(client.get(MSMES, {"page_size": 1000}).json()["results"]) == 200


def test_the_list_keeps_a_constant_number_of_queries(client, agency, tenant_a):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(MSMES, {"page_size": 100})
        assert response.status_code == 200
        return len(captured)

    with tenant_context(tenant_a):
        MsmeFactory.create_batch(2)
        few = queries()
        MsmeFactory.create_batch(40, sector_isic_id="5610", sector_section="I")
    assert queries() == few


def test_the_members_list_keeps_a_constant_number_of_queries(client, member, tenant_a):
    _user, _own = member

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(MSMES)
        assert response.status_code == 200
        return len(captured)

    few = queries()
    with tenant_context(tenant_a):
        MsmeFactory.create_batch(20)
    assert queries() == few


# --- Validation: 400 naming the field -------------------------------------------------------


def test_duplicate_registration_number_in_the_tenant_is_400(client, agency, tenant_a, tenant_b):
    make(tenant_a, registration_number="KE-100")
    make(tenant_b, registration_number="KE-200")
    response = client.post(MSMES, payload(), content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["registration_number"]
    # Surrounding blanks do not hide the clash.
    response = client.post(MSMES, payload(registration_number=" KE-100 "), content_type="application/json")
    assert response.status_code == 400 and "registration_number" in response.json()
    # The same number in another tenant is fine.
    response = client.post(MSMES, payload(registration_number="KE-200"), content_type="application/json")
    assert response.status_code == 201, response.content


def test_changing_to_a_taken_registration_number_is_400(client, agency, tenant_a):
    make(tenant_a, registration_number="KE-100")
    other = make(tenant_a, registration_number="KE-101")
    response = client.patch(detail(other), {"registration_number": "KE-100"}, content_type="application/json")
    assert response.status_code == 400 and "registration_number" in response.json()
    # Its own number again is no clash.
    response = client.patch(detail(other), {"registration_number": "KE-101"}, content_type="application/json")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sector_isic", "9999"),
        ("sector_isic", "Z"),
        ("employees", -1),
        ("employees", "many"),
        ("founded_year", timezone.localdate().year + 1),
        ("region", "PH-MGN"),
        ("region", "XX-99"),
        ("preferred_language", "xx"),
        ("preferred_channel", "pigeon"),
        ("annual_turnover_eur", "-5"),
        ("email", "not-an-address"),
        ("maturity_level", 7),
        ("name", ""),
        ("name", "x" * 201),
        ("employees", 10**12),
        ("annual_turnover_eur", "1e20"),
        ("annual_turnover_eur", "NaN"),
        ("region", 5),
        ("region", ["KE-30"]),
        ("founded_year", 99999),
        ("founded_year", 1700),
        ("website", "javascript:alert(1)"),
        ("sector_isic", None),
        ("exports", "maybe"),
        ("name", "Nul\x00Byte"),
    ],
)
def test_bad_input_is_400_naming_the_field(client, agency, field, value):
    response = client.post(MSMES, payload(**{field: value}), content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert client.get(MSMES).json()["count"] == 0


def test_required_fields_are_named(client, agency):
    response = client.post(MSMES, {}, content_type="application/json")
    assert response.status_code == 400
    assert {"name", "registration_number", "sector_isic", "employees"} <= set(response.json())


def test_malformed_json_is_400_not_500(client, agency):
    response = client.post(MSMES, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_a_bad_update_is_400_and_changes_nothing(client, agency, tenant_a):
    msme = make(tenant_a, name="Loom", employees=5)
    response = client.patch(detail(msme), {"employees": -3, "name": "Renamed"}, content_type="application/json")
    assert response.status_code == 400 and "employees" in response.json()
    with tenant_context(tenant_a):
        msme.refresh_from_db()
    assert (msme.name, msme.employees) == ("Loom", 5)


def test_region_and_language_are_normalised(client, agency):
    response = client.post(MSMES, payload(region="ke-30", preferred_language="SW"), content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["region"], response.json()["preferred_language"]) == ("KE-30", "sw")


def test_read_only_fields_are_ignored_and_size_class_is_computed(client, agency, tenant_a):
    response = client.post(
        MSMES,
        payload(
            employees=300,
            size_class="micro",
            verification="pending",
            sector_section="Z",
            consent_given_at="2000-01-01T00:00:00Z",
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["size_class"] == "large"
    assert body["verification"] == "verified"
    assert body["sector_section"] == "C"
    assert body["consent_given_at"] is None
    changed = client.patch(
        f"{MSMES}{body['id']}/", {"size_class": "micro", "verification": "pending"}, content_type="application/json"
    )
    assert changed.status_code == 200
    with tenant_context(tenant_a):
        msme = Msme.objects.get(pk=body["id"])
    assert (msme.size_class, msme.verification) == ("large", "verified")


def test_consent_through_the_api_is_stamped(client, agency, tenant_a):
    response = client.post(MSMES, payload(consent_outreach=True), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["consent_source"] == "api" and response.json()["consent_given_at"]
    off = client.patch(f"{MSMES}{response.json()['id']}/", {"consent_outreach": False}, content_type="application/json")
    assert off.json()["consent_source"] == "" and off.json()["consent_given_at"] is None


# --- MSME members ------------------------------------------------------------------------------


def test_a_member_sees_only_their_own_msme(client, member, tenant_a, tenant_b):
    _user, own = member
    other = make(tenant_a, name="Neighbour")
    make(tenant_b, name="Foreign")
    assert names(client.get(MSMES)) == ["Own Business"]
    assert names(client.get(MSMES, {"q": "Neighbour"})) == []
    assert client.get(detail(own)).status_code == 200
    assert client.get(detail(other)).status_code == 404
    assert client.patch(detail(other), {"name": "X"}, content_type="application/json").status_code == 404
    assert client.get(assets_url(other)).status_code == 404
    assert client.get(f"{detail(other)}deadlines/").status_code == 404


def test_a_member_edits_their_own_msme_but_not_its_maturity(client, member, tenant_a):
    _user, own = member
    response = client.patch(detail(own), {"employees": 12}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["size_class"] == "small"
    response = client.patch(detail(own), {"maturity_level": 5}, content_type="application/json")
    assert response.status_code == 400
    assert "maturity_level" in response.json()
    with tenant_context(tenant_a):
        own.refresh_from_db()
    assert own.maturity_level is None


def test_a_member_cannot_clear_the_maturity_level_but_may_send_it_back(client, member, tenant_a):
    _user, own = member
    with tenant_context(tenant_a):
        own.maturity_level, own.maturity_assessed_at = 3, datetime.date(2026, 1, 5)
        own.save()
    response = client.patch(detail(own), {"maturity_level": None}, content_type="application/json")
    assert response.status_code == 400 and "maturity_level" in response.json()
    response = client.patch(detail(own), {"maturity_assessed_at": "2026-02-01"}, content_type="application/json")
    assert response.status_code == 400 and "maturity_assessed_at" in response.json()
    # A GET-modify-PUT round trip carries the stored level back unchanged: fine.
    body = client.get(detail(own)).json()
    body["name"] = "Own Business Ltd"
    response = client.put(detail(own), body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["maturity_level"]) == ("Own Business Ltd", 3)


def test_a_member_cannot_create_or_delete(client, member, tenant_a):
    _user, own = member
    assert client.post(MSMES, payload(), content_type="application/json").status_code == 403
    assert client.post(MSMES, {}, content_type="application/json").status_code == 403  # 403 before validation
    assert client.delete(detail(own)).status_code == 403
    with tenant_context(tenant_a):
        assert Msme.objects.count() == 1


def test_a_member_without_a_link_sees_nothing(client, login_as, tenant_a):
    login_as(Role.MSME_MEMBER, tenant_a)
    make(tenant_a, name="Someone")
    assert names(client.get(MSMES)) == []


# --- Assets --------------------------------------------------------------------------------------


def asset_payload(**overrides) -> dict:
    data = {
        "asset_type": "trademark",
        "jurisdiction": "ke",
        "title": "SAVANNA word mark",
        "status": "registered",
        "filing_date": "2019-03-01",
        "grant_date": "2020-03-01",
        "owner": "Savanna Crafts Ltd",
    }
    data.update(overrides)
    return data


def test_assets_list_create_update_delete(client, agency, tenant_a):
    msme = make(tenant_a)
    other = make(tenant_a)
    make_asset(other, title="Not mine")
    created = client.post(assets_url(msme), asset_payload(), content_type="application/json")
    assert created.status_code == 201, created.content
    asset = created.json()
    assert asset["jurisdiction"] == "KE"
    assert [a["title"] for a in client.get(assets_url(msme)).json()["results"]] == ["SAVANNA word mark"]

    url = f"{assets_url(msme)}{asset['id']}/"
    assert client.get(url).json()["title"] == "SAVANNA word mark"
    patched = client.patch(url, {"title": "SAVANNA figurative mark"}, content_type="application/json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["title"] == "SAVANNA figurative mark"
    assert patched.json()["grant_date"] == "2020-03-01"

    with tenant_context(tenant_a):
        update = AuditEvent.objects.get(object_id=asset["id"], action="update")
    assert update.changes["title"] == ["SAVANNA word mark", "SAVANNA figurative mark"]
    assert (update.parent_id, update.channel) == (msme.pk, "api")

    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
    with tenant_context(tenant_a):
        assert IpAsset.objects.filter(msme=other).count() == 1


def test_an_asset_of_another_msme_is_404_under_this_one(client, agency, tenant_a):
    msme = make(tenant_a)
    other_asset = make_asset(make(tenant_a))
    url = f"{assets_url(msme)}{other_asset.pk}/"
    assert client.get(url).status_code == 404
    assert client.delete(url).status_code == 404


def test_a_trade_secret_with_notes_is_400(client, agency, tenant_a):
    msme = make(tenant_a)
    secret = {
        "asset_type": "trade_secret",
        "jurisdiction": "KE",
        "title": "Dye recipe",
        "status": "in_use",
        "custodian": "Head of production",
        "notes": "The recipe is: indigo, ash, ...",
    }
    response = client.post(assets_url(msme), secret, content_type="application/json")
    assert response.status_code == 400 and "notes" in response.json()
    secret.pop("notes")
    response = client.post(assets_url(msme), secret, content_type="application/json")
    assert response.status_code == 201, response.content
    # Adding notes later is refused too (the stored type counts).
    url = f"{assets_url(msme)}{response.json()['id']}/"
    response = client.patch(url, {"notes": "in the blue binder"}, content_type="application/json")
    assert response.status_code == 400 and "notes" in response.json()


def test_asset_dates_must_be_in_order(client, agency, tenant_a):
    msme = make(tenant_a)
    response = client.post(
        assets_url(msme),
        asset_payload(filing_date="2021-01-01", grant_date="2020-01-01"),
        content_type="application/json",
    )
    assert response.status_code == 400 and "grant_date" in response.json()
    asset = make_asset(msme, filing_date=datetime.date(2020, 1, 1), grant_date=datetime.date(2021, 1, 1))
    url = f"{assets_url(msme)}{asset.pk}/"
    response = client.patch(url, {"filing_date": "2022-01-01"}, content_type="application/json")
    assert response.status_code == 400 and "grant_date" in response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("asset_type", "secret_sauce"),
        ("jurisdiction", "XX"),
        ("status", "zombie"),
        ("filing_date", "31/12/2020"),
        # Renewals are counted decades ahead from these dates: such a year would overflow the calendar.
        ("priority_date", "9999-06-01"),
        ("expiry_date", "1066-10-14"),
    ],
)
def test_bad_asset_input_is_400_naming_the_field(client, agency, tenant_a, field, value):
    msme = make(tenant_a)
    response = client.post(assets_url(msme), asset_payload(**{field: value}), content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_a_member_keeps_their_own_assets(client, member, tenant_a):
    _user, own = member
    response = client.post(assets_url(own), asset_payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    url = f"{assets_url(own)}{response.json()['id']}/"
    assert client.patch(url, {"title": "New title"}, content_type="application/json").status_code == 200
    assert client.delete(url).status_code == 204


def test_assets_list_keeps_a_constant_number_of_queries(client, agency, tenant_a):
    msme = make(tenant_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(assets_url(msme)).status_code == 200
        return len(captured)

    make_asset(msme)
    few = queries()
    for _ in range(15):
        make_asset(msme)
    assert queries() == few


# --- Deadlines -----------------------------------------------------------------------------------


def test_deadlines_come_soonest_first(client, agency, tenant_a):
    msme = make(tenant_a)
    today = timezone.localdate()
    make_asset(msme, title="Late mark", asset_type="trademark", filing_date=today - datetime.timedelta(days=365))
    make_asset(
        msme,
        title="PCT application",
        asset_type="patent",
        jurisdiction="PCT",
        priority_date=today - datetime.timedelta(days=800),
    )
    make_asset(msme, title="Ending", asset_type="copyright", expiry_date=today + datetime.timedelta(days=10))
    make_asset(msme, title="Lapsed", status="lapsed", expiry_date=today + datetime.timedelta(days=3))
    response = client.get(f"{detail(msme)}deadlines/")
    assert response.status_code == 200, response.content
    items = response.json()["results"]
    assert [item["asset_title"] for item in items] == ["Ending", "PCT application", "Late mark"]
    dues = [item["due"] for item in items]
    assert dues == sorted(dues)
    assert {"due", "kind", "label", "asset_id", "asset_title"} <= set(items[0])
    assert items[1]["kind"] == "national_phase"


def test_a_member_sees_their_own_deadlines(client, member):
    _user, own = member
    make_asset(own, expiry_date=timezone.localdate() + datetime.timedelta(days=30))
    response = client.get(f"{detail(own)}deadlines/")
    assert response.status_code == 200
    assert [item["kind"] for item in response.json()["results"]] == ["expiry"]


# --- Import --------------------------------------------------------------------------------------

CSV = (
    "name,registration_number,sector_isic,employees,exports\n"
    "Loom Ltd,R1,1392,4,yes\n"
    "Bad Row,R2,ZZ,-3,maybe\n"
    "Big Co,R3,C,400,no\n"
)


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_import_answers_202_and_the_job_shows_counts_and_row_errors(
    client, agency, tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"file": upload("msmes.csv", CSV.encode())})
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["file_name"] == "msmes.csv" and job["dry_run"] is False
    assert job["status"] in {"queued", "running", "done"}

    got = client.get(f"{IMPORTS}{job['id']}/")
    assert got.status_code == 200
    body = got.json()
    assert body["status"] == "done"
    assert (body["created"], body["updated"], body["skipped"], body["failed"]) == (2, 0, 0, 1)
    assert body["rows_total"] == 3 and body["finished_at"]
    errors = {(e["line"], e["column"]) for e in body["errors"]}
    assert errors == {(3, "sector_isic"), (3, "employees"), (3, "exports")}
    assert all(e["reason"] for e in body["errors"])
    with tenant_context(tenant_a):
        assert sorted(Msme.objects.values_list("registration_number", flat=True)) == ["R1", "R3"]
    assert [item["id"] for item in client.get(IMPORTS).json()["results"]] == [job["id"]]


def test_import_dry_run_and_update_options(client, agency, tenant_a, django_capture_on_commit_callbacks):
    make(tenant_a, registration_number="R1", name="Old name")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            IMPORT, {"file": upload("msmes.csv", CSV.encode()), "dry_run": "true", "on_duplicate": "update"}
        )
    assert response.status_code == 202
    body = client.get(f"{IMPORTS}{response.json()['id']}/").json()
    assert body["dry_run"] is True and body["on_duplicate"] == "update"
    assert (body["created"], body["updated"], body["failed"]) == (1, 1, 1)
    with tenant_context(tenant_a):
        assert Msme.objects.count() == 1 and Msme.objects.get().name == "Old name"


def test_a_non_csv_upload_is_400_naming_file(client, agency, tenant_a):
    response = client.post(IMPORT, {"file": upload("report.pdf", b"%PDF-1.4")})
    assert response.status_code == 400
    assert "file" in response.json()
    response = client.post(IMPORT, {})
    assert response.status_code == 400 and "file" in response.json()
    response = client.post(IMPORT, {"file": upload("msmes.csv", b"x"), "on_duplicate": "merge"})
    assert response.status_code == 400 and "on_duplicate" in response.json()
    with tenant_context(tenant_a):
        assert not ImportJob.objects.exists()


def test_an_unknown_column_fails_the_job_naming_it(client, agency, tenant_a, django_capture_on_commit_callbacks):
    content = b"name,registration_number,sector_isic,employees,favourite_colour\nA,R1,C,3,blue\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"file": upload("msmes.csv", content)})
    assert response.status_code == 202
    body = client.get(f"{IMPORTS}{response.json()['id']}/").json()
    assert body["status"] == "failed"
    assert "favourite_colour" in body["message"]
    with tenant_context(tenant_a):
        assert not Msme.objects.exists()


def test_members_cannot_import_nor_read_import_jobs(client, member, tenant_a):
    """Import jobs are agency staff's: a member is refused (403), as on the import pages."""
    with tenant_context(tenant_a):
        job = ImportJobFactory()
    response = client.post(IMPORT, {"file": upload("msmes.csv", CSV.encode())})
    assert response.status_code == 403
    assert client.get(IMPORTS).status_code == 403
    assert client.get(f"{IMPORTS}{job.pk}/").status_code == 403
    assert client.get(f"{IMPORTS}{job.pk}/errors/").status_code == 403
    with tenant_context(tenant_a):
        assert ImportJob.objects.count() == 1


def test_another_tenants_import_job_is_404(client, agency, tenant_b):
    with tenant_context(tenant_b):
        job = ImportJobFactory()
    assert client.get(f"{IMPORTS}{job.pk}/").status_code == 404
    assert client.get(IMPORTS).json()["results"] == []


# --- Verification, NUL characters, assessment dates, registration numbers -----------------------


def test_a_members_identity_change_through_the_api_needs_verification_again(client, member, tenant_a):
    user, own = member
    assert own.verification == "verified"
    response = client.patch(detail(own), {"employees": 6}, content_type="application/json")
    assert response.json()["verification"] == "verified"
    response = client.patch(
        detail(own), {"name": "Own Business Renamed", "registration_number": "OWN-2"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["verification"] == "pending"
    with tenant_context(tenant_a):
        event = AuditEvent.objects.filter(object_id=own.pk, action="update").order_by("-at").first()
    assert event.actor == user
    assert event.changes["registration_number"] == ["OWN-1", "OWN-2"]
    assert event.changes["verification"] == ["verified", "pending"]


def test_agency_staff_keep_the_verification_when_they_change_the_identity(client, agency, tenant_a):
    msme = make(tenant_a, name="Loom", registration_number="L-1")
    response = client.patch(
        detail(msme), {"name": "Loom Ltd", "registration_number": "L-2"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["verification"] == "verified"


MSME_STRING_FIELDS = [
    "name",
    "registration_number",
    "sector_isic",
    "region",
    "email",
    "phone",
    "website",
    "preferred_language",
    "preferred_channel",
]


@pytest.mark.parametrize("field", MSME_STRING_FIELDS)
def test_a_nul_character_in_any_msme_string_field_is_400_naming_it(client, agency, tenant_a, field):
    response = client.post(MSMES, payload(**{field: "\x00"}), content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    msme = make(tenant_a)
    response = client.patch(detail(msme), {field: "1\x002"}, content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()


ASSET_STRING_FIELDS = [
    "asset_type",
    "jurisdiction",
    "title",
    "status",
    "application_number",
    "registration_number",
    "classes",
    "owner",
    "custodian",
    "storage_location",
    "notes",
    "filing_date",
]


@pytest.mark.parametrize("field", ASSET_STRING_FIELDS)
def test_a_nul_character_in_any_asset_string_field_is_400_naming_it(client, agency, tenant_a, field):
    msme = make(tenant_a)
    response = client.post(assets_url(msme), asset_payload(**{field: "a\x00"}), content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()


@pytest.mark.parametrize("value", ["9999-12-31", "1899-12-31"])
def test_an_implausible_assessment_date_is_400_as_on_the_page(client, agency, tenant_a, value):
    msme = make(tenant_a)
    response = client.patch(
        detail(msme), {"maturity_level": 3, "maturity_assessed_at": value}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert "maturity_assessed_at" in response.json()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.patch(detail(msme), {"maturity_assessed_at": tomorrow}, content_type="application/json")
    assert response.status_code == 400 and "maturity_assessed_at" in response.json()
    today = timezone.localdate().isoformat()
    response = client.patch(detail(msme), {"maturity_assessed_at": today}, content_type="application/json")
    assert response.status_code == 200, response.content


def test_a_member_is_not_told_that_the_agency_holds_a_registration_number(client, member, tenant_a):
    _user, own = member
    make(tenant_a, registration_number="HELD-1")
    response = client.patch(detail(own), {"registration_number": "HELD-1"}, content_type="application/json")
    assert response.status_code == 400
    [message] = response.json()["registration_number"]
    assert "contact your agency" in message
    assert "already" not in message and "another" not in message.lower()
    with tenant_context(tenant_a):
        own.refresh_from_db()
    assert own.registration_number == "OWN-1"


def test_agency_staff_are_told_the_registration_number_is_taken(client, agency, tenant_a):
    make(tenant_a, registration_number="HELD-1")
    other = make(tenant_a, registration_number="MINE-1")
    response = client.patch(detail(other), {"registration_number": "HELD-1"}, content_type="application/json")
    assert response.status_code == 400
    assert "already" in response.json()["registration_number"][0]
