"""System checks of the registry: a model change that would break the MSME import shows at `manage.py check`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register

from apps.registry.importing.sql_path import unfilled_fields
from apps.registry.models import Msme


@register(Tags.models)
def check_import_fills_msme(app_configs: Iterable[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    if app_configs is not None and Msme._meta.app_config not in app_configs:
        return []
    return [
        Error(
            f"The MSME import cannot fill Msme.{name}: the PostgreSQL import would fail on every file.",
            hint="Give the field a default or null=True, or fill it in apps/registry/importing "
            "(columns.py, sql_path.DERIVED).",
            obj=Msme._meta.get_field(name),
            id="registry.E001",
        )
        for name in unfilled_fields()
    ]
