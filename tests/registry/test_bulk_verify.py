"""Bulk verification from the registry list: the checked pending MSMEs of the active tenant, each audited,
bounded, and back to the same filtered page."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.roles import Role
from apps.registry import services
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent
from tests.registry.factories import MsmeFactory, MsmeMemberFactory

pytestmark = pytest.mark.django_db

URL = "/registry/verify/"


@pytest.fixture
def agency(login_as, tenant_a):
    return login_as(Role.AGENCY_STAFF, tenant_a)


def make(tenant, count, **fields):
    with tenant_context(tenant):
        return [MsmeFactory(name=f"Bulk {i:03d}", verification="pending", **fields) for i in range(count)]


def states(tenant, msmes):
    with tenant_context(tenant):
        return [type(m).objects.get(pk=m.pk).verification for m in msmes]


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_url_is_the_routes():
    assert reverse("registry:verify-many") == URL


def test_checked_msmes_are_verified_each_with_its_event_and_the_list_comes_back_filtered(client, agency, tenant_a):
    chosen = make(tenant_a, 3)
    other = make(tenant_a, 1)[0]
    response = client.post(URL, {"msme": [str(m.pk) for m in chosen], "back": "size_class=micro&q=Bulk&page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/registry/?size_class=micro&q=Bulk&page=2"
    assert said(response) == ["3 MSMEs were verified."]
    assert states(tenant_a, chosen) == ["verified"] * 3
    assert states(tenant_a, [other]) == ["pending"]
    with tenant_context(tenant_a):
        events = AuditEvent.objects.filter(action="verify")
        assert sorted(str(e.object_id) for e in events) == sorted(str(m.pk) for m in chosen)
        assert {e.actor_id for e in events} == {agency.pk}


def test_one_msme_is_said_in_the_singular_and_a_verified_one_is_not_verified_again(client, agency, tenant_a):
    pending = make(tenant_a, 1)[0]
    with tenant_context(tenant_a):
        done = MsmeFactory(verification="verified")
    response = client.post(URL, {"msme": [str(pending.pk), str(done.pk)]})
    assert response["Location"] == "/registry/"
    assert said(response) == ["1 MSME was verified."]
    with tenant_context(tenant_a):
        assert AuditEvent.objects.filter(action="verify", object_id=done.pk).count() == 0


def test_another_tenants_msme_is_passed_over(client, agency, tenant_a, tenant_b):
    own = make(tenant_a, 1)[0]
    foreign = make(tenant_b, 1)[0]
    response = client.post(URL, {"msme": [str(own.pk), str(foreign.pk)]})
    assert said(response) == ["1 MSME was verified."]
    assert states(tenant_a, [own]) == ["verified"]
    assert states(tenant_b, [foreign]) == ["pending"]
    with tenant_context(tenant_b):
        assert not AuditEvent.objects.filter(object_id=foreign.pk).exists()


def test_more_than_the_bound_is_refused_and_nothing_is_written(client, agency, tenant_a):
    msmes = make(tenant_a, 2)
    ids = [str(m.pk) for m in msmes] + [str(uuid.uuid4()) for _ in range(services.VERIFY_MANY_MAX - 1)]
    response = client.post(URL, {"msme": ids, "back": "q=Bulk"})
    assert response["Location"] == "/registry/?q=Bulk"
    assert said(response) == ["Select at most 100 MSMEs at a time (101 were selected)."]
    assert states(tenant_a, msmes) == ["pending", "pending"]


@pytest.mark.parametrize("bad", ["not-a-uuid", "1' OR '1'='1", "\x00"])
def test_a_malformed_id_is_a_clear_message_and_nothing_is_written(client, agency, tenant_a, bad):
    msme = make(tenant_a, 1)[0]
    response = client.post(URL, {"msme": [str(msme.pk), bad]})
    assert response.status_code == 302
    assert said(response) == ["The selection is not valid: reload the page and select again."]
    assert states(tenant_a, [msme]) == ["pending"]


def test_nothing_checked_asks_to_select_first(client, agency, tenant_a):
    response = client.post(URL, {"back": "q=x"})
    assert response["Location"] == "/registry/?q=x"
    assert said(response) == ["Select the MSMEs to verify first."]


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/x", "q=a&" + "x" * 2000, "&"])
def test_the_way_back_is_always_the_lists_own_page(client, agency, tenant_a, back):
    response = client.post(URL, {"back": back})
    location = response["Location"]
    assert location == "/registry/" or location.startswith("/registry/?")
    assert "evil.example/" not in location.split("?", 1)[0]


def test_a_get_is_refused(client, agency):
    assert client.get(URL).status_code == 405


@pytest.mark.parametrize("role", [Role.MSME_MEMBER, Role.HELPDESK_AGENT])
def test_other_roles_of_the_tenant_are_refused_and_nothing_is_written(client, login_as, tenant_a, role):
    msme = make(tenant_a, 1)[0]
    user = login_as(role, tenant_a)
    if role == Role.MSME_MEMBER:
        with tenant_context(tenant_a):
            MsmeMemberFactory(msme=msme, user=user)  # even their own MSME: verifying is the agency's
    assert client.post(URL, {"msme": [str(msme.pk)]}).status_code == 403
    assert states(tenant_a, [msme]) == ["pending"]


def test_a_visitor_is_sent_to_sign_in(client, tenant_a):
    msme = make(tenant_a, 1)[0]
    response = client.post(URL, {"msme": [str(msme.pk)]})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert states(tenant_a, [msme]) == ["pending"]


def test_the_list_offers_a_box_for_pending_rows_only_inside_a_form(client, agency, tenant_a):
    pending = make(tenant_a, 1)[0]
    with tenant_context(tenant_a):
        done = MsmeFactory(name="Bulk done", verification="verified")
    page = client.get(reverse("registry:index"), {"q": "Bulk"}).content.decode()
    form = page.split('id="msme-bulk"', 1)[1].split("</form>", 1)[0]
    assert f'name="msme" value="{pending.pk}"' in form
    assert f'value="{done.pk}"' not in page
    assert 'name="back" value="q=Bulk"' in form
    assert 'aria-label="Select Bulk 000"' in form
    assert "csrfmiddlewaretoken" in form


def test_the_service_refuses_too_many_ids_itself(tenant_a, in_tenant):
    in_tenant(tenant_a)
    with pytest.raises(ValidationError):
        services.msme_verify_many(ids=[str(uuid.uuid4())] * (services.VERIFY_MANY_MAX + 1), actor=None)


def test_the_bulk_controls_are_shown_only_on_a_page_with_a_pending_row(client, agency, tenant_a):
    make(tenant_a, 1)
    with tenant_context(tenant_a):
        MsmeFactory(name="Done one", verification="verified")
    controls = ('id="msme-bulk"', 'id="msme-verify-selected"', 'id="msme-select-all"', "js/select-all.js")
    page = client.get(reverse("registry:index"), {"q": "Bulk"}).content.decode()
    assert all(control in page for control in controls)
    # a page of verified MSMEs only: nothing to select, nor to verify
    page = client.get(reverse("registry:index"), {"q": "Done"}).content.decode()
    assert "Done one" in page
    assert not any(control in page for control in controls)
    assert 'name="msme"' not in page
