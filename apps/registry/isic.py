"""ISIC Rev.4 reference data, from the `isic` package (the UN Statistics Division's structure and titles)."""

from __future__ import annotations

from typing import Any

LEVELS = {1: "section", 2: "division", 3: "group", 4: "class"}


def load_isic_codes(model: Any) -> int:
    """Store every ISIC Rev.4 code into `model` (the migration passes its historical model); idempotent."""
    from isic import ISIC

    rows, section = [], None
    for code, title in ISIC.items():
        if code.isalpha():
            section = code
        rows.append(model(code=code, level=LEVELS[len(code)], section=section, title=title))
    model.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
