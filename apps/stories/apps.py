"""Success stories: what MSMEs did with their IP, by sector and country, written by agencies and published by
the platform; shown on the guidance topics, in the action plans and in campaigns."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "apps.stories"
    label = "stories"
    verbose_name = _("Success stories")

    def ready(self) -> None:
        from apps.core.demo import DemoStep, register_demo_step
        from apps.core.navigation import NavEntry, register_navigation
        from apps.core.roles import Role
        from apps.guidance.related import RelatedProvider, register_related
        from apps.outreach.links import LinkKind, register_link_kind
        from apps.stories import demo, links
        from apps.stories.models import Story

        register_navigation(
            NavEntry(
                _("Success stories"), "stories:index", frozenset({None, Role.MSME_MEMBER, Role.AGENCY_STAFF}), order=66
            )
        )
        register_related(
            RelatedProvider("stories", _("Success stories"), items=links.related_stories, more_url=links.more_stories),
            changed_by=(Story,),
        )
        register_link_kind(
            LinkKind("story", _("A success story"), choices=links.story_choices, url_for=links.story_link, order=40)
        )
        # After the tenants (the stories are the demo agencies').
        register_demo_step(DemoStep("stories", 88, demo.seed_demo))
