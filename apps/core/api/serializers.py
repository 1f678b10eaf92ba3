"""Serializer bases for tenant-owned models."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers


class TenantModelSerializer(serializers.ModelSerializer):
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
