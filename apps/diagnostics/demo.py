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


# Draws of answers tried for a latest assessment that lands on the MSME's level (the registry's demo gave it
# assets that fit that level); past them, the nearest draw is kept.
LEVEL_DRAWS = 12


def _history(rng: random.Random, level: int | None, steps: int) -> list[scoring.Result]:
    """`steps` results, oldest first, none at a higher level than the one after it; the latest lands on
    `level` where one of LEVEL_DRAWS draws does (so the levels and the assets of the demo MSMEs agree)."""
    target = (level - 1) / 4 if level else rng.random() * 0.7
    latest = None
    for _draw in range(LEVEL_DRAWS):
        result = scoring.score(demo_answers(rng, min(1.0, max(0.0, target + rng.uniform(-0.1, 0.1)))))
        if latest is None or abs(result.level - (level or result.level)) < abs(latest.level - (level or latest.level)):
            latest = result
        if level is None or result.level == level:
            break
    history = [latest]
    for step in range(steps - 1):  # backwards from the latest: each earlier one at most as mature as the next
        maturity = max(0.0, target - 0.15 * (step + 1))
        result = scoring.score(demo_answers(rng, maturity))
        while result.level > history[0].level and maturity > 0:
            maturity = max(0.0, maturity - 0.1)
            result = scoring.score(demo_answers(rng, maturity))
        history.insert(0, result)
    return history


def seed_assessments(*, tenant: Tenant, msmes: int = 120) -> int:
    """Give the first `msmes` demo MSMEs of `tenant` (by registration number) one to three assessments over the
    last two years, each a little more mature than the last. Idempotent: an MSME with any assessment is left
    alone, and the next ones are never taken in its place, so a second run makes none."""
    rng = random.Random(f"demo-assessments-{tenant.slug}")  # noqa: S311 (demo data, not secrets)
    now = timezone.now()
    made = 0
    with tenant_context(tenant), transaction.atomic():
        chosen = list(
            Msme.objects.filter(registration_number__startswith=DEMO_PREFIX, erased_at__isnull=True).order_by(
                "registration_number"
            )[:msmes]
        )
        assessed = set(Assessment.objects.filter(msme__in=chosen).values_list("msme_id", flat=True))
        candidates = [msme for msme in chosen if msme.pk not in assessed]
        for msme in candidates:
            steps = rng.randint(1, 3)
            rows = []
            for step, result in enumerate(_history(rng, msme.maturity_level, steps)):
                rows.append(
                    Assessment(
                        msme=msme,
                        tenant=tenant,
                        source=rng.choice([Assessment.Source.SELF, Assessment.Source.AGENCY]),
                        created_at=now - timedelta(days=700 - step * 250 - rng.randint(0, 100)),
                        **result_fields(result),
                    )
                )
            Assessment.objects.bulk_create(rows)
            msme.maturity_assessed_at = None  # the demo's made-up level gives way to its assessments
            sync_maturity_level(msme=msme, actor=None)
            made += len(rows)
    return made


def seed_demo(run: DemoRun) -> None:
    """The demo MSMEs' assessment histories, in each demo tenant."""
    for tenant in demo_tenants():
        run.say(f"{tenant.name}: {seed_assessments(tenant=tenant)} new demo assessments")
