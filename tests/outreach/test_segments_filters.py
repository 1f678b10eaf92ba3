"""A segment's filters: each one selects what it says, shares the registry's, and a bad one selects nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.outreach.filters import SegmentFilterSet
from apps.outreach.models import Segment
from apps.outreach.segments import count_capped, remembered_counts, segment_count, segment_filters, segment_msmes
from apps.registry.filters import MsmeFilterSet
from apps.tenants.context import tenant_context
from tests.factories import AssessmentFactory, IpAssetFactory, MsmeFactory, SegmentFactory, TenantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant():
    tenant = TenantFactory(slug="seg", name="Segment Agency", country="KE", languages=["fr", "en"])
    tenant.outreach_channels = ["sms", "email"]
    tenant.save()
    with tenant_context(tenant), transaction.atomic():
        yield tenant


def _names(filters: dict) -> set[str]:
    return set(segment_msmes(Segment(name="x", filters=filters)).values_list("name", flat=True))


def test_the_segment_filterset_is_the_registry_s_extended():
    assert issubclass(SegmentFilterSet, MsmeFilterSet)
    assert set(MsmeFilterSet.base_filters) < set(SegmentFilterSet.base_filters)


def test_the_registry_s_own_filters_apply(tenant):
    MsmeFactory(name="Small", size_class="small", region="KE-30", exports=True, verification="pending")
    MsmeFactory(name="Micro", size_class="micro", region="KE-01", maturity_level=3, is_informal=True)
    MsmeFactory(name="Medium", size_class="medium", sector_isic_id="6201", sector_section="J", consent_outreach=True)
    assert _names({"size_class": ["small", "micro"]}) == {"Small", "Micro"}
    assert _names({"region": ["ke-30"]}) == {"Small"}
    assert _names({"maturity_level": ["3"]}) == {"Micro"}
    assert _names({"exports": ["true"]}) == {"Small"}
    assert _names({"is_informal": ["true"]}) == {"Micro"}
    assert _names({"consent_outreach": ["true"]}) == {"Medium"}
    assert _names({"sector_section": ["J"]}) == {"Medium"}
    assert _names({"verification": ["pending"]}) == {"Small"}
    assert _names({}) == {"Small", "Micro", "Medium"}


def test_language_is_the_one_a_campaign_uses_the_agency_s_where_none_is_stated(tenant):
    MsmeFactory(name="Arabic", preferred_language="ar")
    MsmeFactory(name="French", preferred_language="fr")
    MsmeFactory(name="Unstated", preferred_language="")
    assert _names({"language": ["ar"]}) == {"Arabic"}
    # The agency's first language is French: an MSME that stated none is written to in French.
    assert _names({"language": ["fr"]}) == {"French", "Unstated"}
    assert _names({"language": ["en"]}) == set()


def test_channel_is_the_one_a_campaign_uses_the_agency_s_first_where_none_is_stated(tenant):
    MsmeFactory(name="Mail", preferred_channel="email")
    MsmeFactory(name="Whatsapp", preferred_channel="whatsapp")
    MsmeFactory(name="Unstated", preferred_channel="")
    assert _names({"channel": ["sms"]}) == {"Unstated"}  # the agency's first channel
    assert _names({"channel": ["email", "whatsapp"]}) == {"Mail", "Whatsapp"}


def test_interest_is_a_signal_of_the_latest_assessment(tenant):
    now = timezone.now()
    brand = MsmeFactory(name="Brand now")
    AssessmentFactory(msme=brand, signals=["has_inventions"], created_at=now - timedelta(days=30))
    AssessmentFactory(msme=brand, signals=["has_brand", "exports"], created_at=now)
    was_brand = MsmeFactory(name="Brand before")
    AssessmentFactory(msme=was_brand, signals=["has_brand"], created_at=now - timedelta(days=30))
    AssessmentFactory(msme=was_brand, signals=[], created_at=now)
    MsmeFactory(name="Never assessed")
    assert _names({"interest": ["has_brand"]}) == {"Brand now"}
    assert _names({"interest": ["has_inventions"]}) == set()  # an older assessment's signal
    assert _names({"interest": ["exports", "has_brand"]}) == {"Brand now"}


def test_assets_held_by_type_and_any(tenant):
    mark = MsmeFactory(name="Mark")
    IpAssetFactory(msme=mark, asset_type="trademark", status="registered")
    IpAssetFactory(msme=mark, asset_type="trademark", status="pending")  # two: still one row
    patent = MsmeFactory(name="Patent")
    IpAssetFactory(msme=patent, asset_type="patent", status="in_use")
    lapsed = MsmeFactory(name="Lapsed")
    IpAssetFactory(msme=lapsed, asset_type="patent", status="expired")
    MsmeFactory(name="None")
    assert sorted(segment_msmes(Segment(filters={"asset_type": ["trademark"]})).values_list("name", flat=True)) == [
        "Mark"
    ]
    assert _names({"asset_type": ["patent", "trademark"]}) == {"Mark", "Patent"}
    assert _names({"has_assets": ["true"]}) == {"Mark", "Patent"}
    assert _names({"has_assets": ["false"]}) == {"Lapsed", "None"}


def test_diagnostic_taken_or_not(tenant):
    AssessmentFactory(msme=MsmeFactory(name="Taken"))
    twice = MsmeFactory(name="Taken twice")
    AssessmentFactory(msme=twice)
    AssessmentFactory(msme=twice)
    MsmeFactory(name="Not taken")
    assert sorted(segment_msmes(Segment(filters={"diagnostic_taken": ["true"]})).values_list("name", flat=True)) == [
        "Taken",
        "Taken twice",
    ]
    assert _names({"diagnostic_taken": ["false"]}) == {"Not taken"}


def test_lists_of_values_add_no_distinct_and_to_many_filters_no_join(tenant):
    queryset = segment_msmes(
        Segment(
            filters={
                "size_class": ["micro", "small"],
                "maturity_level": ["1", "2"],
                "language": ["fr", "ar"],
                "channel": ["email"],
                "interest": ["has_brand"],
                "asset_type": ["patent"],
                "has_assets": ["true"],
                "diagnostic_taken": ["true"],
            }
        )
    )
    sql = str(queryset.query).upper()
    assert "DISTINCT" not in sql
    assert "JOIN" not in sql.replace('INNER JOIN "REGISTRY_ISICCODE"', "")
    assert sql.count("EXISTS(") == 5  # interest (and "none later"), asset type, any asset, diagnostic


def test_stored_filters_that_do_not_validate_select_nothing(tenant):
    MsmeFactory(name="Any")
    assert _names({"size_class": ["enormous"]}) == set()
    assert _names({"no_such_filter": ["1"]}) == set()
    assert _names({"exports": ["maybe"]}) == set()
    assert list(segment_msmes(Segment(filters=["not", "a", "dict"]))) == []
    assert _names({}) == {"Any"}


def test_segment_filters_normalise_and_name_the_bad_field(tenant):
    filters, errors = segment_filters({"size_class": ["micro"], "exports": "1", "region": " KE-30 ", "q": ""})
    assert errors == {}
    assert filters == {"size_class": ["micro"], "exports": ["true"], "region": ["KE-30"]}
    assert set(segment_filters({"size_class": ["enormous"]})[1]) == {"size_class"}
    assert set(segment_filters({"nonsense": ["x"]})[1]) == {"nonsense"}
    assert set(segment_filters({"interest": [{"a": 1}]})[1]) == {"interest"}
    assert set(segment_filters({"q": "x" * 500})[1]) == {"q"}
    assert set(segment_filters(["size_class"])[1]) == {"filters"}


def test_counts_are_capped(tenant):
    for index in range(7):
        MsmeFactory(name=f"M{index}")
    assert count_capped(segment_msmes(None), 3) == (3, True)
    assert count_capped(segment_msmes(None), 10) == (7, False)


def test_a_segment_s_count_is_remembered_until_it_changes(tenant):
    MsmeFactory(size_class="micro")
    counted, changed, never = SegmentFactory(), SegmentFactory(), SegmentFactory()
    assert segment_count(counted) == 1
    segment_count(changed)
    changed.updated_at += timedelta(seconds=1)  # saved again since it was counted
    with CaptureQueriesContext(connection) as queries:
        remembered = remembered_counts([counted, changed, never])
    assert len(queries) == 0
    assert set(remembered) == {counted.pk}
    assert remembered[counted.pk][0] == 1
