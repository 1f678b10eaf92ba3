"""Answer sets for the diagnostic's tests."""

from __future__ import annotations

from typing import Any

from apps.diagnostics.questionnaire import MULTI, get_questionnaire


def least_answers(**overrides: Any) -> dict[str, Any]:
    """Every question answered with its least mature option (multi: its first option alone)."""
    answers = {
        q.id: [q.options[0].value] if q.kind == MULTI else q.options[0].value for q in get_questionnaire().questions
    }
    return {**answers, **overrides}


def most_answers(**overrides: Any) -> dict[str, Any]:
    """Every question answered with its most mature option (multi: its last option alone)."""
    answers = {
        q.id: [q.options[-1].value] if q.kind == MULTI else q.options[-1].value for q in get_questionnaire().questions
    }
    return {**answers, **overrides}


# Real answers that reach each level; their scores are checked in test_scoring.py.
LEVEL_2 = least_answers(
    ip_matters="matters",
    ip_kinds="yes",
    ip_learning="trained",
    inventory="main",
    creations_owner="assume",
    prior_search="online",
    trademark="checked",
    secrets="trust",
    register="memory",
    strategy="informal",
)
LEVEL_3 = {
    **LEVEL_2,
    "trademark": "registered",
    "secrets": "ndas",
    "responsible": "owner",
    "licensing": "considered",
    "finance": "no",
    "valuation": "rough",
    "international_systems": "heard",
    "monitoring": "chance",
    "infringement_response": "nothing",
}
LEVEL_4 = {
    **LEVEL_3,
    "register": "reminders",
    "strategy": "written",
    "contracts": ["ndas", "employment", "assignment"],
    "responsible": "named",
    "inventory": "audited",
    "creations_owner": "all",
    "prior_search": "databases",
    "ip_matters": "planned",
    "ip_learning": "regularly",
    "international_systems": "know",
    "monitoring": "regularly",
    "infringement_response": "options",
    "valuation": "valued",
    "finance": "presented",
}
LEVEL_5 = {
    **LEVEL_4,
    "licensing": "earning",
    "exports": "yes",
    "protected_abroad": "all",
    "international_systems": "used",
    "responsible": "advised",
    "finance": "raised",
}
