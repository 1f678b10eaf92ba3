"""DESIGN.md's MSME import columns (contract)."""

REQUIRED = ("name", "registration_number", "sector_isic", "employees")
OPTIONAL = (
    "annual_turnover_eur",
    "region",
    "founded_year",
    "email",
    "phone",
    "website",
    "preferred_language",
    "preferred_channel",
    "is_university_spinoff",
    "is_informal",
    "exports",
    "consent_outreach",
)
ALL = REQUIRED + OPTIONAL
BOOLEAN = ("is_university_spinoff", "is_informal", "exports", "consent_outreach")
# Columns the import reads past: "error" is the reason the file of rejected rows gives on each of its rows
# (apps.registry.importing.rejected), so that the file re-imports once its rows are corrected.
IGNORED = ("error",)
