"""Success stories: agencies submit, platform admins publish or return them; published ones are public, filterable,
and shown on the guidance topics, in the action plans of the sector and as a campaign's link."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from apps.guidance.related import related_for
from apps.outreach.links import link_kind
from apps.stories import services
from apps.stories.models import Story
from apps.tenants.context import tenant_context
from tests.factories import StoryFactory, user_with_role
from tests.policies.actors import ADMIN, AGENCY, HELPDESK, OWN, one_tenant

pytestmark = pytest.mark.django_db

STORY = {
    "title": "A honey brand that crossed the border",
    "sector_section": "A",
    "country": "KE",
    "ip_used": ["trademark"],
    "topics": ["trademarks", "madrid"],
    "summary": "A honey cooperative registered its brand before exporting.",
    "body": "It registered its mark at home, then through Madrid; copies were stopped.",
    "msme_name": "",
    "language": "en",
}


def _published(world, **overrides) -> Story:
    with tenant_context(world.tenant), transaction.atomic():
        return StoryFactory(status=Story.Status.PUBLISHED, **overrides)


def test_agency_staff_submit_a_story_that_waits_for_review_and_bad_input_names_the_field():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        story = services.story_submit(actor=world.actors[AGENCY], data=STORY)
        assert story.status == Story.Status.SUBMITTED and story.submitted_by == world.actors[AGENCY].user
        with pytest.raises(PermissionDenied):
            services.story_submit(actor=world.actors[OWN], data=STORY)
        with pytest.raises(ValidationError) as caught:
            services.story_submit(
                actor=world.actors[AGENCY],
                data={**STORY, "title": "", "sector_section": "Z", "ip_used": ["magic"], "topics": ["astrology"]},
            )
        assert set(caught.value.message_dict) == {"title", "sector_section", "ip_used", "topics"}


def test_a_platform_admin_publishes_or_returns_a_story_with_a_note():
    world = one_tenant()
    admin = world.actors[ADMIN]
    with tenant_context(world.tenant), transaction.atomic():
        story = services.story_submit(actor=world.actors[AGENCY], data=STORY)
        with pytest.raises(PermissionDenied):
            services.story_review(actor=world.actors[AGENCY], story=story, publish=True)
        with pytest.raises(ValidationError):
            services.story_review(actor=admin, story=story, publish=False, note=" ")
        services.story_review(actor=admin, story=story, publish=False, note="Name the sales figures.")
        assert story.status == Story.Status.RETURNED and story.review_note == "Name the sales figures."
        services.story_review(actor=admin, story=story, publish=True)
        assert story.is_published and story.published_at is not None


def test_published_stories_of_every_agency_are_public_and_filterable():
    world, other = one_tenant(), one_tenant()
    honey = _published(world, title="Honey abroad", sector_section="A", ip_used=["trademark"], topics=["trademarks"])
    _published(
        other,
        title="Baskets at a fair",
        sector_section="C",
        ip_used=["industrial_design"],
        country="PH",
        topics=["hague"],
    )
    with tenant_context(other.tenant), transaction.atomic():
        StoryFactory(title="Still in review")
    visitor = Client()
    body = visitor.get(reverse("stories:index")).content.decode()
    assert "Honey abroad" in body and "Baskets at a fair" in body and "Still in review" not in body
    body = visitor.get(reverse("stories:index"), {"ip": "industrial_design", "country": "PH"}).content.decode()
    assert "Baskets at a fair" in body and "Honey abroad" not in body
    assert visitor.get(reverse("stories:index"), {"sector": "Z"}).status_code == 400
    assert "Honey abroad" in visitor.get(reverse("stories:detail", args=[honey.pk])).content.decode()
    api = visitor.get("/api/v1/stories/", {"topic": "trademarks"}).json()
    assert [row["title"] for row in api["results"]] == ["Honey abroad"]
    assert visitor.get("/api/v1/stories/", {"ip": "magic"}).status_code == 400
    assert visitor.get("/api/v1/stories/not-a-uuid/").status_code == 404


def test_a_story_in_review_is_seen_by_its_agency_only():
    world, other = one_tenant(), one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        draft = StoryFactory(title="Draft story")
    url = reverse("stories:detail", args=[draft.pk])
    assert Client().get(url).status_code == 404
    staff = Client()
    staff.force_login(world.actors[AGENCY].user)
    assert staff.get(url).status_code == 200
    assert "Draft story" in staff.get(reverse("stories:mine")).content.decode()
    foreign = Client()
    foreign.force_login(other.actors[AGENCY].user)
    assert foreign.get(url).status_code == 404
    assert "Draft story" not in foreign.get(reverse("stories:mine")).content.decode()


def test_stories_are_shown_on_their_topics_in_the_plan_of_the_sector_and_as_a_campaign_link():
    world = one_tenant()
    story = _published(world, title="Marks for farmers", sector_section="A", topics=["trademarks"])
    _published(world, title="Designs for weavers", sector_section="C", topics=["industrial-designs"])
    (provider, items, more) = related_for(["trademarks"])[0]
    assert provider.key == "stories" and [item.title for item in items] == ["Marks for farmers"]
    assert more == reverse("stories:index") + "?topic=trademarks"
    page = Client().get(reverse("guidance:topic", args=["trademarks"])).content.decode()
    assert "Marks for farmers" in page and "Designs for weavers" not in page
    kind = link_kind("story")
    with tenant_context(world.tenant), transaction.atomic():
        assert (str(story.pk), "Marks for farmers") in kind.choices()
        assert kind.url_for(str(story.pk), None).endswith(reverse("stories:detail", args=[story.pk]))
        assert kind.url_for("not-a-uuid", None) == ""


def test_a_new_story_replaces_the_cached_topic_page():
    world = one_tenant()
    visitor = Client()
    assert "A later story" not in visitor.get(reverse("guidance:topic", args=["patents"])).content.decode()
    _published(world, title="A later story", topics=["patents"])
    assert "A later story" in visitor.get(reverse("guidance:topic", args=["patents"])).content.decode()


def test_the_agency_submits_from_the_page_and_the_form_re_shows_errors():
    world = one_tenant()
    staff = Client()
    staff.force_login(world.actors[AGENCY].user)
    bad = staff.post(reverse("stories:new"), {"title": ""})
    assert bad.status_code == 400 and {"title", "summary", "body", "ip_used", "topics"} <= set(
        bad.context["form"].errors
    )
    response = staff.post(reverse("stories:new"), STORY)
    assert response.status_code == 302
    with tenant_context(world.tenant), transaction.atomic():
        assert Story.objects.get().title == STORY["title"]
    helpdesk = Client()
    helpdesk.force_login(world.actors[HELPDESK].user)
    assert helpdesk.get(reverse("stories:new")).status_code == 403


def test_the_admin_publishes_through_the_review_service():
    world = one_tenant()
    admin_user = user_with_role("platform_admin")
    with tenant_context(world.tenant), transaction.atomic():
        story = services.story_submit(actor=world.actors[AGENCY], data=STORY)
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:stories_story_change", args=[story.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "published", "review_note": ""})
    assert response.status_code == 302
    with tenant_context(world.tenant), transaction.atomic():
        assert Story.objects.get().is_published
