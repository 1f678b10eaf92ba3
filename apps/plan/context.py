"""What the action plan is built from: the shared vocabulary of the diagnostic and the plan rules.

The diagnostic (apps.diagnostics) turns answers into a level, area scores and *signals* (its `Signal`
vocabulary, which the plan reads, never the other way round); the registry gives the MSME's profile
and IP assets. `PlanContext` holds both, so the rules in `apps.plan.rules` read one plain object and
never the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from apps.diagnostics.vocabulary import Signal

__all__ = ["AssetFacts", "PlanContext", "Signal"]


@dataclass(frozen=True)
class AssetFacts:
    """What the rules need of one IP asset of the register."""

    asset_type: str  # apps.registry.models.IpAsset.AssetType values
    jurisdiction: str  # ISO country code or PCT / MADRID / HAGUE
    status: str
    title: str = ""
    priority_date: date | None = None
    filing_date: date | None = None
    # Added for the plan's deadline rules (apps.registry.deadlines reads these names).
    grant_date: date | None = None
    expiry_date: date | None = None
    classes: str = ""  # Nice classes of a mark, e.g. "9, 35"
    pk: object = None  # the IpAsset's id, when built from the register


@dataclass(frozen=True)
class PlanContext:
    """Everything the plan rules read. Build it with `context_for_msme` (apps.plan.engine) or directly."""

    level: int | None = None  # 1-5, from the latest assessment; None when never assessed
    area_scores: Mapping[str, int] = field(default_factory=dict)  # area -> 0..100
    signals: frozenset[Signal] = frozenset()
    country: str | None = None  # ISO 3166-1 alpha-2 of the MSME's tenant
    sector_isic: str = ""  # section letter or class code
    size_class: str = ""  # micro | small | medium | large
    is_university_spinoff: bool = False
    is_informal: bool = False
    exports: bool = False  # the profile's exporter flag (the diagnostic's answer is Signal.EXPORTS)
    assets: tuple[AssetFacts, ...] = ()  # the IP asset register
    # Rights the diagnostic's answers say the business holds (no dates, no numbers): they stop the plan
    # from telling a business with a registered trademark to register one when its register is empty.
    declared_assets: tuple[AssetFacts, ...] = ()
    has_register: bool = True  # False for a visitor: no IP asset register to point at yet
    today: date = field(default_factory=date.today)
