"""The signals: facts about a business that the diagnostic's answers (and the MSME's profile) imply.

The diagnostic produces them and the action plan (apps.plan) acts on them, so they live here, below
the plan: the plan imports this vocabulary, the diagnostic never imports the plan.
"""

from __future__ import annotations

from enum import StrEnum


class Signal(StrEnum):
    """Facts about a business that the rules act on, from its answers or its profile."""

    EXPORTS = "exports"  # sells abroad, or plans to
    HAS_INVENTIONS = "has_inventions"  # new technical products or processes
    SHORT_LIFE_CYCLE = "short_life_cycle"  # products that are replaced within a few years
    VALUABLE_KNOW_HOW = "valuable_know_how"  # recipes, processes, customer lists worth keeping secret
    CREATIVE_SECTOR = "creative_sector"  # music, publishing, film, games, software
    HAS_BRAND = "has_brand"  # sells under a name or logo
    HAS_DESIGNS = "has_designs"  # the look of its products matters to buyers
    LICENCES_CONTRACTS = "licences_contracts"  # licenses, franchises, or works with partners under contract
    GREEN_TECHNOLOGY = "green_technology"  # environmentally sound technology
    NTD_RESEARCH = "ntd_research"  # research on neglected tropical diseases, malaria or tuberculosis
    UNDER_RESOURCED_INVENTOR = "under_resourced_inventor"  # cannot afford a patent attorney
    NEEDS_SEARCH = "needs_search"  # needs a prior-art or freedom-to-operate search
    DISPUTE = "dispute"  # in, or fears, an IP or licensing dispute
