"""DESIGN.md's five IP maturity levels: their names are defined here once.

The registry shows a level with its number ("1 Unaware", `MaturityLevel`); the diagnostic names it
alone ("Unaware", `apps.diagnostics.scoring.level_name`). Both read `LEVEL_NAMES`. No database:
the diagnostic's pure scoring imports it.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

LEVEL_NAMES = {
    1: _("Unaware"),
    2: _("Aware"),
    3: _("Protecting"),
    4: _("Managing"),
    5: _("Leveraging"),
}


def _numbered(level: int) -> Promise:
    return format_lazy("{} {}", level, LEVEL_NAMES[level])


class MaturityLevel(models.IntegerChoices):
    """A level as the registry stores and shows it: its number, then its name."""

    UNAWARE = 1, _numbered(1)
    AWARE = 2, _numbered(2)
    PROTECTING = 3, _numbered(3)
    MANAGING = 4, _numbered(4)
    LEVERAGING = 5, _numbered(5)
