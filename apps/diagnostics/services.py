"""Diagnostic writes: recording assessments, visitors' assessments and claiming them after sign-up."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.diagnostics import scoring, selectors
from apps.diagnostics.models import Assessment, VisitorAssessment
from apps.registry import services as registry_services
from apps.registry.maturity import MaturityLevel
from apps.registry.models import Msme
from apps.tenants import audit


def result_fields(result: scoring.Result) -> dict[str, Any]:
    return {
        "questionnaire_version": result.version,
        "answers": result.answers,
        "level": result.level,
        "score": result.score,
        "area_scores": result.area_scores,
        "signals": sorted(str(signal) for signal in result.signals),
        "reasons": [reason.as_dict() for reason in result.reasons],
    }


def sync_maturity_level(*, msme: Msme, actor: Any) -> None:
    """The latest assessment sets the MSME's maturity level, through the registry (so it is audited)."""
    latest = selectors.latest_assessment(msme)
    if latest is None:
        return
    assessed_on = timezone.localdate(latest.created_at)
    if msme.maturity_assessed_at and assessed_on < msme.maturity_assessed_at:
        return  # the agency set a level after this result was taken (e.g. a visitor's result claimed later)
    if msme.maturity_level != latest.level or msme.maturity_assessed_at != assessed_on:
        registry_services.msme_set_maturity(msme=msme, level=latest.level, assessed_on=assessed_on, actor=actor)


@transaction.atomic
def assessment_record(
    *,
    msme: Msme,
    answers: dict[str, Any],
    version: str | None = None,
    actor: Any = None,
    source: str = Assessment.Source.SELF,
) -> Assessment:
    """Validate and score the answers (ValidationError naming the question), keep the assessment, and
    set the MSME's maturity level from its latest assessment."""
    result = scoring.score(answers, version)
    assessment = Assessment.objects.create(
        msme=msme,
        tenant=msme.tenant,
        source=source,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **result_fields(result),
    )
    _record_created(assessment, actor)
    sync_maturity_level(msme=msme, actor=actor)
    return assessment


def _record_created(assessment: Assessment, actor: Any) -> None:
    """In the MSME's history: the outcome, not every answer (the assessment keeps those), named by its level
    (str(assessment) holds the MSME's name, which an erasure must be able to blank)."""
    changes = {name: getattr(assessment, name) for name in ("source", "questionnaire_version", "level", "score")}
    label = str(MaturityLevel(assessment.level).label)
    audit.record(instance=assessment, action=audit.Action.CREATE, actor=actor, changes=changes, label=label)


def visitor_assessment_create(answers: dict[str, Any], version: str | None = None) -> VisitorAssessment:
    """A visitor's assessment: scored and kept without an account (ValidationError naming the question)."""
    return VisitorAssessment.objects.create(**result_fields(scoring.score(answers, version)))


@transaction.atomic
def visitor_assessment_claim(*, visitor_assessment: VisitorAssessment, msme: Msme, user: Any) -> Assessment | None:
    """Copy a visitor's assessment into the MSME's (source "visitor", dated when it was taken).

    Idempotent: claimed once, it answers the same Assessment again (None when it was claimed for an
    MSME of another agency, which this tenant cannot see).
    """
    locked = VisitorAssessment.objects.select_for_update().get(pk=visitor_assessment.pk)
    if locked.claimed_assessment_id:
        return Assessment.objects.filter(pk=locked.claimed_assessment_id).first()
    fields = {name: getattr(locked, name) for name in COPIED_FIELDS}
    assessment = Assessment.objects.create(
        msme=msme,
        tenant=msme.tenant,
        source=Assessment.Source.VISITOR,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
        **fields,
    )
    _record_created(assessment, user)
    locked.claimed_at = timezone.now()
    locked.claimed_assessment_id = assessment.pk
    locked.save(update_fields=["claimed_at", "claimed_assessment_id"])
    visitor_assessment.claimed_at, visitor_assessment.claimed_assessment_id = locked.claimed_at, assessment.pk
    sync_maturity_level(msme=msme, actor=user)
    return assessment


# What a claimed visitor's assessment carries over (the date too: it was taken then).
COPIED_FIELDS = (
    "questionnaire_version",
    "answers",
    "level",
    "score",
    "area_scores",
    "signals",
    "reasons",
    "created_at",
)
