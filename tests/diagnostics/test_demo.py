"""Demo assessments (seed_demo): valid answers, a history per MSME, the registry's level from the latest."""

from __future__ import annotations

import io
import random

import pytest
from django.core.management import call_command

from apps.diagnostics import scoring
from apps.diagnostics.demo import demo_answers, seed_assessments
from apps.diagnostics.models import Assessment
from apps.registry.demo import seed_msmes
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("maturity", [0.0, 0.5, 1.0])
def test_demo_answers_are_valid_answers_of_the_questionnaire(maturity):
    answers = demo_answers(random.Random(1), maturity)
    assert scoring.validate_answers(answers, None)  # raises on an unknown, missing or hidden answer


def test_demo_answers_follow_the_maturity_asked_for():
    low = scoring.score(demo_answers(random.Random(2), 0.0)).score
    high = scoring.score(demo_answers(random.Random(2), 1.0)).score
    assert low < high


def test_seed_assessments_gives_a_history_and_sets_the_level_once(tenant_a):
    seed_msmes(tenant=tenant_a, count=8)
    assert seed_assessments(tenant=tenant_a, msmes=5) >= 5
    with tenant_context(tenant_a):
        assessed = Msme.objects.filter(pk__in=Assessment.objects.values("msme_id"))
        assert assessed.count() == 5
        for msme in assessed:
            latest = Assessment.objects.filter(msme=msme).order_by("-created_at").first()
            assert msme.maturity_level == latest.level
        before = Assessment.objects.count()
    assert seed_assessments(tenant=tenant_a, msmes=5) == 0  # idempotent: the next MSMEs are not taken instead
    with tenant_context(tenant_a):
        assert Assessment.objects.count() == before
    assert seed_assessments(tenant=tenant_a, msmes=8) >= 3  # asked for more: the other three MSMEs get theirs
    with tenant_context(tenant_a):
        assert Msme.objects.filter(pk__in=Assessment.objects.values("msme_id")).count() == 8
        assert Assessment.objects.count() > before
    assert seed_assessments(tenant=tenant_a, msmes=8) == 0


def test_seed_demo_runs_twice_and_makes_assessments():
    call_command("seed_demo", "--msmes", "4", "--tickets", "0", "--password", "x-demo-pass-1", stdout=io.StringIO())
    call_command("seed_demo", "--msmes", "4", "--tickets", "0", "--password", "x-demo-pass-1", stdout=io.StringIO())
    for tenant in Tenant.objects.all():
        with tenant_context(tenant):
            assert Msme.objects.count() == 4
            assert Msme.objects.filter(pk__in=Assessment.objects.values("msme_id")).count() == 4


def test_the_demo_assessments_land_on_the_level_the_registry_s_demo_gave(tenant_a):
    """The registry's demo gives each MSME assets that fit its level: its diagnostics must not contradict it."""
    seed_msmes(tenant=tenant_a, count=40)
    with tenant_context(tenant_a):
        given = dict(Msme.objects.values_list("pk", "maturity_level"))
    seed_assessments(tenant=tenant_a, msmes=40)
    with tenant_context(tenant_a):
        now = dict(Msme.objects.values_list("pk", "maturity_level"))
    levelled = [pk for pk, level in given.items() if level]
    kept = [pk for pk in levelled if now[pk] == given[pk]]
    assert len(kept) >= 0.9 * len(levelled), (len(kept), len(levelled))
    assert all(abs(now[pk] - given[pk]) <= 1 for pk in levelled)


def test_a_demo_history_never_goes_down(tenant_a):
    seed_msmes(tenant=tenant_a, count=30)
    seed_assessments(tenant=tenant_a, msmes=30)
    with tenant_context(tenant_a):
        for msme in Msme.objects.all():
            levels = list(Assessment.objects.filter(msme=msme).order_by("created_at").values_list("level", flat=True))
            assert levels == sorted(levels), (msme.name, levels)
