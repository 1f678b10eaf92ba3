"""Deadline reminders: IP asset deadline reminders and private calendar feeds."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "apps.reminders"
    label = "reminders"
    verbose_name = _("Deadline reminders")

    def ready(self) -> None:
        from apps.core.demo import DemoStep, register_demo_step
        from apps.reminders import (
            demo,
            erasure,  # noqa: F401  (declares what an MSME's erasure removes here)
        )

        # No menu entry: the page is linked from the member's business page and from the home page.
        # After the registry's (30), whose demo member and assets it reminds of.
        register_demo_step(DemoStep("reminders", 86, demo.seed_demo))
