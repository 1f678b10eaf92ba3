"""Small-cell suppression: no count under 5 is shown, and none can be worked back from what is shown.

The attack is written here apart from the module's own check: every figure an analyst sees, the lines that
must add up, and each withheld figure's smallest and largest possible value found by linear programming
over the integers' relaxation (exhaustive search on small tables): a withheld count whose value is forced is
a disclosure."""

from __future__ import annotations

import itertools
import random

import pytest

from apps.dashboards.suppression import (
    THRESHOLD,
    WITHHELD,
    ProtectedTable,
    _lines,
    disclosed,
    fixed_margins,
    protect,
    protect_margins,
)


def figures(table: ProtectedTable) -> dict[tuple, object]:
    found = {}
    for r, row in enumerate(table.cells):
        for c, shown in enumerate(row):
            found[("cell", r, c)] = shown
    for r, shown in enumerate(table.row_totals):
        found[("row", r)] = shown
    for c, shown in enumerate(table.column_totals):
        found[("column", c)] = shown
    found[("all",)] = table.total
    return found


def solutions(counts: list[list[int]], table: ProtectedTable, ceiling: int) -> list[dict]:
    """Every table of counts in 0..ceiling an analyst cannot tell from the real one: the same figures shown,
    each "<5" under 5, each withheld one at least 5, every line adding up."""
    rows, columns = len(counts), len(counts[0])
    shown = figures(table)
    hidden = [(r, c) for r in range(rows) for c in range(columns) if shown[("cell", r, c)].withheld]
    found = []
    ranges = [range(THRESHOLD) if shown[("cell", r, c)].small else range(THRESHOLD, ceiling + 1) for r, c in hidden]
    for guess in itertools.product(*ranges):
        grid = [row[:] for row in counts]
        for (r, c), value in zip(hidden, guess, strict=True):
            grid[r][c] = value
        values = {("cell", r, c): grid[r][c] for r in range(rows) for c in range(columns)}
        values |= {("row", r): sum(grid[r]) for r in range(rows)}
        values |= {("column", c): sum(grid[r][c] for r in range(rows)) for c in range(columns)}
        values[("all",)] = sum(values[("row", r)] for r in range(rows))
        if all(_consistent(shown[key], value) for key, value in values.items()):
            found.append(values)
    return found


def _consistent(shown, value: int) -> bool:
    if not shown.withheld:
        return shown.value == value
    return value < THRESHOLD if shown.small else value >= THRESHOLD


def assert_nothing_disclosed(
    counts: list[list[int]], ceiling: int, table: ProtectedTable | None = None, insiders: bool = True
) -> ProtectedTable:
    table = table or protect(counts)
    shown = figures(table)
    possible = solutions(counts, table, ceiling)
    assert possible, "the real table itself must be among the possible ones"
    for key, figure in shown.items():
        if figure.withheld:
            values = {solution[key] for solution in possible}
            assert len(values) > 1, f"{key} is withheld but worked back to {values} from {table}"
    # Each column is one agency's, which knows its own counts: nor may it work back another agency's.
    for c in range(len(counts[0]) if insiders else 0):
        own = {("cell", r, c) for r in range(len(counts))} | {("column", c)}
        known = [s for s in possible if all(s[("cell", r, c)] == counts[r][c] for r in range(len(counts)))]
        for key, figure in shown.items():
            if figure.withheld and key not in own and key[0] in {"cell", "column"}:
                values = {solution[key] for solution in known}
                assert len(values) > 1, f"{key} worked back to {values} by the agency of column {c} from {table}"
    return table


def test_a_count_under_five_is_withheld_and_says_so():
    table = protect([[10, 3, 20], [7, 8, 9], [30, 40, 50]])
    assert table.cells[0][1].withheld and table.cells[0][1].small and table.cells[0][1].text == "<5"
    assert table.cells[2][2].text == "50"


def test_a_lone_small_count_takes_another_of_its_row_and_column_with_it():
    table = protect([[10, 3, 20], [7, 8, 9], [30, 40, 50]])
    for line in (table.cells[0], [row[1] for row in table.cells]):
        assert sum(f.withheld for f in line) >= 2
    secondary = [f for row in table.cells for f in row if f.withheld and not f.small]
    assert secondary and all(f.text == WITHHELD for f in secondary)


def test_a_table_without_small_counts_is_shown_whole():
    table = protect([[100, 200], [300, 400]])
    assert [[f.value for f in row] for row in table.cells] == [[100, 200], [300, 400]]
    assert [f.value for f in table.row_totals] == [300, 700] and table.total.value == 1000


def test_small_totals_are_withheld_too():
    table = protect([[1, 2], [1, 0]])
    assert all(f.withheld for f in [*table.row_totals, *table.column_totals, table.total])


@pytest.mark.parametrize(
    "counts",
    [
        [[6, 3, 8], [7, 5, 9]],
        [[2, 5], [0, 5]],
        [[5, 0], [5, 9]],
        [[1, 6, 6], [6, 6, 6]],
        [[4, 5, 5]],
        [[0], [7], [7]],
    ],
)
def test_no_withheld_count_can_be_worked_back(counts):
    assert_nothing_disclosed(counts, ceiling=max(map(max, counts)) + 2)


def test_no_withheld_count_can_be_worked_back_from_random_tables():
    rng = random.Random(20261206)
    tried = 0
    while tried < 40:
        rows, columns = rng.choice([(1, 3), (2, 2), (2, 3), (3, 2)])
        counts = [[rng.choice([0, 1, 2, 4, 5, 6, 8]) for _ in range(columns)] for _ in range(rows)]
        table = protect(counts)
        hidden = sum(f.withheld for row in table.cells for f in row)
        if hidden > 5:  # exhaustive search: keep it small
            continue
        assert_nothing_disclosed(counts, ceiling=9, insiders=False)
        tried += 1


def test_rows_of_unequal_length_are_refused():
    with pytest.raises(ValueError):
        protect([[1, 2], [3]])


def test_tables_of_one_population_show_or_withhold_the_same_totals():
    """Two breakdowns of the same MSMEs share their column totals: a total withheld in one but shown in the
    other would undo the first's protection (here: nobody is a spin-off in either country, the "No" row's
    total would give the "Yes" row's total, 0, away)."""
    columns, total = protect_margins([20, 33])
    fixed = fixed_margins(columns, total)
    spinoffs = protect([[0, 0], [20, 33]], fixed=fixed)
    sizes = protect([[14, 30], [6, 3]], fixed=fixed)
    for table in (spinoffs, sizes):
        assert [f.text for f in table.column_totals] == ["20", "33"] and table.total.text == "53"
    assert [f.text for f in spinoffs.cells[1]] == [WITHHELD, WITHHELD]
    assert spinoffs.row_totals[1].withheld  # 53 - "No" would be the "Yes" total
    assert_nothing_disclosed([[0, 0], [20, 33]], ceiling=60, table=spinoffs)


def test_a_small_country_is_withheld_in_every_table():
    columns, total = protect_margins([3, 40, 50])
    # The 3, and both others: the agency of either, knowing its own, would otherwise work the 3 back.
    assert [f.text for f in columns] == ["<5", WITHHELD, WITHHELD] and total.text == "93"
    fixed = fixed_margins(columns, total)
    table = protect([[1, 20, 25], [2, 20, 25]], fixed=fixed)
    assert [f.withheld for f in table.column_totals] == [f.withheld for f in columns]


def test_a_table_without_rows_takes_no_shared_totals():
    columns, total = protect_margins([0, 12])
    table = protect([], fixed=fixed_margins(columns, total))
    assert table.cells == [] and table.row_totals == []


@pytest.mark.django_db  # the sectors' titles are in the database
def test_every_value_of_a_breakdown_has_its_label():
    from apps.dashboards.tables import ASSET_BREAKDOWNS, BREAKDOWNS

    for breakdown in (*BREAKDOWNS, *ASSET_BREAKDOWNS):
        assert len(breakdown.value_labels) == len(breakdown.every_value), breakdown.slug


def test_one_small_row_withholds_a_few_counts_not_the_whole_table():
    """The sectors of three agencies (the demo's), with one row under 5 in two columns: the counts withheld
    to protect it pair up across a few rows; the 5s are not withheld first (two 5s withheld together are both
    pinned at 5, which spread through the whole table) and every row keeps its total."""
    counts = [
        [20, 22, 17], [13, 10, 13], [85, 80, 91], [12, 9, 9], [8, 6, 7], [7, 17, 7], [8, 11, 7], [11, 5, 10],
        [3, 9, 4], [28, 38, 36], [6, 9, 7], [6, 5, 5], [20, 14, 14], [20, 18, 23], [5, 7, 9], [9, 8, 9],
        [7, 9, 8], [7, 13, 12], [13, 5, 5], [12, 5, 7],
    ]  # fmt: skip
    table = protect(counts)
    withheld = [(r, c) for r, row in enumerate(table.cells) for c, shown in enumerate(row) if shown.withheld]
    assert (8, 0) in withheld and (8, 2) in withheld
    assert len(withheld) <= 12
    assert not any(shown.withheld for shown in table.row_totals)
    assert len({r for r, _ in withheld}) <= 4
    # Too many withheld counts for the exhaustive attack: the module's own (bounds narrowed line by line, and
    # again as each column's agency, which knows its own counts) finds none of them.
    values = {("cell", r, c): n for r, row in enumerate(counts) for c, n in enumerate(row)}
    values |= {("row", r): sum(row) for r, row in enumerate(counts)}
    values |= {("column", c): sum(row[c] for row in counts) for c in range(3)}
    values[("all",)] = sum(map(sum, counts))
    hidden = {("cell", r, c) for r, c in withheld}
    small = {key for key, n in values.items() if n < THRESHOLD}
    lines = _lines(len(counts), 3)
    assert not disclosed(values, lines, hidden, small)
    for c in range(3):
        own = {("cell", r, c) for r in range(len(counts))} | {("column", c)}
        assert not disclosed(values, lines, hidden - own, small) - own
