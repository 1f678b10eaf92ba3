"""The rollups: the summary tables hold the registry's counts, and the incremental run ends with exactly the
tables a full one would make, whatever changed in between."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from apps.dashboards import rollups, selectors
from apps.dashboards.models import DIMENSIONS, AssetCount, MsmeCount, MsmeCountSnapshot, MsmeFact, RollupState, encode
from apps.registry import services
from apps.registry.models import IpAsset, Msme
from apps.tenants.context import tenant_context
from tests.dashboards.helpers import run
from tests.factories import IpAssetFactory, MsmeFactory, TenantFactory

pytestmark = pytest.mark.django_db(transaction=True)


def tables() -> tuple[Counter, dict]:
    """The active tenant's counts as {(category, value): MSMEs}, and its facts as {msme id: (categories, month)}."""
    counts = Counter({(count.dimension, count.value): count.msmes for count in MsmeCount.objects.all()})
    facts = {fact.pk: (fact.categories(), fact.registered_month) for fact in MsmeFact.objects.all()}
    return counts, facts


def registry_counts() -> Counter:
    """What the counts must hold: the registry's MSMEs grouped by each category (the GROUP BYs a rollup saves)."""
    found: Counter = Counter()
    for m in Msme.objects.all():
        values = (m.region, m.sector_section, m.size_class, m.maturity_level or 0, m.is_university_spinoff)
        values += (m.is_informal, m.exports)
        for dimension, value in zip(DIMENSIONS, values, strict=True):
            found[dimension, encode(value)] += 1
    return found


def full_tables(tenant) -> tuple[Counter, dict]:
    """The tables a full run makes now (in a transaction rolled back, so the incremental state stays)."""
    with tenant_context(tenant), transaction.atomic():
        rollups.rebuild(tenant)
        found = tables()
        transaction.set_rollback(True)
    return found


def current_tables(tenant) -> tuple[Counter, dict]:
    with tenant_context(tenant), transaction.atomic():
        return tables()


@pytest.fixture
def tenant():
    tenant = TenantFactory()
    with tenant_context(tenant), transaction.atomic():
        MsmeFactory.create_batch(6, sector_section="C", employees=3, size_class="micro", region="")
        MsmeFactory.create_batch(
            4, sector_section="J", employees=30, size_class="small", is_university_spinoff=True, maturity_level=2
        )
        MsmeFactory(sector_section="A", employees=120, size_class="medium", exports=True, maturity_level=5)
    return tenant


def test_a_full_run_counts_every_msme_under_its_categories(tenant):
    result = run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        cells, facts = tables()
        assert cells == registry_counts()
        assert sum(n for (dimension, _), n in cells.items() if dimension == "size_class") == 11
        assert 11 == len(facts) == result.msmes_read == result.msmes_moved
        assert set(facts) == set(Msme.objects.values_list("pk", flat=True))
        assert cells["size_class", "micro"] == 6 and cells["maturity_level", "0"] == 6 and cells["exporter", "1"] == 1
        state = RollupState.objects.get()
    assert result.full and state.last_run_at == state.last_full_at


def test_the_first_incremental_run_of_a_tenant_is_a_full_one(tenant):
    result = run(tenant, rollups.refresh)
    assert result.full
    assert current_tables(tenant)[0] == full_tables(tenant)[0]


def test_incremental_equals_full_after_every_kind_of_change(tenant):
    run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        first, second, third = Msme.objects.order_by("name")[:3]
        services.msme_update(msme=first, data={"employees": 200, "exports": True}, actor=None)  # size, flag
        services.msme_set_maturity(msme=second, level=4, assessed_on=timezone.localdate(), actor=None)
        services.msme_delete(msme=third, actor=None)
        MsmeFactory.create_batch(3, sector_section="G", employees=8, is_informal=True)
    result = run(tenant, rollups.refresh)

    assert not result.full
    assert result.msmes_moved == 6  # two updated, three added, one deleted
    assert result.msmes_read == 14  # within the hour's slack: every MSME (13) and the deleted one
    incremental = current_tables(tenant)
    assert incremental == full_tables(tenant)
    with tenant_context(tenant), transaction.atomic():
        assert incremental[0] == registry_counts()
        assert not MsmeCount.objects.filter(msmes__lte=0).exists()


def test_an_incremental_run_reads_only_what_changed(tenant):
    run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        # Out of the slack: the MSMEs were changed long before the last run.
        Msme.objects.update(updated_at=timezone.now() - rollups.CHANGE_SLACK * 3)
        RollupState.objects.update(msmes_changed_since=timezone.now() - rollups.CHANGE_SLACK)
        services.msme_update(msme=Msme.objects.order_by("name").first(), data={"employees": 90}, actor=None)
    result = run(tenant, rollups.refresh)
    assert (result.msmes_read, result.msmes_moved) == (1, 1)
    assert current_tables(tenant) == full_tables(tenant)


def test_a_size_threshold_change_reaches_the_counts(tenant):
    run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        Msme.objects.update(updated_at=timezone.now() - timedelta(days=3))
        RollupState.objects.update(msmes_changed_since=timezone.now() - timedelta(days=2))
    tenant.micro_max_employees = 2  # the six MSMEs of 3 staff are now small
    tenant.save()
    with tenant_context(tenant), transaction.atomic():
        changed = services.tenant_recompute_size_classes(tenant=tenant)
    assert changed >= 6
    run(tenant, rollups.refresh)
    cells = current_tables(tenant)[0]
    assert cells == full_tables(tenant)[0]
    assert cells["size_class", "micro"] == 0 and cells["size_class", "small"] == 10


def test_each_tenant_counts_its_own_msmes(tenant):
    other = TenantFactory()
    with tenant_context(other), transaction.atomic():
        MsmeFactory.create_batch(2)
    run(tenant, rollups.rebuild)
    run(other, rollups.rebuild)
    assert current_tables(tenant)[0]["size_class", "micro"] == 6
    assert sum(n for (d, _), n in current_tables(other)[0].items() if d == "size_class") == 2


def test_the_command_counts_in_full_or_by_what_changed(tenant, capsys):
    call_command("rollup_statistics", "--full", "--tenant", tenant.slug)
    assert f"{tenant.slug}: full, 11 MSMEs read, 11 moved" in capsys.readouterr().out
    call_command("rollup_statistics")
    assert f"{tenant.slug}: incremental" in capsys.readouterr().out
    assert current_tables(tenant) == full_tables(tenant)


def test_the_command_names_an_unknown_tenant():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No tenant with slug 'nowhere'"):
        call_command("rollup_statistics", "--tenant", "nowhere")


def asset_counts() -> dict:
    return {(c.dimension, c.value): (c.msmes, c.assets) for c in AssetCount.objects.all()}


def test_ip_assets_are_counted_by_the_msmes_holding_them_and_again_only_when_they_change(tenant):
    with tenant_context(tenant), transaction.atomic():
        first, second = Msme.objects.order_by("name")[:2]
        filed = {"filing_date": date(2024, 5, 2)}
        IpAssetFactory.create_batch(
            2, msme=first, asset_type="trademark", jurisdiction="KE", status="registered", **filed
        )
        IpAssetFactory(msme=second, asset_type="trademark", jurisdiction="MADRID", status="pending", **filed)
        IpAssetFactory(msme=second, asset_type="patent", jurisdiction="PCT", status="idea", filing_date=None)
    with tenant_context(tenant), transaction.atomic():
        # Changed long before the runs: a change within the slack of the last run is counted again.
        IpAsset.objects.update(updated_at=timezone.now() - 3 * rollups.CHANGE_SLACK)
    run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        counts = asset_counts()
        assert counts["asset_type", "trademark"] == (2, 3)  # two MSMEs, three marks
        assert counts["asset_type", "patent"] == (1, 1) and counts["jurisdiction", "PCT"] == (1, 1)
        assert counts["filing_year", ""] == (1, 1)  # the planned patent has no filing date
        assert counts["filing_year", "2024"] == (2, 3)
        before = {c.pk for c in AssetCount.objects.all()}
    run(tenant, rollups.refresh)
    with tenant_context(tenant), transaction.atomic():
        assert {c.pk for c in AssetCount.objects.all()} == before  # nothing changed: not counted again
        IpAsset.objects.filter(asset_type="patent").delete()
    run(tenant, rollups.refresh)
    with tenant_context(tenant), transaction.atomic():
        assert ("asset_type", "patent") not in asset_counts()
        assert asset_counts()["asset_type", "trademark"] == (2, 3)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_a_deletion_in_raw_sql_marks_its_fact_too(tenant):
    run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        gone = Msme.objects.order_by("name").first()
        gone.assets.all().delete()
        Msme.objects.filter(pk=gone.pk)._raw_delete(using="default")  # as raw SQL would: no post_delete
        assert list(MsmeFact.objects.filter(msme_deleted=True).values_list("pk", flat=True)) == [gone.pk]
    result = run(tenant, rollups.refresh)
    assert result.msmes_moved == 1
    assert current_tables(tenant) == full_tables(tenant)


def test_a_deleted_msme_is_marked_in_its_deletions_transaction(tenant):
    run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        msme = Msme.objects.order_by("name").first()
        pk = msme.pk
        services.msme_delete(msme=msme, actor=None)
        assert MsmeFact.objects.get(pk=pk).msme_deleted


def test_trademarks_are_counted_by_the_nice_classes_they_list(tenant):
    with tenant_context(tenant), transaction.atomic():
        first, second = Msme.objects.order_by("name")[:2]
        IpAssetFactory(msme=first, asset_type="trademark", classes="9, 42")
        IpAssetFactory(msme=first, asset_type="trademark", classes="Class 9; 35")
        IpAssetFactory(msme=second, asset_type="trademark", classes="25 and 99, 0")  # 99 and 0 are no classes
        IpAssetFactory(msme=second, asset_type="industrial_design", classes="09-01")  # Locarno: not counted
    run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        classes = {value: found for (dimension, value), found in asset_counts().items() if dimension == "nice_class"}
    # (MSMEs, marks): class 9 is listed by two marks of one MSME.
    assert classes == {"9": (1, 2), "42": (1, 1), "35": (1, 1), "25": (1, 1)}


def test_each_days_maturity_and_size_counts_are_kept_for_the_trend(tenant):
    run(tenant, rollups.rebuild)
    with tenant_context(tenant), transaction.atomic():
        first = Msme.objects.filter(maturity_level__isnull=True).order_by("name").first()
        services.msme_set_maturity(msme=first, level=3, assessed_on=timezone.localdate(), actor=None)
    run(tenant, rollups.refresh)  # the same day: its counts replace the morning's
    with tenant_context(tenant), transaction.atomic():
        today = dict(
            MsmeCountSnapshot.objects.filter(day=timezone.localdate(), dimension="maturity_level").values_list(
                "value", "msmes"
            )
        )
        assert today == dict(MsmeCount.objects.filter(dimension="maturity_level").values_list("value", "msmes"))
        assert today["0"] == 5 and today["3"] == 1
        assert set(MsmeCountSnapshot.objects.values_list("dimension", flat=True)) == {"maturity_level", "size_class"}
        # A month earlier, as the last run of that month left it.
        earlier = timezone.localdate().replace(day=1) - timedelta(days=1)
        MsmeCountSnapshot.objects.create(day=earlier, dimension="maturity_level", value="0", msmes=9)
        MsmeCountSnapshot.objects.create(day=earlier, dimension="maturity_level", value="2", msmes=2)
        trend = selectors.maturity_trend()
    assert [month for month, _ in trend.rows] == [earlier.strftime("%Y-%m"), timezone.localdate().strftime("%Y-%m")]
    assert trend.columns[0] == "Not assessed" and trend.rows[0][1][:3] == [9, 0, 2]
