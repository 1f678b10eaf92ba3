"""The demo data's steps, registered by each app: `manage.py seed_demo` runs them in order.

Core lists no app: each app that has demo data registers one step from its AppConfig.ready() with
`register_demo_step(DemoStep(name, order, seed))`. A step is idempotent (seed_demo runs again on
every `make run`), reads what it was asked for from the `DemoRun`, and reports with `run.say(...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class DemoRun:
    """What one seed_demo run was asked for, and what its steps report back."""

    password: str  # every demo account's
    msmes: int  # MSMEs per demo tenant
    tickets: int = 250  # helpdesk tickets per demo tenant
    say: Callable[[str], None] = print
    accounts: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, role), printed at the end


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int  # lowest first: a step may read what lower ones made (tenants before accounts before MSMEs)
    seed: Callable[[DemoRun], None]


# By name, so that registering again (an app's ready() run twice) replaces and does not repeat.
_registered: dict[str, DemoStep] = {}


def register_demo_step(step: DemoStep) -> None:
    _registered[step.name] = step


def demo_steps() -> tuple[DemoStep, ...]:
    return tuple(sorted(_registered.values(), key=lambda step: (step.order, step.name)))
