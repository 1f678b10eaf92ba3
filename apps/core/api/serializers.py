"""Serializer bases for tenant-owned models."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers


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


class TenantModelSerializer(NulFreeInputMixin, serializers.ModelSerializer):
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
