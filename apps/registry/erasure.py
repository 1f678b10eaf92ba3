"""What an MSME's erasure reaches beyond the registry: each app declares the rows it keeps about an MSME and
what erasing them means (apps.registry.services.msme_erase runs them all in its transaction).

An app declares, once (in its AppConfig.ready):

    erased_with_msme(Ticket, blank={"requester_email": "", "body": ""}, placeholder=("subject",))
    erased_with_msme(Attachment, path="ticket__msme", delete=True)

- `path`: the lookup from the model to the MSME (`msme`, or through a key: `ticket__msme`);
- `blank`: fields and the value each gets (text emptied, JSON emptied, a contact removed);
- `placeholder`: fields that must keep a value (a title, a subject) and get "[erased]";
- `delete`: the rows are deleted (with their files: each row's FileFields are removed from storage first).

A model with a key to an MSME that keeps nothing personal says so with `keeps_nothing_personal(model, why)`;
`tests/registry/test_erasure.py` fails on a model that does neither, so a new app cannot forget.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet

ERASED = "[erased]"


@dataclass(frozen=True)
class ErasedWithMsme:
    model: type[models.Model]
    path: str
    blank: Mapping[str, Any] = field(default_factory=dict)
    placeholder: tuple[str, ...] = ()
    delete: bool = False


_ERASED: list[ErasedWithMsme] = []
_KEEPS_NOTHING: dict[type[models.Model], str] = {}


def erased_with_msme(
    model: type[models.Model],
    *,
    path: str = "msme",
    blank: Mapping[str, Any] | None = None,
    placeholder: tuple[str, ...] = (),
    delete: bool = False,
) -> None:
    """Declares what erasing an MSME does to `model`'s rows about it (see the module)."""
    if not delete and not blank and not placeholder:
        raise ValueError(f"{model._meta.label}: say what is blanked, replaced or deleted")
    for name in (*(blank or {}), *placeholder):
        model._meta.get_field(name)  # a misspelt field fails at start-up, not at the first erasure
    declaration = ErasedWithMsme(model, path, dict(blank or {}), tuple(placeholder), delete)
    if declaration not in _ERASED:
        _ERASED.append(declaration)


def keeps_nothing_personal(model: type[models.Model], why: str) -> None:
    """Declares that `model`, though it points at an MSME, holds nothing an erasure must remove."""
    if not why:
        raise ValueError("keeps_nothing_personal() needs a reason")
    _KEEPS_NOTHING[model] = why


def declarations() -> tuple[ErasedWithMsme, ...]:
    return tuple(_ERASED)


def exempt() -> dict[type[models.Model], str]:
    return dict(_KEEPS_NOTHING)


def erase_elsewhere(msme: Any) -> dict[str, int]:
    """Runs every app's declaration for `msme` (inside the caller's transaction); the rows touched per model."""
    touched: dict[str, int] = {}
    for declaration in _ERASED:
        rows = declaration.model._default_manager.filter(**{declaration.path: msme})
        if declaration.delete:
            _delete_files_on_commit(rows)
            count, _ = rows.delete()
        else:
            values = {**declaration.blank, **dict.fromkeys(declaration.placeholder, ERASED)}
            count = rows.update(**values)
        touched[declaration.model._meta.label] = touched.get(declaration.model._meta.label, 0) + count
    return touched


def _delete_files_on_commit(rows: QuerySet) -> None:
    """The stored files of `rows`, removed once the erasure commits: a rolled-back erasure keeps them."""
    fields = [f.name for f in rows.model._meta.concrete_fields if isinstance(f, models.FileField)]
    if not fields:
        return
    for row in rows.only("pk", *fields):
        for name in fields:
            stored = getattr(row, name)
            if stored:
                storage, file_name = stored.storage, stored.name
                transaction.on_commit(lambda storage=storage, file_name=file_name: storage.delete(file_name))
