"""Segment writes: create, update and delete, each recorded in the audit trail.

Every write checks the segment with `segment_errors` (the one place that says what a valid segment is: the
form's clean(), the serializer and these services call it) and raises a ValidationError by field, so the
admin, the pages and the API give the same message for the same field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import ngettext

from apps.core.audit import diff, snapshot
from apps.outreach.models import Segment
from apps.outreach.segments import NAME_TAKEN, segment_errors, segment_filters
from apps.tenants import audit

FIELDS = ("name", "description", "filters")


def _save(segment: Segment) -> None:
    # The name was checked first; two people saving the same name at once still meet the constraint, which
    # is the same answer, not a 500.
    try:
        with transaction.atomic():
            segment.save()
    except IntegrityError as error:
        raise ValidationError({"name": [str(NAME_TAKEN)]}) from error


@transaction.atomic
def segment_create(*, data: dict[str, Any], actor: Any = None) -> Segment:
    """A new segment of the active tenant: `data` holds its name, description and filters."""
    segment = Segment(**{name: data[name] for name in FIELDS if name in data})
    errors = segment_errors(name=segment.name, filters=segment.filters)
    if errors:
        raise ValidationError(errors)
    segment.filters = segment_filters(segment.filters)[0]
    segment.created_by = actor if getattr(actor, "pk", None) else None
    _save(segment)
    audit.record(instance=segment, action="create", actor=actor, changes=snapshot(segment))
    return segment


@transaction.atomic
def segment_update(*, segment: Segment, data: dict[str, Any], actor: Any = None) -> Segment:
    """The segment with the fields of `data` changed."""
    before = snapshot(segment)
    for name in FIELDS:
        if name in data:
            setattr(segment, name, data[name])
    errors = segment_errors(name=segment.name, filters=segment.filters, segment=segment)
    if errors:
        raise ValidationError(errors)
    segment.filters = segment_filters(segment.filters)[0]
    _save(segment)
    changes = diff(before, snapshot(segment))
    changes.pop("updated_at", None)
    audit.record(instance=segment, action="update", actor=actor, changes=changes)
    return segment


@transaction.atomic
def segment_delete(*, segment: Segment, actor: Any = None) -> None:
    """Deletes the segment, unless a campaign uses it (its recipients were chosen by it)."""
    segment = Segment.objects.select_for_update().get(pk=segment.pk)
    used = list(segment.campaigns.order_by("name").values_list("name", flat=True)[:4])
    if used:
        total = segment.campaigns.count()
        names = ", ".join(used[:3]) + ("…" if total > 3 else "")
        raise ValidationError(
            ngettext(
                "This segment is used by the campaign %(names)s; it cannot be deleted.",
                "This segment is used by %(count)d campaigns (%(names)s); it cannot be deleted.",
                total,
            )
            % {"count": total, "names": names},
            code="in_use",
        )
    audit.record(instance=segment, action="delete", actor=actor, changes=snapshot(segment))
    segment.delete()
