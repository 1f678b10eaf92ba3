"""apps/core/policies.py: registering and asking rules, and its adapters for pages, API views and templates."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from rest_framework.test import APIRequestFactory

from apps.core import policies
from apps.core.roles import Role
from apps.tenants.scope import ANONYMOUS, Scope, ScopeKind
from apps.tenants.scope import Actor as RealActor


@pytest.fixture(autouse=True)
def _rules_restored():
    rules, declared = dict(policies._RULES), set(policies._DECLARED)
    yield
    policies._RULES.clear()
    policies._RULES.update(rules)
    policies._DECLARED.clear()
    policies._DECLARED.update(declared)


class _User:
    pk = 7
    is_authenticated = True


def actor(role: Role | None) -> RealActor:
    return RealActor(user=_User(), role=role, membership=None, scope=Scope(ScopeKind.NONE))


@pytest.fixture
def staff_rule():
    @policies.rule("tests.staff_only", message="Staff only.")
    def staff_only(actor, obj=None):
        return actor.has_role(Role.AGENCY_STAFF) and (obj is None or obj == "mine")

    return "tests.staff_only"


def test_an_unknown_rule_is_an_error_not_a_no():
    with pytest.raises(policies.UnknownRule):
        policies.can(ANONYMOUS, "registry.edti_msme")


def test_a_rule_is_named_app_dot_action_once():
    with pytest.raises(ImproperlyConfigured):
        policies.rule("no_dot")(lambda actor, obj=None: True)
    with pytest.raises(ImproperlyConfigured):
        policies.rule("registry.view_msme")(lambda actor, obj=None: True)


def test_can_authorize_and_rows(staff_rule):
    assert policies.can(actor(Role.AGENCY_STAFF), staff_rule, "mine")
    assert not policies.can(actor(Role.AGENCY_STAFF), staff_rule, "theirs")
    assert not policies.can(None, staff_rule)  # no actor: anonymous
    with pytest.raises(PermissionDenied, match=r"Staff only\."):
        policies.authorize(actor(Role.MSME_MEMBER), staff_rule)


def _page(rule: str, **options):
    @policies.requires(rule, **options)
    def view(request):
        return HttpResponse("seen")

    return view


def _request(who):
    request = RequestFactory().get("/somewhere/?x=1")
    request.actor = who
    return request


def test_requires_sends_anonymous_visitors_to_sign_in_and_refuses_the_others(staff_rule):
    view = _page(staff_rule)
    response = view(_request(ANONYMOUS))
    assert response.status_code == 302 and "next=/somewhere/%3Fx%3D1" in response["Location"]
    with pytest.raises(PermissionDenied):
        view(_request(actor(Role.MSME_MEMBER)))
    assert view(_request(actor(Role.AGENCY_STAFF))).content == b"seen"
    assert view.policy == staff_rule


def test_requires_per_object_leaves_the_row_to_the_view(staff_rule):
    view = _page(staff_rule, per_object=True)
    assert view(_request(ANONYMOUS)).status_code == 302
    assert view(_request(actor(Role.MSME_MEMBER))).content == b"seen"


def test_a_typo_in_requires_is_a_system_check_error():
    assert policies.check_declared_rules() == []
    _page("registry.edti_msme")
    assert [error.id for error in policies.check_declared_rules()] == ["policies.E001"]


class _View:
    def __init__(self, policy, action=None):
        self.policy, self.action = policy, action


def _api_request(method: str, who):
    request = getattr(APIRequestFactory(), method.lower())("/api/v1/x/")
    request.actor = who
    return request


def test_policy_permission_by_action_by_method_and_fail_closed(staff_rule):
    permission = policies.PolicyPermission()
    view = _View({"list": policies.PUBLIC, "create": staff_rule}, action="create")
    assert not permission.has_permission(_api_request("POST", actor(Role.MSME_MEMBER)), view)
    assert permission.message == "Staff only."
    assert permission.has_permission(_api_request("POST", actor(Role.AGENCY_STAFF)), view)
    assert permission.has_object_permission(_api_request("POST", actor(Role.AGENCY_STAFF)), view, "mine")
    assert not permission.has_object_permission(_api_request("POST", actor(Role.AGENCY_STAFF)), view, "theirs")
    # An action the view does not declare is refused, whoever asks.
    assert not permission.has_permission(_api_request("DELETE", actor(Role.AGENCY_STAFF)), _View({}, "destroy"))
    # OPTIONS asks the rule of reading.
    assert policies.view_rule(_View({"list": staff_rule}, action="metadata"), "OPTIONS") == staff_rule
    assert policies.view_rule(_View({"GET": staff_rule}), "GET") == staff_rule


def test_the_template_tag_asks_the_rule_and_a_missing_object_is_a_no(staff_rule):
    template = Template(
        '{% load policies %}{% can "tests.staff_only" as page %}{% can "tests.staff_only" thing as row %}'
        '{% can "tests.staff_only" missing as nothing %}{{ page }} {{ row }} {{ nothing }}'
    )
    staff = _request(actor(Role.AGENCY_STAFF))
    assert template.render(Context({"request": staff, "thing": "mine"})) == "True True False"
    assert template.render(Context({"request": _request(ANONYMOUS), "thing": "mine"})) == "False False False"
