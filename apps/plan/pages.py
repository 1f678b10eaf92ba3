"""What the plan's page, PDF, API and MSME-page summary share: the MSME's plan, worked out once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from apps.plan.context import PlanContext
from apps.plan.engine import LATEST, action_as_dict, build_plan, context_for_msme
from apps.plan.rules import Action


@dataclass(frozen=True)
class MsmePlan:
    msme: Any
    context: PlanContext
    actions: list[Action]
    generated_on: date

    @property
    def level(self) -> int | None:
        return self.context.level

    @property
    def level_label(self) -> str:
        from apps.registry.models import MaturityLevel

        return str(MaturityLevel(self.level).label) if self.level else ""

    def action_dicts(self) -> list[dict[str, Any]]:
        return [action_as_dict(action) for action in self.actions]


def plan_for_msme(
    msme: Any, *, today: date | None = None, assessment: Any = LATEST, assets: Iterable[Any] | None = None
) -> MsmePlan:
    """The MSME's plan as of today (a constant number of queries, whatever the register holds). `assessment`
    and `assets`: what the caller has read already (context_for_msme)."""
    today = today or timezone.localdate()
    context = context_for_msme(msme, assessment=assessment, assets=assets, today=today)
    return MsmePlan(msme=msme, context=context, actions=build_plan(context), generated_on=today)
