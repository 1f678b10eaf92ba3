"""The API lists' row plan (apps.core.api.serializers.RowListSerializer): the same JSON as DRF's own
ListSerializer, byte for byte, with fields built once per serializer class."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from apps.core.api.serializers import RowListSerializer, TenantModelSerializer
from apps.registry.api.serializers import MsmeSerializer
from apps.registry.models import Msme
from tests.registry.factories import MsmeFactory
from tests.tenancy_app.models import Gadget, Widget

pytestmark = pytest.mark.django_db


def drf_json(serializer_class: type[serializers.Serializer], rows: list, **kwargs) -> bytes:
    """What DRF's own list makes of `rows`."""
    return JSONRenderer().render(serializers.ListSerializer(rows, child=serializer_class(**kwargs), **kwargs).data)


def plan_json(serializer_class: type[serializers.Serializer], rows: list, **kwargs) -> bytes:
    serializer = serializer_class(rows, many=True, **kwargs)
    assert isinstance(serializer, RowListSerializer)
    return JSONRenderer().render(serializer.data)


@pytest.fixture
def msmes(tenant_a, in_tenant):
    in_tenant(tenant_a)
    MsmeFactory(name="Plain")
    MsmeFactory(
        name="Full «ünïcode» & <tags>",
        annual_turnover_eur=Decimal("1234567.50"),
        region="KE-30",
        founded_year=1999,
        email="a@example.org",
        website="https://example.org/x?y=1",
        preferred_language="sw",
        is_university_spinoff=True,
        exports=True,
        consent_outreach=True,
        consent_given_at=timezone.now(),
        consent_source=Msme.ConsentSource.API,
        maturity_level=3,
        maturity_assessed_at=dt.date(2025, 2, 28),
        size_class="medium",
    )
    MsmeFactory(name="Zero turnover", annual_turnover_eur=Decimal("0"), employees=0, maturity_level=None)
    return list(Msme.objects.select_related("sector_isic").order_by("name"))


def test_the_msme_list_is_drf_s_json_byte_for_byte(msmes):
    assert plan_json(MsmeSerializer, msmes) == drf_json(MsmeSerializer, msmes)


def test_times_follow_the_active_time_zone_as_drf_s_do(msmes):
    with timezone.override("Asia/Kolkata"):
        shown = plan_json(MsmeSerializer, msmes)
        assert shown == drf_json(MsmeSerializer, msmes)
    assert b"+05:30" in shown


def test_an_empty_list_and_a_queryset(msmes):
    assert plan_json(MsmeSerializer, []) == b"[]"
    queryset = Msme.objects.select_related("sector_isic").order_by("name")
    assert plan_json(MsmeSerializer, queryset) == drf_json(MsmeSerializer, msmes)


class GadgetSerializer(TenantModelSerializer):
    """Fields the plan must leave to DRF: a method field reading the context, a method as source, a
    pk-only related field; and a dotted source through a key."""

    widget_name = serializers.CharField(source="widget.name")
    caller = serializers.SerializerMethodField()
    label = serializers.CharField(source="__str__")
    widget_label = serializers.CharField(source="widget.__str__")

    class Meta:
        model = Gadget
        fields = ["id", "name", "widget", "widget_name", "caller", "label", "widget_label"]

    def get_caller(self, gadget: Gadget) -> str:
        return f"{self.context['caller']}:{gadget.name}"


@pytest.fixture
def gadgets(tenant_a, in_tenant):
    in_tenant(tenant_a)
    widget = Widget.objects.create(name="Spring")
    return [Gadget.objects.create(widget=widget, name=name) for name in ("b", "a")]


def test_fields_that_read_the_request_follow_each_request(gadgets):
    first = plan_json(GadgetSerializer, gadgets, context={"caller": "one"})
    second = plan_json(GadgetSerializer, gadgets, context={"caller": "two"})
    assert first == drf_json(GadgetSerializer, gadgets, context={"caller": "one"})
    assert second == drf_json(GadgetSerializer, gadgets, context={"caller": "two"})
    assert b'"one:b"' in first and b'"two:b"' in second
    assert b'"widget_label":"Spring"' in first


def test_a_missing_related_row_is_drf_s_answer(gadgets):
    class Nullable(GadgetSerializer):
        widget_name = serializers.CharField(source="widget.name", allow_null=True, default=None)

        class Meta(GadgetSerializer.Meta):
            fields = ["id", "widget_name"]

    orphan = Gadget(name="loose")  # no widget: the dotted read fails, and DRF's rules answer
    assert plan_json(Nullable, [orphan]) == drf_json(Nullable, [orphan])


def test_a_serializer_whose_fields_may_depend_on_the_request_must_say_so():
    with pytest.raises(TypeError, match="row_plan"):

        class PerCaller(TenantModelSerializer):
            class Meta:
                model = Gadget
                fields = ["id", "name"]

            def get_fields(self):
                return super().get_fields()

    class PerCallerDeclared(TenantModelSerializer):
        row_plan = False

        class Meta:
            model = Gadget
            fields = ["id", "name"]

        def get_fields(self):
            return super().get_fields()

    listed = PerCallerDeclared([], many=True)
    assert type(listed) is serializers.ListSerializer


def test_the_api_list_read_as_stored_values_is_drf_s_json(msmes, tenant_a, client):
    """MsmeViewSet reads its page with values_list (apps.core.api.lists): the same JSON as DRF's list of
    model instances, for the same page."""
    from apps.accounts.services import api_token_create
    from apps.core.api.serializers import plan_for, stored_paths
    from apps.core.roles import Role
    from tests.factories import user_with_role

    assert stored_paths(plan_for(MsmeSerializer)) is not None  # so the list below takes that path
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    _token, key = api_token_create(user=staff, membership=staff.memberships.get(), name="t")
    for query, zone in (
        ("?page_size=2", "UTC"),
        ("?page_size=2&page=2", "UTC"),
        ("?ordering=-employees", "Asia/Kolkata"),
        ("?q=Plain", "UTC"),
    ):
        with timezone.override(zone):
            answer = client.get(f"/api/v1/msmes/{query}", HTTP_AUTHORIZATION=f"Token {key}")
            assert answer.status_code == 200
            body = answer.json()
            ids = [row["id"] for row in body["results"]]
            rows = sorted(
                Msme.objects.select_related("sector_isic").filter(pk__in=ids), key=lambda msme: ids.index(str(msme.pk))
            )
            assert JSONRenderer().render(body["results"]) == drf_json(MsmeSerializer, rows), query
            assert (b"+05:30" in answer.content) == (zone != "UTC")


def test_a_serializer_with_a_value_only_an_instance_has_is_listed_from_instances():
    from apps.core.api.serializers import plan_for, stored_paths

    assert stored_paths(plan_for(GadgetSerializer)) is None  # a method field, a method as source
