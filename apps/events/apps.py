"""Events and trainings: webinars, workshops and courses, with registration, reminders and feedback."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "apps.events"
    label = "events"
    verbose_name = _("Events and trainings")

    def ready(self) -> None:
        from apps.core.demo import DemoStep, register_demo_step
        from apps.core.navigation import NavEntry, register_navigation
        from apps.core.roles import Role
        from apps.events import (
            demo,
            erasure,  # noqa: F401  (declares what an MSME's erasure removes here)
            links,
            tasks,
        )
        from apps.outreach.links import LinkKind, register_link_kind
        from apps.outreach.outbox import register_pending_fanouts

        register_navigation(
            NavEntry(
                _("Events and trainings"), "events:index", frozenset({Role.MSME_MEMBER, Role.AGENCY_STAFF}), order=82
            ),
        )
        register_link_kind(
            LinkKind(
                "event",
                _("An event"),
                choices=links.upcoming_event_choices,
                url_for=links.event_link,
                order=30,
                resolve=links.event_links,
            )
        )
        # An event's change or cancellation to many registrations is written by a task; marks it left behind.
        register_pending_fanouts("events", tasks.queue_pending_messages)
        # After the registry's (30): the registrations are the demo MSMEs'.
        register_demo_step(DemoStep("events", 82, demo.seed_demo))
