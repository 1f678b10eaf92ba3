"""The segments pages: list with bounded counts, the form with its live count and its errors, detail, delete."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.roles import Role
from apps.outreach.models import Segment
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent
from tests.factories import CampaignFactory, MsmeFactory, SegmentFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, tenant_a):
    user = user_with_role(Role.AGENCY_STAFF, tenant_a)
    client.force_login(user)
    return user


def _in(tenant, make):
    with tenant_context(tenant), transaction.atomic():
        return make()


def _msmes(tenant, sizes):
    _in(tenant, lambda: [MsmeFactory(size_class=size) for size in sizes])


def test_the_list_shows_the_counts_made_on_the_segments_pages(client, staff, tenant_a):
    _msmes(tenant_a, ["micro", "micro", "micro", "small"])
    micro = _in(tenant_a, lambda: SegmentFactory(name="Micro ones", filters={"size_class": ["micro"]}))
    _in(tenant_a, lambda: SegmentFactory(name="Small ones", filters={"size_class": ["small"]}))
    assert client.get(reverse("outreach:segment_detail", args=[micro.pk])).status_code == 200
    response = client.get(reverse("outreach:segment_list"))
    assert response.status_code == 200
    rows = {row.split("</bdi>")[0].split("<bdi>")[-1]: row for row in response.content.decode().split("<tr>")[2:]}
    assert '<td class="text-end text-nowrap">3</td>' in rows["Micro ones"]
    assert "ago</td>" in rows["Micro ones"]
    assert '<td class="text-end text-nowrap">—</td>' in rows["Small ones"]  # not counted yet


def test_the_list_s_queries_do_not_grow_with_segments_or_msmes(client, staff, tenant_a):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("outreach:segment_list")).status_code == 200
        return len(captured)

    first = _in(tenant_a, lambda: SegmentFactory(filters={"interest": ["has_brand"], "asset_type": ["patent"]}))
    client.get(reverse("outreach:segment_detail", args=[first.pk]))
    few = queries()
    _msmes(tenant_a, ["micro"] * 30)
    more = _in(
        tenant_a,
        lambda: [SegmentFactory(filters={"size_class": ["micro"], "has_assets": ["false"]}) for _ in range(30)],
    )
    for segment in more[:5]:
        client.get(reverse("outreach:segment_detail", args=[segment.pk]))
    assert queries() == few


def test_search_the_list_by_name(client, staff, tenant_a):
    _in(tenant_a, lambda: (SegmentFactory(name="Exporters"), SegmentFactory(name="Informal")))
    body = client.get(reverse("outreach:segment_list"), {"q": "expo"}).content.decode()
    assert "Exporters" in body and "Informal" not in body


def test_create_a_segment_records_it_and_shows_its_count(client, staff, tenant_a):
    _msmes(tenant_a, ["micro", "micro", "small"])
    response = client.post(
        reverse("outreach:segment_create"),
        {"name": "Micro exporters", "description": "", "size_class": ["micro"], "exports": "", "language": []},
    )
    assert response.status_code == 302
    with tenant_context(tenant_a), transaction.atomic():
        segment = Segment.objects.get(name="Micro exporters")
        assert segment.filters == {"size_class": ["micro"]}
        assert segment.created_by == staff
        assert AuditEvent.objects.filter(object_id=segment.pk, action="create").exists()
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert detail.context["count"] == 2
    assert "size_class=micro" in detail.context["registry_url"]
    assert detail.context["registry_exact"] is True


def test_a_bad_filter_value_is_an_error_of_its_field_and_nothing_is_saved(client, staff, tenant_a):
    response = client.post(
        reverse("outreach:segment_create"), {"name": "Bad", "size_class": ["enormous"], "exports": "maybe"}
    )
    assert response.status_code == 400
    filter_form = response.context["filter_form"]
    assert set(filter_form.errors) == {"size_class", "exports"}
    assert "Correct the filters marked below." in response.content.decode()
    with tenant_context(tenant_a), transaction.atomic():
        assert not Segment.objects.exists()


SHORT_SEARCH = "Type at least 3 characters to search: a shorter term would match too much."


def _field(page: str, name: str) -> str:
    """A filter's field on the form: its input, its help and its error (includes/filter_field.html)."""
    return page.split(f'name="{name}"')[1].split('<div class="mb-3">')[0]


def test_the_region_is_chosen_by_its_name_and_stored_as_its_code(client, staff, tenant_a):
    _in(tenant_a, lambda: (MsmeFactory(name="Nairobi Looms", region="KE-30"), MsmeFactory(region="KE-01")))
    page = client.get(reverse("outreach:segment_create")).content.decode()
    region = _field(page, "region")
    assert "The region's name or its ISO 3166-2 code." in region and "subdivision code" not in region
    # The search says how long a term must be (the registry's own rule), instead of a wrong "whole number".
    search = _field(page, "q")
    assert "Part of the name or of the registration number, at least 3 characters." in search
    assert "whole registration number" not in page

    response = client.post(reverse("outreach:segment_create"), {"name": "Capital", "region": "nairobi city"})
    assert response.status_code == 302
    with tenant_context(tenant_a), transaction.atomic():
        segment = Segment.objects.get(name="Capital")
    assert segment.filters == {"region": ["KE-30"]}
    assert client.get(response["Location"]).context["count"] == 1
    refused = client.post(reverse("outreach:segment_create"), {"name": "Nowhere", "region": "Atlantis"})
    assert refused.status_code == 400 and "Atlantis is not a region of this country." in refused.content.decode()


@pytest.mark.parametrize("term", ["a", "ab", " ab "])
def test_a_search_term_too_short_is_refused_with_the_registry_s_message(client, staff, tenant_a, term):
    response = client.post(reverse("outreach:segment_create"), {"name": "Short", "q": term})
    assert response.status_code == 400
    assert response.context["filter_form"].errors["q"] == [SHORT_SEARCH]
    assert SHORT_SEARCH in _field(response.content.decode(), "q")  # under its field
    with tenant_context(tenant_a), transaction.atomic():
        assert not Segment.objects.exists()
    # The live count says why it counts nobody, as the term is typed.
    count = client.get(reverse("outreach:segment_count"), {"q": term}, headers={"HX-Request": "true"})
    assert f"Search: {SHORT_SEARCH}" in count.content.decode()


def test_a_stored_segment_that_selects_nobody_says_which_filter_is_why(client, staff, tenant_a):
    _msmes(tenant_a, ["micro"])
    segment = _in(tenant_a, lambda: SegmentFactory(filters={"q": ["ab"], "size_class": ["micro"]}))
    response = client.get(reverse("outreach:segment_detail", args=[segment.pk]))
    assert response.context["count"] == 0
    warning = response.content.decode().split('id="filters-invalid"')[1].split("</div>")[0]
    assert f"Search: {SHORT_SEARCH}" in warning and "Size class" not in warning
    edit = client.get(reverse("outreach:segment_edit", args=[segment.pk])).content.decode()
    assert SHORT_SEARCH in _field(edit, "q")


def test_a_name_taken_in_the_agency_is_a_form_error(client, staff, tenant_a, tenant_b):
    _in(tenant_a, lambda: SegmentFactory(name="Taken"))
    _in(tenant_b, lambda: SegmentFactory(name="Free here"))
    response = client.post(reverse("outreach:segment_create"), {"name": "Taken"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["Your agency already has a segment of this name."]
    # Another agency's segment of that name is no obstacle.
    assert client.post(reverse("outreach:segment_create"), {"name": "Free here"}).status_code == 302


def test_an_empty_or_too_long_name_is_refused(client, staff):
    assert client.post(reverse("outreach:segment_create"), {"name": ""}).status_code == 400
    assert client.post(reverse("outreach:segment_create"), {"name": "x" * 121}).status_code == 400


def test_the_preview_button_counts_without_saving(client, staff, tenant_a):
    _msmes(tenant_a, ["micro", "small"])
    response = client.post(reverse("outreach:segment_create"), {"name": "P", "size_class": ["small"], "preview": "1"})
    assert response.status_code == 200
    assert response.context["count"] == 1
    with tenant_context(tenant_a), transaction.atomic():
        assert not Segment.objects.exists()


def test_the_live_count_follows_the_filters(client, staff, tenant_a):
    _msmes(tenant_a, ["micro", "micro", "small"])
    url = reverse("outreach:segment_count")
    assert client.get(url).context["count"] == 3
    response = client.get(url, {"size_class": ["micro"], "name": "ignored"})
    assert response.status_code == 200 and response.context["count"] == 2
    assert 'data-count="2"' in response.content.decode()
    assert client.get(url, {"size_class": "small", "language": "en"}).context["count"] == 1


def test_the_live_count_is_bounded(client, staff, tenant_a, monkeypatch):
    monkeypatch.setattr("apps.outreach.views.segments.LIVE_COUNT_CAP", 2)
    _msmes(tenant_a, ["micro"] * 3)
    response = client.get(reverse("outreach:segment_count"))
    assert response.context["capped"] is True and response.context["count"] == 2
    assert "More than 2" in response.content.decode()


def test_the_live_count_of_bad_filters_says_so(client, staff):
    url = reverse("outreach:segment_count")
    assert client.get(url, {"size_class": "enormous"}).status_code == 400
    # htmx swaps only a success: its request gets the message with a 200.
    response = client.get(url, {"size_class": "enormous"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Correct the filters" in response.content.decode()


def test_edit_a_segment(client, staff, tenant_a):
    segment = _in(tenant_a, lambda: SegmentFactory(name="Old", filters={"size_class": ["micro"]}))
    url = reverse("outreach:segment_edit", args=[segment.pk])
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert 'value="micro" id="id_size_class_0" checked' in form_page.content.decode()
    assert 'hx-get="/outreach/segments/count/"' in form_page.content.decode()
    response = client.post(url, {"name": "New", "interest": ["exports"], "diagnostic_taken": "true"})
    assert response.status_code == 302
    with tenant_context(tenant_a), transaction.atomic():
        segment.refresh_from_db()
        assert segment.name == "New"
        assert segment.filters == {"interest": ["exports"], "diagnostic_taken": ["true"]}
        event = AuditEvent.objects.get(object_id=segment.pk, action="update")
        assert event.changes["name"] == ["Old", "New"]


def test_the_detail_shows_the_first_msmes_and_a_registry_link_that_says_what_it_leaves_out(client, staff, tenant_a):
    _in(
        tenant_a, lambda: [MsmeFactory(name=f"Shop {i}", size_class="micro", consent_outreach=i < 2) for i in range(12)]
    )
    segment = _in(
        tenant_a, lambda: SegmentFactory(filters={"size_class": ["micro"], "language": ["en"], "region": ["KE-1"]})
    )
    response = client.get(reverse("outreach:segment_detail", args=[segment.pk]))
    assert response.status_code == 200
    assert response.context["first_msmes"] == [] and response.context["count"] == 0
    assert response.context["registry_exact"] is False
    assert response.context["registry_url"] == "/registry/?size_class=micro&region=KE-1"
    segment_all = _in(tenant_a, lambda: SegmentFactory(filters={"size_class": ["micro"]}))
    detail = client.get(reverse("outreach:segment_detail", args=[segment_all.pk]))
    assert detail.context["count"] == 12 and detail.context["consenting"] == 2
    assert len(detail.context["first_msmes"]) == 10
    assert detail.context["registry_exact"] is True
    assert "Shop 0" in detail.content.decode()


def test_a_segment_with_stored_filters_that_no_longer_validate_selects_nobody(client, staff, tenant_a):
    _msmes(tenant_a, ["micro"])
    segment = _in(tenant_a, lambda: SegmentFactory(filters={"size_class": ["gone"]}))
    response = client.get(reverse("outreach:segment_detail", args=[segment.pk]))
    assert response.context["count"] == 0 and response.context["filters_invalid"] is True


def test_delete_a_segment(client, staff, tenant_a):
    segment = _in(tenant_a, SegmentFactory)
    url = reverse("outreach:segment_delete", args=[segment.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    with tenant_context(tenant_a), transaction.atomic():
        assert not Segment.objects.filter(pk=segment.pk).exists()
        assert AuditEvent.objects.filter(object_id=segment.pk, action="delete").exists()


def test_a_segment_used_by_a_campaign_is_not_deleted_and_the_page_says_why(client, staff, tenant_a):
    campaign = _in(tenant_a, lambda: CampaignFactory(name="Renewals"))
    response = client.post(reverse("outreach:segment_delete", args=[campaign.segment_id]))
    assert response.status_code == 409
    assert "used by the campaign Renewals" in response.content.decode()
    with tenant_context(tenant_a), transaction.atomic():
        assert Segment.objects.filter(pk=campaign.segment_id).exists()


def test_another_agency_s_segment_is_not_found(client, staff, tenant_b):
    segment = _in(tenant_b, SegmentFactory)
    for name in ("outreach:segment_detail", "outreach:segment_edit", "outreach:segment_delete"):
        assert client.get(reverse(name, args=[segment.pk])).status_code == 404


def test_a_stored_yes_no_filter_shows_selected_on_the_edit_page(client, staff, tenant_a):
    segment = _in(tenant_a, lambda: SegmentFactory(filters={"exports": ["true"], "has_assets": ["false"]}))
    body = client.get(reverse("outreach:segment_edit", args=[segment.pk])).content.decode()
    assert '<option value="true" selected>Yes</option>' in body.split('name="exports"')[1].split("</select>")[0]
    assert '<option value="false" selected>No</option>' in body.split('name="has_assets"')[1].split("</select>")[0]
