"""National overlays of the guidance topics: agency staff write theirs, everyone reads any agency's."""

from __future__ import annotations

import pytest
from django.conf import settings

from apps.core.roles import Role
from apps.guidance.models import TopicOverlay
from apps.guidance.overlays import overlay_for
from apps.tenants.context import NoActiveTenant, get_active_tenant, tenant_context, unscoped
from tests.factories import TopicOverlayFactory

pytestmark = pytest.mark.django_db

EDIT_URL = "/guidance/patents/overlay/"
PAGE_URL = "/guidance/patents/"
GOOD = {
    "office_name": "Kenya Industrial Property Institute",
    "office_url": "https://www.kipi.go.ke/",
    "fees": "Filing fee: KES 5,000\nExamination: KES 10,000",
    "contacts": "Nairobi, Weights and Measures Complex\n+254 20 000000",
    "local_tiscs": "TISC at the University of Nairobi",
    "notes": "",
}


def overlays_of(tenant) -> list[TopicOverlay]:
    with tenant_context(tenant):
        return list(TopicOverlay.objects.all())


def test_staff_open_an_empty_form(client, login_as, tenant_a, topic_content):
    login_as(Role.AGENCY_STAFF, tenant_a)
    response = client.get(EDIT_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="office_name"' in page and 'name="local_tiscs"' in page
    assert "Agency A" in page


def test_staff_save_their_agencys_overlay_and_see_it_on_the_page(client, login_as, tenant_a, topic_content):
    user = login_as(Role.AGENCY_STAFF, tenant_a)
    response = client.post(EDIT_URL, GOOD)
    assert response.status_code == 302
    assert response["Location"] == "/guidance/patents/#national-office"
    [overlay] = overlays_of(tenant_a)
    assert (overlay.topic, overlay.office_name, overlay.updated_by) == ("patents", GOOD["office_name"], user)
    page = client.get(PAGE_URL).content.decode()
    assert "Kenya Industrial Property Institute" in page
    assert "Filing fee: KES 5,000<br>Examination: KES 10,000" in page
    assert 'href="https://www.kipi.go.ke/"' in page
    assert 'id="overlay-edit-link"' in page


def test_saving_again_updates_the_same_overlay(client, login_as, tenant_a, topic_content):
    login_as(Role.AGENCY_STAFF, tenant_a)
    client.post(EDIT_URL, GOOD)
    page = client.get(EDIT_URL).content.decode()
    assert "Kenya Industrial Property Institute" in page
    client.post(EDIT_URL, {**GOOD, "office_name": "KIPI"})
    assert [overlay.office_name for overlay in overlays_of(tenant_a)] == ["KIPI"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("office_url", "not a url", "Enter a valid URL."),
        ("office_url", "javascript:alert(1)", "Enter a valid URL."),
        ("office_name", "", "This field is required."),
        ("fees", "x" * 5001, "Ensure this value has at most 5000 characters"),
    ],
)
def test_bad_input_answers_400_with_the_error(client, login_as, tenant_a, topic_content, field, value, message):
    login_as(Role.AGENCY_STAFF, tenant_a)
    response = client.post(EDIT_URL, {**GOOD, field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="form-errors"' in page
    assert message in page
    assert overlays_of(tenant_a) == []


def test_user_text_is_escaped(client, login_as, tenant_a, topic_content):
    login_as(Role.AGENCY_STAFF, tenant_a)
    client.post(EDIT_URL, {**GOOD, "notes": "<script>alert(1)</script>\n<b>bold</b>"})
    page = client.get(PAGE_URL).content.decode()
    assert "<script>alert(1)</script>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;b&gt;bold&lt;/b&gt;" in page


@pytest.mark.parametrize("role", [Role.MSME_MEMBER, Role.HELPDESK_AGENT])
def test_other_roles_cannot_edit(client, login_as, tenant_a, topic_content, role):
    login_as(role, tenant_a)
    assert client.get(EDIT_URL).status_code == 403
    assert client.post(EDIT_URL, GOOD).status_code == 403
    assert overlays_of(tenant_a) == []
    assert 'id="overlay-edit-link"' not in client.get(PAGE_URL).content.decode()


@pytest.mark.parametrize("role", [Role.DIVISION_ANALYST, Role.PLATFORM_ADMIN])
def test_tenantless_roles_cannot_edit(client, login_as, topic_content, role):
    login_as(role)
    assert client.post(EDIT_URL, GOOD).status_code == 403
    with unscoped("test: nothing was saved anywhere"):
        assert not TopicOverlay.objects.exists()


def test_visitors_are_sent_to_sign_in(client, topic_content):
    response = client.get(EDIT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_unknown_topic_has_no_overlay_form(client, login_as, tenant_a, topic_content):
    login_as(Role.AGENCY_STAFF, tenant_a)
    assert client.get("/guidance/nonsense/overlay/").status_code == 404
    assert client.get("/guidance/madrid/overlay/").status_code == 404  # no file in the test content


def test_another_agencys_staff_neither_see_nor_edit_it(client, login_as, tenant_a, tenant_b, topic_content):
    with tenant_context(tenant_a):
        TopicOverlayFactory(office_name="Office of Agency A", fees="Fees of A")
    login_as(Role.AGENCY_STAFF, tenant_b)
    form = client.get(EDIT_URL).content.decode()
    assert "Office of Agency A" not in form and "Fees of A" not in form
    page = client.get(PAGE_URL).content.decode()
    assert "Office of Agency A" not in page
    assert "Agency B has not added national information to this topic yet." in page
    client.post(EDIT_URL, {**GOOD, "office_name": "Office of Agency B"})
    assert [o.office_name for o in overlays_of(tenant_a)] == ["Office of Agency A"]
    assert [o.office_name for o in overlays_of(tenant_b)] == ["Office of Agency B"]


def test_members_see_their_own_agencys_overlay(client, login_as, tenant_a, tenant_b, topic_content):
    with tenant_context(tenant_a):
        TopicOverlayFactory(office_name="Office of Agency A")
    with tenant_context(tenant_b):
        TopicOverlayFactory(office_name="Office of Agency B")
    login_as(Role.MSME_MEMBER, tenant_a)
    page = client.get(PAGE_URL).content.decode()
    assert "Office of Agency A" in page and "Office of Agency B" not in page


def test_a_visitor_picks_an_agency(client, tenant_a, tenant_b, topic_content):
    with tenant_context(tenant_a):
        TopicOverlayFactory(office_name="Office of Agency A", local_tiscs="TISC Mombasa")
    with tenant_context(tenant_b):
        TopicOverlayFactory(office_name="Office of Agency B")
    page = client.get(PAGE_URL).content.decode()
    assert 'id="agency-select"' in page
    assert '<option value="aa">Agency A (Kenya)</option>' in page
    assert "Office of Agency" not in page  # nobody chosen yet
    page = client.get(PAGE_URL + "?agency=aa").content.decode()
    assert "Office of Agency A" in page and "TISC Mombasa" in page and "Office of Agency B" not in page
    assert '<option value="aa" selected>' in page
    page = client.get(PAGE_URL + "?agency=bb").content.decode()
    assert "Office of Agency B" in page and "Office of Agency A" not in page


def test_the_agency_picker_names_other_countries_in_the_visitors_language(client, tenant_a, topic_content):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(PAGE_URL).content.decode()
    assert '<option value="aa">Agency A (Kenya)</option>' in page


def test_an_unknown_agency_is_a_clear_400(client, tenant_a, topic_content):
    response = client.get(PAGE_URL + "?agency=nowhere")
    assert response.status_code == 400
    assert 'id="agency-unknown"' in response.content.decode()


def test_a_signed_in_member_can_look_at_another_agency(client, login_as, tenant_a, tenant_b, topic_content):
    with tenant_context(tenant_b):
        TopicOverlayFactory(office_name="Office of Agency B")
    login_as(Role.MSME_MEMBER, tenant_a)
    page = client.get(PAGE_URL + "?agency=bb").content.decode()
    assert "Office of Agency B" in page


def test_overlays_are_read_in_their_tenants_context_not_unscoped(tenant_a, tenant_b):
    with tenant_context(tenant_b):
        TopicOverlayFactory(office_name="Office of Agency B")
    with tenant_context(tenant_a):
        assert overlay_for(tenant_b, "patents").office_name == "Office of Agency B"
        assert get_active_tenant() == tenant_a  # restored
    assert overlay_for(tenant_a, "patents") is None
    assert overlay_for(None, "patents") is None
    with pytest.raises(NoActiveTenant):
        TopicOverlay.objects.count()


def test_one_overlay_per_tenant_and_topic(tenant_a):
    from django.db import IntegrityError, transaction

    with tenant_context(tenant_a):
        TopicOverlayFactory(topic="patents")
        TopicOverlayFactory(topic="pct")
        with pytest.raises(IntegrityError), transaction.atomic():
            TopicOverlayFactory(topic="patents")


def test_an_empty_post_is_checked_like_any_other(client, login_as, tenant_a, topic_content):
    login_as(Role.AGENCY_STAFF, tenant_a)
    response = client.post(EDIT_URL, {})
    # A bound form either way: saved (every field may be left empty) or shown again with its errors.
    assert response.status_code in {302, 400}
    if response.status_code == 400:
        assert response.context["form"].is_bound
