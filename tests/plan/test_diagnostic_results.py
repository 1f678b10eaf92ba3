"""The result's action plan: a visitor's from their answers, an MSME's from its profile and register.

The diagnostic asks for it through apps.diagnostics.plan, where apps.plan registers its provider."""

from __future__ import annotations

import pytest

from apps.diagnostics import plan, scoring, services
from apps.plan import results
from apps.plan.engine import assets_from_answers
from tests.diagnostics.helpers import LEVEL_3, least_answers
from tests.factories import MsmeFactory

pytestmark = pytest.mark.django_db


def _keys(actions):
    return {action["key"] for action in actions}


def test_a_visitor_with_a_registered_trademark_is_not_told_to_register_one():
    with_brand = least_answers(assets_held=["brand"])
    unregistered = services.visitor_assessment_create(with_brand)
    registered = services.visitor_assessment_create({**with_brand, "trademark": "registered"})
    trademark_keys = {key for key in _keys(plan.actions_for_visitor(unregistered)) if "trademark" in key}
    assert trademark_keys, "the brand without a trademark gets a trademark step"
    assert not trademark_keys & _keys(plan.actions_for_visitor(registered))


def test_the_answers_stand_in_for_the_register_of_a_visitor():
    answers = scoring.validate_answers(least_answers(has_inventions="yes", patent="granted", trademark="applied"))
    assets = assets_from_answers(answers)
    assert {(a.asset_type, a.status) for a in assets} == {("patent", "registered"), ("trademark", "pending")}


def test_an_msmes_plan_reads_the_assessment(tenant_a, in_tenant):
    in_tenant(tenant_a)
    assessment = services.assessment_record(msme=MsmeFactory(), answers=LEVEL_3, source="self")
    actions = plan.actions_for_assessment(assessment)
    assert actions and all({"key", "title", "why", "topic_url"} <= set(action) for action in actions)


def test_the_diagnostic_asks_the_plan_app_for_the_actions(monkeypatch):
    result = services.visitor_assessment_create(least_answers(assets_held=["brand"]))
    assert plan.actions_for_visitor(result) == results.actions_for_visitor(result) != []
    monkeypatch.setattr(plan, "_provider", None)
    assert plan.actions_for_visitor(result) == [], "without a planning app a result has no actions, and no error"
