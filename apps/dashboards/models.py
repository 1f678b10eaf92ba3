"""The statistics' summary tables: counts of MSMEs, never an MSME's name, contact or number.

Two tables per tenant, both written only by the rollups (apps.dashboards.rollups):

- `MsmeFact`: one row per MSME, its id and the categories it is counted under (size, sector, region,
  maturity, flags, the month it was registered). It is what the incremental rollup compares a changed MSME
  with, and what the agency's own dashboard groups (any filter, its tenant only).
- `MsmeCount`: how many MSMEs have each value of each category (a few dozen rows per tenant). Division
  dashboards sum it across tenants; it holds nothing but categories and counts.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.tenants.models import TenantOwnedModel

# The categories an MSME is counted under, in both tables.
DIMENSIONS = ("region", "sector_section", "size_class", "maturity_level", "spinoff", "informal", "exporter")


class MsmeCategories(models.Model):
    region = models.CharField(_("region"), max_length=10, blank=True)
    sector_section = models.CharField(_("ISIC section"), max_length=1)
    size_class = models.CharField(_("size class"), max_length=6)
    maturity_level = models.PositiveSmallIntegerField(_("maturity level"), default=0, help_text=_("0: not assessed"))
    spinoff = models.BooleanField(_("university spin-off"), default=False)
    informal = models.BooleanField(_("informal economy"), default=False)
    exporter = models.BooleanField(_("exporter"), default=False)

    class Meta:
        abstract = True

    def categories(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in DIMENSIONS)


class MsmeFact(MsmeCategories, TenantOwnedModel):
    """What one MSME was counted as at the last rollup; its id is the MSME's (kept after a deletion, so that
    the next rollup takes it out of the counts)."""

    registered_month = models.DateField(_("registered in (month)"))
    # Set when the MSME is deleted (apps.dashboards.receivers): the next run takes it out of the counts without
    # comparing every fact with the registry.
    msme_deleted = models.BooleanField(_("MSME deleted"), default=False, db_default=False)

    class Meta:
        verbose_name = _("MSME counted")
        verbose_name_plural = _("MSMEs counted")
        indexes = [
            models.Index(fields=["tenant", "registered_month"], name="msmefact_tenant_month"),
            models.Index(fields=["tenant"], condition=models.Q(msme_deleted=True), name="msmefact_tenant_deleted"),
        ]

    def __str__(self) -> str:
        return f"{self.sector_section} {self.size_class} {self.registered_month:%Y-%m}"


class MsmeCount(TenantOwnedModel):
    """How many of a tenant's MSMEs have one value of one category (`value` as `encode` writes it)."""

    dimension = models.CharField(_("category"), max_length=20, choices=[(name, name) for name in DIMENSIONS])
    value = models.CharField(_("value"), max_length=10, blank=True)
    msmes = models.PositiveIntegerField(_("MSMEs"))

    class Meta:
        verbose_name = _("MSME count")
        verbose_name_plural = _("MSME counts")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "dimension", "value"], name="msmecount_unique_tenant_value")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value}: {self.msmes}"


def encode(value: object) -> str:
    """A category's value as `MsmeCount.value` holds it: text as it is, a level as its digit, a flag as 1 or 0."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


class MsmeCountSnapshot(TenantOwnedModel):
    """A tenant's MSMEs by maturity level and by size class as each day's last run left them: the trends over
    time (a count's history; `MsmeCount` holds only its present)."""

    day = models.DateField(_("day"))
    dimension = models.CharField(_("category"), max_length=20, choices=[(name, name) for name in DIMENSIONS])
    value = models.CharField(_("value"), max_length=10, blank=True)
    msmes = models.PositiveIntegerField(_("MSMEs"))

    class Meta:
        verbose_name = _("MSME count of a day")
        verbose_name_plural = _("MSME counts of each day")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "dimension", "day", "value"], name="msmecountsnapshot_unique_tenant_day_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value}: {self.msmes}"


# The categories whose history is kept (a row per value and day: a few thousand rows per tenant a year).
SNAPSHOT_DIMENSIONS = ("maturity_level", "size_class")


ASSET_DIMENSIONS = ("asset_type", "jurisdiction", "status", "filing_year", "nice_class")


class AssetCount(TenantOwnedModel):
    """How many of a tenant's MSMEs hold (or plan) an IP asset with one value of one category, and how many
    such assets there are: an MSME with two trademarks counts once under "trademark"."""

    dimension = models.CharField(_("category"), max_length=20, choices=[(name, name) for name in ASSET_DIMENSIONS])
    value = models.CharField(_("value"), max_length=24, blank=True)
    msmes = models.PositiveIntegerField(_("MSMEs"))
    assets = models.PositiveIntegerField(_("IP assets"))

    class Meta:
        verbose_name = _("IP asset count")
        verbose_name_plural = _("IP asset counts")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "dimension", "value"], name="assetcount_unique_tenant_value")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value}: {self.msmes}"


# What the portal's services did for the MSMEs, counted by apps.dashboards.activity.
ACTIVITY_SOURCES = ("tickets", "outreach", "events", "surveys", "diagnostics")


class ActivityCount(TenantOwnedModel):
    """A figure of a tenant's services: `metric` (tickets opened, messages sent, MSMEs that went up a maturity
    level...) of the rows of `source` with one value of one category (`dimension` "all": of every row)."""

    source = models.CharField(_("source"), max_length=12, choices=[(name, name) for name in ACTIVITY_SOURCES])
    dimension = models.CharField(_("category"), max_length=20)
    value = models.CharField(_("value"), max_length=60, blank=True)
    metric = models.CharField(_("figure"), max_length=30)
    amount = models.BigIntegerField(_("amount"))

    class Meta:
        verbose_name = _("activity count")
        verbose_name_plural = _("activity counts")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "source", "dimension", "value", "metric"], name="activitycount_unique_tenant_figure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.dimension}={self.value} {self.metric}: {self.amount}"


class RollupState(TenantOwnedModel):
    """A tenant's last rollup: the incremental one reads the MSMEs changed since `msmes_changed_since`."""

    msmes_changed_since = models.DateTimeField(_("MSMEs changed since"))
    last_run_at = models.DateTimeField(_("last run at"))
    last_full_at = models.DateTimeField(_("last full run at"))
    last_run_seconds = models.FloatField(_("last run took (seconds)"), default=0)
    last_run_moved = models.PositiveIntegerField(_("MSMEs moved at the last run"), default=0)
    # The IP assets as the last count saw them: a run counts them again only when either has changed (an
    # asset added or edited moves the latest change, one deleted the number).
    assets_seen = models.PositiveIntegerField(_("IP assets at the last count"), default=0)
    assets_changed_at = models.DateTimeField(_("latest IP asset change at the last count"), null=True, blank=True)
    # {source: what its rows looked like at the last count}: a source is counted again when it differs.
    activity_seen = models.JSONField(_("activity at the last count"), default=dict, blank=True)

    class Meta:
        verbose_name = _("statistics rollup")
        verbose_name_plural = _("statistics rollups")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="rollupstate_unique_tenant")]
