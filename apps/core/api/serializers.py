"""Serializer bases for tenant-owned models."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import ISO_8601, relations, serializers
from rest_framework import fields as drf_fields
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_contains_nul(item) for item in value)
    if isinstance(value, Mapping):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    return False


class NulFreeInputMixin:
    """Refuses a NUL character in any writable field's input, naming the field (a 400).

    DRF's CharField already does, but a related field (a slug looked up in the database), a choice
    or a date field passes the raw text on: PostgreSQL cannot even compare a text holding NUL, and
    the look-up would fail with a DataError (a 500).
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            errors = {}
            for name, field in self.fields.items():  # type: ignore[attr-defined]
                if field.read_only or name not in data:
                    continue
                values = data.getlist(name) if hasattr(data, "getlist") else data[name]
                if _contains_nul(values):
                    errors[name] = [str(ProhibitNullCharactersValidator.message)]
            if errors:
                raise serializers.ValidationError(errors, code=ProhibitNullCharactersValidator.code)
        return super().to_internal_value(data)  # type: ignore[misc]


# --- Lists: one plan per serializer class, a tight loop per row -------------------------------------------
#
# DRF builds a serializer's fields again for every request (ModelSerializer.get_fields: model introspection,
# field kwargs, labels) and, for every row, walks them through `get_attribute` (a callable check per value)
# and `to_representation`: most of an API list's time. A serializer's fields do not depend on the request
# (see `RowPlanMixin.row_plan`), so the list below builds them once per class and keeps, per field, a getter
# and the field's own `to_representation`: the same values, in the same order, as DRF's loop.

# Fields whose `to_representation` depends on the value alone, never on the serializer, its context or the
# request: one instance of them may serve every request. Exact classes: a subclass may override it.
PURE_FIELDS: frozenset[type[drf_fields.Field]] = frozenset(
    {
        drf_fields.BooleanField,
        drf_fields.CharField,
        drf_fields.ChoiceField,
        drf_fields.DateField,
        drf_fields.DateTimeField,
        drf_fields.DecimalField,
        drf_fields.DurationField,
        drf_fields.EmailField,
        drf_fields.FloatField,
        drf_fields.IntegerField,
        drf_fields.IPAddressField,
        drf_fields.JSONField,
        drf_fields.ReadOnlyField,
        drf_fields.RegexField,
        drf_fields.SlugField,
        drf_fields.TimeField,
        drf_fields.URLField,
        drf_fields.UUIDField,
        relations.PrimaryKeyRelatedField,
        relations.SlugRelatedField,
    }
)


def _reads_model_fields(model: type[models.Model], source_attrs: list[str]) -> bool:
    """Whether `source_attrs` walks only through stored fields and forward relations (no properties, no
    methods, no reverse relations): values that are never callables, so DRF's callable check has nothing
    to do."""
    for position, name in enumerate(source_attrs):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if not field.concrete:  # a reverse relation, a many-to-many, a generic key
            return False
        if position < len(source_attrs) - 1:
            if not field.is_relation:
                return False
            model = field.related_model
    return True


def _generic_getter(field: drf_fields.Field) -> Callable[[Any], Any]:
    """DRF's own `get_attribute`, with its check for None (a related field's pk-only stand-in)."""

    def get(instance: Any) -> Any:
        attribute = field.get_attribute(instance)
        if isinstance(attribute, relations.PKOnlyObject) and attribute.pk is None:
            return None
        return attribute

    return get


def _fast_getter(field: drf_fields.Field) -> Callable[[Any], Any]:
    """A plain attribute read; anything unusual on the way (a missing related row) takes DRF's path."""
    read = operator.attrgetter(".".join(field.source_attrs))
    slow = _generic_getter(field)

    def get(instance: Any) -> Any:
        try:
            return read(instance)
        except (AttributeError, ObjectDoesNotExist):
            return slow(instance)

    return get


def _boolean(field: drf_fields.BooleanField) -> Callable[[Any], Any]:
    slow = field.to_representation

    def represent(value: Any) -> Any:
        return value if value is True or value is False else slow(value)

    represent.keeps = (models.BooleanField,)  # type: ignore[attr-defined]
    return represent


def _is_utc(zone: tzinfo) -> bool:
    return zone is UTC or (isinstance(zone, ZoneInfo) and zone.key in {"UTC", "Etc/UTC"})


def _datetime(field: drf_fields.DateTimeField) -> Callable[[Any], Any]:
    """DRF's DateTimeField.to_representation with the time zone looked up once per list, not per value. A
    value already in UTC (as the database gives them) is written as it is when the zone is UTC: the same
    text as after DRF's `astimezone`, without converting."""
    slow = field.to_representation
    if getattr(field, "format", api_settings.DATETIME_FORMAT) != ISO_8601:
        return slow
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if zone is None:
        return slow
    in_utc = _is_utc(zone)

    def represent(value: Any) -> Any:
        if in_utc and type(value) is datetime and value.tzinfo is UTC:
            return value.isoformat()[:-6] + "Z"
        if not isinstance(value, datetime) or not timezone.is_aware(value):
            return slow(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return slow(value)  # DRF's own error
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent


def _date(field: drf_fields.DateField) -> Callable[[Any], Any]:
    """DRF's DateField.to_representation; a date (not a datetime, which DRF refuses) in ISO 8601 directly."""
    slow = field.to_representation
    if getattr(field, "format", api_settings.DATE_FORMAT) != ISO_8601:
        return slow

    def represent(value: Any) -> Any:
        return value.isoformat() if type(value) is date else slow(value)

    return represent


def _decimal(field: drf_fields.DecimalField) -> Callable[[Any], Any]:
    """DRF's DecimalField.to_representation (as text). PostgreSQL gives a `numeric(m, d)` value with exactly
    d places, which quantizing to d places leaves unchanged: such a value, written in plain notation with
    no more digits than the field allows, is its own text; any other takes DRF's path."""
    slow = field.to_representation
    places, most = field.decimal_places, field.max_digits
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    if not coerce or field.localize or field.normalize_output or not places or most is None:
        return slow

    def represent(value: Any) -> Any:
        if type(value) is Decimal:
            text = str(value)
            point = text.find(".")
            # The point, a sign or a leading zero counted as digits: a conservative bound on the digits.
            if point > 0 and len(text) - point - 1 == places and len(text) - 1 <= most and "E" not in text:
                return text
        return slow(value)

    return represent


def _choice(field: drf_fields.ChoiceField) -> Callable[[Any], Any]:
    """DRF's ChoiceField.to_representation, which gives back the choice whose text is the value's, else the
    value: a stored text (or integer) is given back equal to itself when every choice is a text (or an
    integer), so such a column is taken as stored (`keeps`)."""
    slow = field.to_representation

    def represent(value: Any) -> Any:
        return slow(value)

    kinds = {type(choice) for choice in field.choice_strings_to_values.values()}
    if kinds == {str}:
        represent.keeps = (models.CharField, models.TextField)  # type: ignore[attr-defined]
    elif kinds == {int}:
        represent.keeps = (models.IntegerField,)  # type: ignore[attr-defined]
    return represent


def _representer(field: drf_fields.Field) -> Callable[[Any], Any] | None:
    """The field's `to_representation`, or a quicker exact equivalent; None when it is made per list."""
    kind = type(field)
    if kind is drf_fields.DateTimeField:
        return None  # it depends on the active time zone
    if kind is drf_fields.BooleanField:
        return _boolean(field)
    if kind is drf_fields.DateField:
        return _date(field)
    if kind is drf_fields.DecimalField:
        return _decimal(field)
    if kind is drf_fields.ChoiceField:
        return _choice(field)
    if kind in {drf_fields.CharField, drf_fields.EmailField, drf_fields.SlugField, drf_fields.URLField}:
        return str  # CharField.to_representation
    if kind is drf_fields.IntegerField:
        return int  # IntegerField.to_representation
    if kind is drf_fields.UUIDField and field.uuid_format == "hex_verbose":
        return str  # UUIDField.to_representation
    return field.to_representation


# What a representer gives back unchanged when the database gives it a value of a column of these model fields:
# str a CharField's or TextField's (str), int an integer field's (int). `_boolean`'s and `_choice`'s `keeps` say
# the same of theirs.
_KEEPS: dict[Callable[[Any], Any], tuple[type[models.Field], ...]] = {
    str: (models.CharField, models.TextField),
    int: (models.IntegerField, models.AutoField),
}


def _kept_as_stored(represent: Callable[[Any], Any] | None, model_field: models.Field | None) -> bool:
    """Whether `represent` gives back every stored value of `model_field` as it is (then not called)."""
    if represent is None or model_field is None:
        return False
    if represent in _KEEPS:
        return isinstance(model_field, _KEEPS[represent]) and not model_field.choices
    return isinstance(model_field, getattr(represent, "keeps", ()))


def _model_field(model: type[models.Model], path: str) -> models.Field | None:
    """The model field at the end of a `values_list` path (`sector_isic__title`)."""
    field = None
    for name in path.split("__"):
        if field is not None:
            model = field.related_model
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
    return field


def _stored_path(model: type[models.Model], field: drf_fields.Field) -> tuple[str, bool] | None:
    """Where the field's value is stored, as a `values_list` path (`sector_isic__title`), and whether it
    is a related field's slug (represented as it is stored); None when the value is not a stored column
    reached through keys that are never null (a property, a file, a nullable key: model instances only)."""
    if field.source == "*":
        return None
    path = []
    for position, name in enumerate(field.source_attrs):
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not model_field.concrete:
            return None
        path.append(name)
        last = position == len(field.source_attrs) - 1
        if model_field.is_relation:
            if model_field.null or not (model_field.many_to_one or model_field.one_to_one):
                return None
            model = model_field.related_model
            if last:
                if type(field) is not relations.SlugRelatedField or "__" in field.slug_field:
                    return None
                try:
                    slug = model._meta.get_field(field.slug_field)
                except FieldDoesNotExist:
                    return None
                if not slug.concrete or slug.is_relation or slug.descriptor_class is not DeferredAttribute:
                    return None
                return "__".join([*path, field.slug_field]), True
        elif not last or model_field.descriptor_class is not DeferredAttribute:
            return None
    return "__".join(path), False


@dataclass(frozen=True, slots=True)
class Column:
    """One field of a row plan. `field` None: taken from the request's serializer (it may read the
    context). `represent` None: made for each list (see `_datetime`). `path`: where the value is stored
    (None: only a model instance has it); `slug`: it is a related row's slug, shown as stored."""

    name: str
    field: drf_fields.Field | None = None
    get: Callable[[Any], Any] | None = None
    represent: Callable[[Any], Any] | None = None
    path: str | None = None
    slug: bool = False
    as_stored: bool = False  # the stored value is the representation (a slug, a text, a number, a yes/no)


def row_plan(serializer: serializers.ModelSerializer) -> tuple[Column, ...]:
    """The columns of `serializer`'s readable fields, in DRF's order."""
    model = serializer.Meta.model
    columns = []
    for field in serializer._readable_fields:
        if type(field) not in PURE_FIELDS:
            columns.append(Column(field.field_name))
            continue
        pk_only = isinstance(field, relations.RelatedField) and field.use_pk_only_optimization()
        fast = not pk_only and field.source != "*" and _reads_model_fields(model, field.source_attrs)
        getter = _fast_getter(field) if fast else _generic_getter(field)
        stored = _stored_path(model, field)
        path, slug = stored if stored is not None else (None, False)
        represent = _representer(field)
        as_stored = slug or (path is not None and _kept_as_stored(represent, _model_field(model, path)))
        columns.append(Column(field.field_name, field, getter, represent, path, slug, as_stored))
    return tuple(columns)


def plan_for(serializer_class: type[serializers.ModelSerializer]) -> tuple[Column, ...]:
    """The row plan of a serializer class, built once (from a serializer with no context)."""
    plan = RowListSerializer._plans.get(serializer_class)
    if plan is None:
        plan = RowListSerializer._plans.setdefault(serializer_class, row_plan(serializer_class(context={})))
    return plan


def stored_paths(plan: tuple[Column, ...]) -> tuple[str, ...] | None:
    """The `values_list` paths of every column, or None when one is not a stored value."""
    if any(column.field is None or column.path is None for column in plan):
        return None
    return tuple(column.path for column in plan)  # type: ignore[misc]


def rows_from_values(plan: tuple[Column, ...], rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """The dicts DRF would make of the model rows, made from their stored values (`stored_paths` order). A
    column whose stored value is its representation (`Column.as_stored`) is taken as it is; the others'
    values are represented (None stays None, as DRF leaves it), a column at a time."""
    names = [column.name for column in plan]
    columns = list(zip(*rows, strict=True))
    if not columns:
        return []
    if len(columns) != len(names):
        raise ValueError(f"rows of {len(columns)} values for a plan of {len(names)} columns")
    for position, column in enumerate(plan):
        if not column.as_stored:
            represent = column.represent or _datetime(column.field)  # type: ignore[arg-type]
            columns[position] = [None if value is None else represent(value) for value in columns[position]]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


class RowListSerializer(serializers.ListSerializer):
    """A list of model rows, represented from the class's row plan (built once per serializer class):
    the same dicts as DRF's ListSerializer, without rebuilding the fields for every request."""

    _plans: ClassVar[dict[type, tuple[Column, ...]]] = {}

    def _cells(self) -> list[tuple[str, Callable[[Any], Any], Callable[[Any], Any]]]:
        # Built from a serializer of its own, with no context: the plan outlives this request.
        plan = plan_for(type(self.child))
        cells = []
        for column in plan:
            if column.field is None:
                field = self.child.fields[column.name]  # this request's (DRF builds them once per serializer)
                cells.append((column.name, _generic_getter(field), field.to_representation))
            else:
                cells.append((column.name, column.get, column.represent or _datetime(column.field)))
        return cells

    def to_representation(self, data: Iterable[Any]) -> list[dict[str, Any]]:
        iterable = data.all() if isinstance(data, models.manager.BaseManager) else data
        cells = self._cells()
        rows = []
        for instance in iterable:
            row = {}
            for name, get, represent in cells:
                try:
                    value = get(instance)
                except SkipField:
                    continue
                row[name] = None if value is None else represent(value)
            rows.append(row)
        return rows


class RowPlanMixin:
    """`many=True` gives a RowListSerializer (unless Meta names another list class).

    The plan is built once per class, so the set of fields and their options must not depend on the
    request: a serializer that overrides `__init__`, `get_fields` or `get_field_names` (to drop or add
    fields per caller) must say so with `row_plan = False` (DRF's own list then), or `row_plan = True`
    when its override does not depend on the request. Fields that read the context (a method field, a
    hyperlink, a nested serializer) are fine: they are taken from the request's serializer.
    """

    row_plan: ClassVar[bool | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        overrides = [name for name in ("__init__", "get_fields", "get_field_names") if name in vars(cls)]
        if overrides and "row_plan" not in vars(cls):
            raise TypeError(
                f"{cls.__name__} overrides {', '.join(overrides)}: set row_plan = False if its fields depend on "
                "the request (a RowListSerializer builds them once per class), else row_plan = True."
            )

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> serializers.BaseSerializer:
        if cls.row_plan is False or hasattr(getattr(cls, "Meta", None), "list_serializer_class"):
            return super().many_init(*args, **kwargs)  # type: ignore[misc]
        # DRF's many_init, with the list class chosen here.
        list_kwargs = {key: kwargs.pop(key) for key in serializers.LIST_SERIALIZER_KWARGS_REMOVE if key in kwargs}
        list_kwargs = {key: value for key, value in list_kwargs.items() if value is not None}
        list_kwargs["child"] = cls(*args, **kwargs)
        list_kwargs.update({key: value for key, value in kwargs.items() if key in serializers.LIST_SERIALIZER_KWARGS})
        return RowListSerializer(*args, **list_kwargs)


class TenantModelSerializer(RowPlanMixin, NulFreeInputMixin, serializers.ModelSerializer):
    """Checks the model's tenant-wide unique constraints, which DRF cannot (the tenant is not a field).

    The scoped manager limits the look-up to the active tenant, so a clash is reported as a 400
    naming the field instead of an IntegrityError.
    """

    def get_validators(self) -> list[Any]:
        # DRF's own UniqueTogetherValidator would need `tenant` among the fields.
        return []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model = self.Meta.model
        for constraint in model._meta.constraints:
            if not isinstance(constraint, models.UniqueConstraint) or constraint.condition is not None:
                continue
            fields = [name for name in constraint.fields if name != "tenant"]
            if not fields or len(fields) == len(constraint.fields):
                continue
            values = {}
            for name in fields:
                if name in attrs:
                    values[name] = attrs[name]
                elif self.instance is not None:
                    values[name] = getattr(self.instance, name)
                else:
                    break
            else:
                clash = model.objects.filter(**values)
                if self.instance is not None:
                    clash = clash.exclude(pk=self.instance.pk)
                if clash.exists():
                    raise serializers.ValidationError(
                        {fields[0]: [_("This value is already used in your agency.")]}, code="unique"
                    )
        return attrs


# JSON's own types only, as the schema states them (the helpdesk's and the surveys' serializers use them).
class StrictCharField(serializers.CharField):
    """Text as JSON text only: DRF would read 12 as "12", which the schema (a string) says is refused."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """true or false only: DRF would also read "yes", "1" or 0."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON whole number only: DRF would also read "12", 12.0 or true."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)
