"""One authority per rule: apps/registry/rules.py (and sizing.py for size classes).

A ratchet fails when a rule's constant or message is written outside its module; a table sends the same bad
value through every write path (page form, API, import by both paths, service) and expects the same message
for the same field.
"""

from __future__ import annotations

import html
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from apps.core.roles import Role
from apps.registry import rules, services
from apps.registry.forms import IpAssetForm, MsmeForm
from apps.registry.importing import service as importing
from apps.registry.models import IpAsset, Msme
from apps.tenants.context import tenant_context
from tests.registry.factories import MsmeFactory

APPS = Path(__file__).resolve().parents[2] / "apps"

# Each rule's constants and words, and the one module allowed to write them.
WRITTEN_ONCE = [
    (r"\b1800\b|\(18\|19", "registry/rules.py"),  # the earliest founding year, also as a regular expression
    (r"10_000_000", "registry/rules.py"),
    (r"date\(1900, 1, 1\)|date\(2199", "registry/rules.py"),
    (r'"ARIPO"', "registry/rules.py"),  # the filing systems an asset may be recorded under
    (r"\"The founding year", "registry/rules.py"),
    (r"already has this registration number", "registry/rules.py"),
    (r"date\(2000, 1, 1\)|\"The assessment date", "registry/rules.py"),
    (r"never write the secret", "registry/rules.py"),
    (r"cannot be before %\(earlier\)s", "registry/rules.py"),
    (r"not an ISO 639-1", "registry/rules.py"),
    (r"not a region", "registry/rules.py"),
    (r"pycountry\.languages if", "registry/rules.py"),
    (r"subdivisions\.get\(country_code", "registry/rules.py"),
    # The size class: its thresholds are read in one place, and SQL and ORM forms are built from it.
    (r"_max_employees|_max_turnover_eur", "registry/sizing.py"),
]


def _sources() -> list[tuple[str, str]]:
    files = []
    for path in sorted(APPS.rglob("*.py")):
        relative = path.relative_to(APPS).as_posix()
        if "/migrations/" in relative or relative.startswith("tenants/"):
            continue  # the tenant's own model, form and migrations declare the size thresholds
        files.append((relative, path.read_text(encoding="utf-8")))
    return files


@pytest.mark.parametrize(("pattern", "home"), WRITTEN_ONCE)
def test_each_rule_is_written_once(pattern, home):
    found = {relative for relative, text in _sources() if re.search(pattern, text)}
    assert found == {home}, f"{pattern!r} is written outside {home}: {sorted(found - {home})}"


# The same bad value through every write path ---------------------------------------------------------------------

NEXT_YEAR = timezone.localdate().year + 1
TODAY = timezone.localdate()

GOOD = {
    "name": "Savanna Crafts",
    "registration_number": "KE-100",
    "sector_isic": "1392",
    "employees": 4,
    "region": "KE-30",
    "founded_year": 2015,
    "preferred_language": "sw",
}

# (field, bad value, the rule's message for it)
MSME_CASES = [
    ("founded_year", NEXT_YEAR, lambda: rules.founded_year_error(NEXT_YEAR)),
    ("founded_year", 1700, lambda: rules.founded_year_error(1700)),
    ("region", "XX-99", lambda: rules.region_error("XX-99", country="KE")),
    ("region", "PH-MGN", lambda: rules.region_error("PH-MGN", country="KE")),
    ("preferred_language", "xx", lambda: rules.language_error("xx")),
    ("employees", rules.MAX_EMPLOYEES + 1, lambda: rules.employees_error(rules.MAX_EMPLOYEES + 1)),
]


def _form_error(tenant, actor, field, value):
    data = {**GOOD, field: value}
    with tenant_context(tenant):
        form = MsmeForm(data=data, tenant=tenant, actor=actor)
        assert not form.is_valid()
    return form.errors.get(field)


def _page_error(client, url, data, field):
    """The page re-shows its form (400) with the error under the field."""
    response = client.post(url, data)
    assert response.status_code == 400, response.status_code
    page = response.content.decode()
    error = re.search(rf'id="id_{field}_error">(.*?)</div>', page)
    return error and html.unescape(error.group(1))


def _api_error(client, field, value):
    response = client.post("/api/v1/msmes/", {**GOOD, field: value}, content_type="application/json")
    assert response.status_code == 400, response.content
    return response.json().get(field)


def _service_error(tenant, actor, field, value):
    from apps.registry.models import IsicCode

    data = {**GOOD, "sector_isic": IsicCode.objects.get(code=GOOD["sector_isic"]), field: value}
    with tenant_context(tenant), pytest.raises(ValidationError) as raised:
        services.msme_create(tenant=tenant, data=data, actor=actor)
    return raised.value.message_dict.get(field)


def _import_errors(tenant, field, value, *, sql: bool, monkeypatch):
    monkeypatch.setattr(importing, "use_sql", lambda: sql)
    header = ",".join(GOOD)
    row = ",".join(str(value if name == field else GOOD[name]) for name in GOOD)
    result = importing.msme_import(
        tenant=tenant, stream=io.BytesIO(f"{header}\n{row}\n".encode()), file_name="m.csv", today=TODAY
    )
    return [(e.line, e.column, e.reason) for e in result.errors]


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "message"), MSME_CASES)
def test_an_msme_rule_says_the_same_on_every_path(client, login_as, tenant_a, monkeypatch, field, value, message):
    staff = login_as(Role.AGENCY_STAFF, tenant_a)
    expected = message()
    assert expected
    assert _form_error(tenant_a, staff, field, value) == [expected]
    assert _page_error(client, reverse("registry:create"), {**GOOD, field: value}, field) == expected
    assert _api_error(client, field, value) == [expected]
    assert _service_error(tenant_a, staff, field, value) == [expected]
    # The SQL path exists on PostgreSQL only.
    for sql in (True, False) if connection.vendor == "postgresql" else (False,):
        assert _import_errors(tenant_a, field, value, sql=sql, monkeypatch=monkeypatch) == [(2, field, expected)]
    with tenant_context(tenant_a):
        assert not Msme.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AGENCY_STAFF, Role.MSME_MEMBER])
def test_the_registration_number_rule_says_the_same_on_every_path(client, login_as, tenant_a, role):
    actor = login_as(role, tenant_a)
    with tenant_context(tenant_a):
        MsmeFactory(registration_number="KE-100")
    expected = rules.registration_number_message(for_agency=role == Role.AGENCY_STAFF)
    assert _form_error(tenant_a, actor, "registration_number", "KE-100") == [expected]
    assert _service_error(tenant_a, actor, "registration_number", "KE-100") == [expected]
    if role == Role.AGENCY_STAFF:  # members do not create MSMEs through the API
        assert _api_error(client, "registration_number", " KE-100 ") == [expected]


@pytest.mark.django_db
def test_an_msme_update_by_a_service_keeps_the_rules(tenant_a, in_tenant):
    in_tenant(tenant_a)
    msme = MsmeFactory(founded_year=2000)
    with pytest.raises(ValidationError) as raised:
        services.msme_update(msme=msme, data={"founded_year": NEXT_YEAR, "preferred_language": "xx"})
    assert raised.value.message_dict == {
        "founded_year": [rules.founded_year_error(NEXT_YEAR)],
        "preferred_language": [rules.language_error("xx")],
    }
    msme.refresh_from_db()
    assert msme.founded_year == 2000


@pytest.mark.django_db
def test_a_service_stores_a_region_and_language_as_codes(tenant_a, in_tenant):
    in_tenant(tenant_a)
    msme = MsmeFactory()
    services.msme_update(msme=msme, data={"region": "nairobi city", "preferred_language": "SW"})
    msme.refresh_from_db()
    assert (msme.region, msme.preferred_language) == ("KE-30", "sw")


ASSET_GOOD = {"asset_type": "patent", "jurisdiction": "KE", "title": "Loom", "status": "pending"}
ASSET_CASES = [
    ({"asset_type": "trade_secret", "notes": "the recipe: ..."}, "notes"),
    ({"filing_date": date(1850, 1, 1)}, "filing_date"),
    ({"filing_date": date(2020, 5, 1), "expiry_date": date(2020, 1, 1)}, "expiry_date"),
    ({"priority_date": date(2021, 1, 1), "filing_date": date(2020, 1, 1)}, "filing_date"),
    ({"jurisdiction": "XX"}, "jurisdiction"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("bad", "field"), ASSET_CASES)
def test_an_asset_rule_says_the_same_on_every_path(client, login_as, tenant_a, bad, field):
    staff = login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a):
        msme = MsmeFactory()
    values = {**ASSET_GOOD, **bad}
    [expected] = rules.asset_errors(values)[field]

    form = IpAssetForm(data={k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()})
    with tenant_context(tenant_a), transaction.atomic():  # as in a request: its constraints are checked in the tenant
        assert not form.is_valid()
    assert form.errors[field] == [expected]

    payload = {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
    assert _page_error(client, reverse("registry:asset-create", args=[msme.pk]), payload, field) == expected
    response = client.post(f"/api/v1/msmes/{msme.pk}/assets/", payload, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()[field] == [expected]

    with tenant_context(tenant_a):
        with pytest.raises(ValidationError) as raised:
            services.asset_create(msme=msme, data=values, actor=staff)
        assert raised.value.message_dict[field] == [expected]
        assert not IpAsset.objects.exists()


@pytest.mark.django_db
def test_an_asset_update_by_a_service_keeps_the_invariants(tenant_a, in_tenant):
    in_tenant(tenant_a)
    msme = MsmeFactory()
    asset = services.asset_create(msme=msme, data={**ASSET_GOOD, "jurisdiction": " ke "})
    assert asset.jurisdiction == "KE"
    with pytest.raises(ValidationError) as raised:
        services.asset_update(asset=asset, data={"asset_type": "trade_secret", "application_number": "KE/1"})
    assert list(raised.value.message_dict) == ["application_number"]


# The size class: one declaration, read by Python, the ORM update and the SQL import alike ---------------------------


@pytest.mark.django_db
def test_the_size_class_is_the_same_from_python_orm_and_sql(tenant_a, in_tenant):
    from apps.registry.sizing import size_class_for, size_class_sql

    in_tenant(tenant_a)
    cases = [(9, None), (9, Decimal("2000000.01")), (10, Decimal("1")), (49, None), (50, None), (250, None)]
    msmes = [MsmeFactory(employees=e, annual_turnover_eur=t, size_class="large") for e, t in cases]
    services.tenant_recompute_size_classes(tenant=tenant_a)
    sql, params = size_class_sql("%(e)s", "%(t)s::numeric", tenant_a)
    for msme, (employees, turnover) in zip(msmes, cases, strict=True):
        msme.refresh_from_db()
        expected = size_class_for(employees=employees, turnover_eur=turnover, tenant=tenant_a)
        assert msme.size_class == expected
        if connection.vendor == "postgresql":  # the SQL import path's expression
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {sql}", {**params, "e": employees, "t": turnover})
                assert cursor.fetchone()[0] == expected


@pytest.mark.django_db
@pytest.mark.parametrize("value", [date(2099, 1, 1), date(1999, 12, 31)])
def test_the_assessment_date_rule_says_the_same_on_every_path(client, login_as, tenant_a, value):
    staff = login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a):
        msme = MsmeFactory()
    expected = rules.assessment_date_error(value)
    assert expected
    response = client.post(
        reverse("registry:maturity", args=[msme.pk]),
        {"maturity_level": "3", "maturity_assessed_at": value.isoformat()},
        follow=True,
    )
    assert html.escape(expected) in response.content.decode()
    response = client.patch(
        f"/api/v1/msmes/{msme.pk}/",
        {"maturity_level": 3, "maturity_assessed_at": value.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["maturity_assessed_at"] == [expected]
    with tenant_context(tenant_a):
        with pytest.raises(ValidationError) as raised:
            services.msme_set_maturity(msme=msme, level=3, assessed_on=value, actor=staff)
        assert raised.value.message_dict == {"maturity_assessed_at": [expected]}
        msme.refresh_from_db()
    assert msme.maturity_level is None


@pytest.mark.django_db
@pytest.mark.parametrize("sql", [True, False])
def test_an_import_skips_a_registration_number_already_stored(tenant_a, monkeypatch, sql):
    """In an import, the number's uniqueness per tenant is the on_duplicate choice: skip (or update), never a
    second MSME."""
    if sql and connection.vendor != "postgresql":
        pytest.skip("the SQL import path runs on PostgreSQL")
    with tenant_context(tenant_a):
        MsmeFactory(registration_number="KE-100", name="Stored")
    monkeypatch.setattr(importing, "use_sql", lambda: sql)
    header = ",".join(GOOD)
    row = ",".join(str(v) for v in GOOD.values())
    result = importing.msme_import(
        tenant=tenant_a, stream=io.BytesIO(f"{header}\n{row}\n".encode()), file_name="m.csv", today=TODAY
    )
    assert (result.created, result.skipped, result.errors) == (0, 1, [])
    with tenant_context(tenant_a):
        assert list(Msme.objects.values_list("name", flat=True)) == ["Stored"]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL import path runs on PostgreSQL")
def test_the_sql_import_takes_its_bounds_from_the_rules(tenant_a, tenant_b, monkeypatch):
    """Move a bound in rules.py alone, and both import paths follow it alike: the SQL checks are not retyped."""
    monkeypatch.setattr(rules, "FOUNDED_FROM", 1990)
    monkeypatch.setattr(rules, "MAX_EMPLOYEES", 100)
    text = (
        "name,registration_number,sector_isic,employees,founded_year\nA,R1,C,100,1990\nB,R2,C,101,1995\nC,R3,C,5,1989\n"
    )
    outcomes = []
    for tenant, sql in ((tenant_a, True), (tenant_b, False)):
        monkeypatch.setattr(importing, "use_sql", lambda sql=sql: sql)
        result = importing.msme_import(tenant=tenant, stream=io.BytesIO(text.encode()), file_name="m.csv", today=TODAY)
        outcomes.append((result.created, [(e.line, e.column, e.reason) for e in result.errors]))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0] == (
        1,
        [(3, "employees", rules.employees_error(101)), (4, "founded_year", rules.founded_year_error(1989))],
    )
