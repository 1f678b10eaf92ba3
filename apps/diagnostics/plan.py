"""The actions shown with a result, from the app that plans them (apps.plan registers itself here).

The diagnostic sits below the action plan in the layers (docs/new-app.md, "Layers"): the plan reads
the diagnostic's assessments, so the diagnostic may not import the plan. Its result pages and API ask
the provider registered here instead; with none registered, a result has no actions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Actions = list[dict[str, Any]]


@dataclass(frozen=True)
class ActionsProvider:
    for_assessment: Callable[[Any], Actions]  # an MSME's assessment (its tenant active)
    for_visitor: Callable[[Any], Actions]  # a visitor's result: only what the answers tell


_provider: ActionsProvider | None = None


def register_actions_provider(provider: ActionsProvider) -> None:
    """Called once, from the planning app's AppConfig.ready()."""
    global _provider
    _provider = provider


def actions_for_assessment(assessment: Any) -> Actions:
    return _provider.for_assessment(assessment) if _provider else []


def actions_for_visitor(result: Any) -> Actions:
    return _provider.for_visitor(result) if _provider else []
