"""Demo data: in each demo tenant, an open needs survey, in the agency's language, answered by some demo MSMEs."""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from apps.core.demo import DemoRun
from apps.outreach.recipients import msme_language, tenant_language
from apps.registry.models import Msme
from apps.surveys import selectors, services
from apps.surveys.models import Survey
from apps.tenants.context import tenant_context
from apps.tenants.demo import demo_tenants
from apps.tenants.models import Tenant

DEMO_PREFIX = "DEMO-"
ANSWERING = 40  # demo MSMEs that answer, per tenant


def demo_questions() -> list[dict[str, Any]]:
    return [
        {
            "kind": "single",
            "text": _("What would help your business most this year?"),
            "choices": [
                _("Protecting a brand or a name"),
                _("Protecting an invention"),
                _("Licensing or selling IP"),
                _("Enforcing our rights"),
            ],
        },
        {
            "kind": "multiple",
            "text": _("How would you like to learn about IP?"),
            "choices": [_("Workshops"), _("Webinars"), _("Online courses"), _("One-to-one counselling")],
        },
        {
            "kind": "scale",
            "text": _("How well do you know how to protect your IP?"),
            "scale_min": 1,
            "scale_max": 5,
            "scale_min_label": _("Not at all"),
            "scale_max_label": _("Very well"),
        },
        {"kind": "text", "text": _("Anything else we should know?"), "required": False},
    ]


def _answers(rng: random.Random, survey: Survey) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in selectors.questions_of(selectors.version_of(survey)):
        choices = [str(choice.pk) for choice in question.choices.all()]
        if question.kind == "single":
            answers[str(question.pk)] = rng.choice(choices)
        elif question.kind == "multiple":
            answers[str(question.pk)] = rng.sample(choices, rng.randint(1, len(choices)))
        elif question.kind == "scale":
            answers[str(question.pk)] = rng.randint(question.scale_min, question.scale_max)
        elif rng.random() < 0.3:
            answers[str(question.pk)] = rng.choice(
                [_("Help with export markets."), _("Costs of registration are high."), _("More trainings nearby.")]
            )
    return answers


def seed_survey(*, tenant: Tenant, answering: int = ANSWERING) -> int:
    """The tenant's demo survey and its answers (idempotent: a tenant that has it is left alone)."""
    rng = random.Random(f"demo-survey-{tenant.slug}")  # noqa: S311 (demo data, not secrets)
    with tenant_context(tenant), transaction.atomic(), translation.override(tenant_language(tenant)):
        title = _("Your needs in intellectual property")
        if Survey.objects.filter(title=title).exists():
            return 0
        survey = services.survey_create(
            data={
                "title": title,
                "introduction": _("Five minutes to tell us what support your business needs."),
                "language": tenant_language(tenant),
            },
            questions=demo_questions(),
        )
        services.survey_open(survey=survey)
        msmes = Msme.objects.filter(registration_number__startswith=DEMO_PREFIX, erased_at__isnull=True).order_by(
            "registration_number"
        )[:answering]
        made = 0
        for msme in msmes:
            services.response_submit(
                survey=survey, msme=msme, answers=_answers(rng, survey), language=msme_language(msme, tenant)
            )
            made += 1
        return made


def seed_demo(run: DemoRun) -> None:
    for tenant in demo_tenants():
        run.say(f"{tenant.name}: a needs survey with {seed_survey(tenant=tenant)} demo answers")
