"""Demo assessments for `seed_demo`: a history of diagnostics for some demo MSMEs, so the MSME pages
show a trend and the plan has answers to work from."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.core.demo import DemoRun
from apps.diagnostics import scoring
from apps.diagnostics.models import Assessment
from apps.diagnostics.questionnaire import MULTI, Question, get_questionnaire
from apps.diagnostics.services import result_fields, sync_maturity_level
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from apps.tenants.demo import demo_tenants
from apps.tenants.models import Tenant

DEMO_PREFIX = "DEMO-"


def demo_answers(rng: random.Random, maturity: float) -> dict[str, Any]:
    """Answers of a business of this maturity (0: least, 1: most), question by question as they are shown."""
    questionnaire = get_questionnaire(None)
    answers: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.is_shown(answers):
            answers[question.id] = _answer(rng, question, maturity)
    return answers


def _answer(rng: random.Random, question: Question, maturity: float) -> Any:
    if question.kind == MULTI:
        ordinary = [option.value for option in question.options if not option.exclusive]
        ticked = [value for value in ordinary if rng.random() < maturity]
        exclusive = [option.value for option in question.options if option.exclusive]
        return ticked or exclusive[:1] or ordinary[:1]
    last = len(question.options) - 1
    index = round(maturity * last + rng.uniform(-1, 1))
    return question.options[min(max(index, 0), last)].value


def seed_assessments(*, tenant: Tenant, msmes: int = 120) -> int:
    """Give up to `msmes` demo MSMEs of `tenant` one to three assessments over the last two years, each a
    little more mature than the last (idempotent: MSMEs with any assessment are left alone)."""
    rng = random.Random(f"demo-assessments-{tenant.slug}")  # noqa: S311 (demo data, not secrets)
    now = timezone.now()
    made = 0
    with tenant_context(tenant), transaction.atomic():
        candidates = (
            Msme.objects.filter(registration_number__startswith=DEMO_PREFIX, erased_at__isnull=True)
            .exclude(pk__in=Assessment.objects.values("msme_id"))
            .order_by("registration_number")[:msmes]
        )
        for msme in candidates:
            maturity = rng.random() * 0.7
            rows = []
            for step in range(rng.randint(1, 3)):
                result = scoring.score(demo_answers(rng, maturity))
                rows.append(
                    Assessment(
                        msme=msme,
                        tenant=tenant,
                        source=rng.choice([Assessment.Source.SELF, Assessment.Source.AGENCY]),
                        created_at=now - timedelta(days=700 - step * 250 - rng.randint(0, 100)),
                        **result_fields(result),
                    )
                )
                maturity = min(1.0, maturity + 0.15)
            Assessment.objects.bulk_create(rows)
            msme.maturity_assessed_at = None  # the demo's made-up level gives way to its assessments
            sync_maturity_level(msme=msme, actor=None)
            made += len(rows)
    return made


def seed_demo(run: DemoRun) -> None:
    """The demo MSMEs' assessment histories, in each demo tenant."""
    for tenant in demo_tenants():
        run.say(f"{tenant.name}: {seed_assessments(tenant=tenant)} new demo assessments")
