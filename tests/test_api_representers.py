"""The row plan's representers (apps.core.api.serializers): each gives what the DRF field's own
`to_representation` gives, for the values the database gives and for every other, which take DRF's path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import models
from django.utils import timezone
from rest_framework import fields

from apps.core.api import serializers as plans
from apps.registry.api.serializers import MsmeSerializer


def same(represent, field, values):
    for value in values:
        try:
            expected = field.to_representation(value)
        except Exception as error:  # DRF's own error, which the representer must raise too
            with pytest.raises(type(error)):
                represent(value)
            continue
        assert represent(value) == expected and type(represent(value)) is type(expected), value


@pytest.mark.parametrize(("digits", "places"), [(12, 2), (5, 2), (8, 4), (3, 0)])
def test_decimals_are_drf_s_text(digits, places):
    field = fields.DecimalField(max_digits=digits, decimal_places=places)
    values = [
        Decimal("0.00"), Decimal("-0.00"), Decimal("0"), Decimal("26871.00"), Decimal("-0.50"), Decimal("999.99"),
        Decimal("1234567890.12"), Decimal("12345678901.00"), Decimal("1.234"), Decimal("1.5"), Decimal("1E+2"),
        Decimal("1.0E+5"), Decimal("1.0000"), Decimal("0.0001"), Decimal("1E-7"), Decimal("NaN"), Decimal("-Infinity"),
        1.5, 7, "3.10",
    ]  # fmt: skip
    same(plans._decimal(field), field, values)


def test_a_decimal_field_that_is_not_written_as_text_is_drf_s_own():
    field = fields.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    assert plans._decimal(field) == field.to_representation
    normalised = fields.DecimalField(max_digits=5, decimal_places=2, normalize_output=True)
    assert plans._decimal(normalised) == normalised.to_representation


def test_choices_are_drf_s_and_stored_texts_or_integers_are_kept_as_they_are():
    class Colour(models.TextChoices):
        RED = "red"
        BLUE = "blue"

    texts = fields.ChoiceField(choices=Colour.choices)
    numbers = fields.ChoiceField(choices=[(1, "one"), (2, "two")])
    mixed = fields.ChoiceField(choices=[(1, "one"), ("2", "two")])
    same(plans._choice(texts), texts, ["red", "blue", "green", "", Colour.RED, 1])
    same(plans._choice(numbers), numbers, [1, 2, 3, "1", "x", True])
    same(plans._choice(mixed), mixed, [1, "1", 2, "2"])
    assert plans._kept_as_stored(plans._choice(texts), models.CharField(choices=Colour.choices))
    assert plans._kept_as_stored(plans._choice(numbers), models.IntegerField(choices=[(1, "one"), (2, "two")]))
    assert not plans._kept_as_stored(plans._choice(numbers), models.CharField())
    assert not plans._kept_as_stored(plans._choice(mixed), models.IntegerField())


def test_the_msme_list_s_choice_columns_are_taken_as_stored():
    plan = {column.name: column for column in plans.plan_for(MsmeSerializer)}
    for name in ("preferred_channel", "consent_source", "verification", "size_class", "maturity_level"):
        assert plan[name].as_stored, name


def test_dates_are_drf_s():
    field = fields.DateField()
    same(plans._date(field), field, [dt.date(2025, 2, 28), dt.date(1, 1, 1), "2025-02-28"])
    with pytest.raises(AssertionError):  # DRF refuses a datetime for a date
        plans._date(field)(dt.datetime(2025, 2, 28, tzinfo=dt.UTC))
    formatted = fields.DateField(format="%d/%m/%Y")
    assert plans._date(formatted) == formatted.to_representation


@pytest.mark.parametrize("zone", ["UTC", "Etc/UTC", "Africa/Nairobi", "America/St_Johns"])
def test_datetimes_are_drf_s_in_the_active_time_zone(zone):
    moments = [
        dt.datetime(2026, 12, 7, 15, 12, 28, 590206, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 7, 15, 12, 28, tzinfo=dt.UTC),
        dt.datetime(2026, 6, 1, 0, 0, tzinfo=ZoneInfo("Asia/Kolkata")),
        dt.datetime(2026, 6, 1, 0, 0, tzinfo=ZoneInfo("UTC")),
        dt.datetime(2026, 6, 1, 0, 0),  # naive: DRF makes it aware
        dt.datetime.max.replace(tzinfo=dt.UTC),
    ]
    with timezone.override(zone):
        field = fields.DateTimeField()
        same(plans._datetime(field), field, moments)


def test_utc_is_known_by_its_key():
    assert plans._is_utc(dt.UTC) and plans._is_utc(ZoneInfo("UTC")) and plans._is_utc(ZoneInfo("Etc/UTC"))
    assert not plans._is_utc(ZoneInfo("Africa/Abidjan")) and not plans._is_utc(dt.timezone(dt.timedelta(0), "Z"))
