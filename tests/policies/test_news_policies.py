"""apps/news/policies.py: every rule asked by every kind of actor of ONE tenant, about nothing (the page),
about a published post, a draft and a closed consultation; the rows a rule gives agree with its answers."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from apps.core import policies
from apps.news.models import Comment, Post
from apps.tenants.context import tenant_context
from tests.factories import NewsCommentFactory, NewsPostFactory
from tests.policies.actors import ROLES, one_tenant, row

pytestmark = pytest.mark.django_db

F, T = False, True

# rule: (no object, a published news post, a draft, a closed consultation)
# fmt: off
POST_RULES = {
    "news.read":    (row(F, T, T, F, T, F, F, F), row(F, T, T, F, T, F, F, F), row(F, F, F, F, T, F, F, F), row(F, T, T, F, T, F, F, F)),
    "news.write":   (row(F, F, F, F, T, F, F, F), row(F, F, F, F, T, F, F, F), row(F, F, F, F, T, F, F, F), row(F, F, F, F, T, F, F, F)),
    "news.comment": (row(F, T, T, F, F, F, F, F), row(F, T, T, F, F, F, F, F), row(F, F, F, F, F, F, F, F), row(F, F, F, F, F, F, F, F)),
    "news.follow":  (row(F, T, T, F, F, F, F, F), row(F, T, T, F, F, F, F, F), row(F, F, F, F, F, F, F, F), row(F, T, T, F, F, F, F, F)),
}
# fmt: on


@pytest.fixture
def world():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        world.published = NewsPostFactory()
        world.draft = NewsPostFactory(status="draft", published_at=None)
        world.closed = NewsPostFactory(kind="consultation", closes_on=timezone.localdate() - datetime.timedelta(days=1))
        world.comment = NewsCommentFactory(post=world.published)
    return world


def answers(world, name, obj=None):
    with tenant_context(world.tenant), transaction.atomic():
        return {role: policies.can(world.actors[role], name, obj) for role in ROLES}


@pytest.mark.parametrize("name", sorted(POST_RULES))
def test_post_rules_for_every_role_of_one_tenant(world, name):
    page, published, draft, closed = POST_RULES[name]
    assert answers(world, name) == page
    assert answers(world, name, world.published) == published
    assert answers(world, name, world.draft) == draft
    assert answers(world, name, world.closed) == closed


def test_moderation_is_the_staff_s(world):
    assert answers(world, "news.moderate") == row(F, F, F, F, T, F, F, F)
    assert answers(world, "news.moderate", world.comment) == row(F, F, F, F, T, F, F, F)


@pytest.mark.parametrize(("name", "model"), [("news.read", Post), ("news.write", Post), ("news.moderate", Comment)])
def test_rows_agree_with_the_answers(world, name, model):
    with tenant_context(world.tenant), transaction.atomic():
        for role in ROLES:
            actor = world.actors[role]
            rows = set(policies.rows(actor, name, model.objects.all()).values_list("pk", flat=True))
            allowed = {obj.pk for obj in model.objects.all() if policies.can(actor, name, obj)}
            assert rows == allowed, role
