"""ISIC Rev.4 reference data, from the `isic` package (the UN Statistics Division's structure and titles)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

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


# The titles of ISIC Rev.4's sections, exactly as the `isic` package (and so the IsicCode table) has them, for
# the interface in the user's language. Written out only because translators' tools find literal strings
# alone: tests/registry/test_list_filters.py fails when one differs from the package's.
SECTION_TITLES = {
    "A": _("Agriculture, forestry and fishing"),
    "B": _("Mining and quarrying"),
    "C": _("Manufacturing"),
    "D": _("Electricity, gas, steam and air conditioning supply"),
    "E": _("Water supply; sewerage, waste management and remediation activities"),
    "F": _("Construction"),
    "G": _("Wholesale and retail trade; repair of motor vehicles and motorcycles"),
    "H": _("Transportation and storage"),
    "I": _("Accommodation and food service activities"),
    "J": _("Information and communication"),
    "K": _("Financial and insurance activities"),
    "L": _("Real estate activities"),
    "M": _("Professional, scientific and technical activities"),
    "N": _("Administrative and support service activities"),
    "O": _("Public administration and defence; compulsory social security"),
    "P": _("Education"),
    "Q": _("Human health and social work activities"),
    "R": _("Arts, entertainment and recreation"),
    "S": _("Other service activities"),
    "T": _(
        "Activities of households as employers; undifferentiated goods- and services-producing activities of "
        "households for own use"
    ),
    "U": _("Activities of extraterritorial organizations and bodies"),
}
