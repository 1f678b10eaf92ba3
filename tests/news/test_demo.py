"""The demo news (seed_demo's news step): in each demo tenant, posts in its languages (one in English only), an
open consultation with two approved comments and one waiting, a closed one and a draft; nothing more on a
second run."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from apps.news.models import Comment, Follow, Post, PostText
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--msmes", "4", "--tickets", "4", "--password", "x-demo-pass-1", stdout=out)
    return out.getvalue()


def _news(slug: str) -> dict:
    tenant = Tenant.objects.get(slug=slug)
    with tenant_context(tenant), transaction.atomic():
        return {
            "posts": sorted(Post.objects.values_list("kind", "status")),
            "languages": set(PostText.objects.values_list("language", flat=True)),
            "comments": sorted(Comment.objects.values_list("status", flat=True)),
            "follows": Follow.objects.count(),
        }


def test_the_demo_has_news_in_each_tenant_s_languages_once():
    output = _seed()
    assert "News in ke: 4 posts made" in output
    kenya, egypt, philippines = _news("ke"), _news("eg"), _news("ph")
    assert kenya["posts"] == [
        ("consultation", "published"),
        ("consultation", "published"),
        ("news", "draft"),
        ("news", "published"),
    ]
    assert kenya["languages"] == {"en", "sw"}
    assert egypt["languages"] == {"en", "ar"}
    assert philippines["languages"] == {"en", "tl"}
    assert kenya["comments"] == ["approved", "approved", "pending"]
    assert kenya["follows"] == 2
    again = _seed()
    assert "News in ke: already there" in again
    assert _news("ke") == kenya
