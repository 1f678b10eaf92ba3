"""Small-cell suppression for the tables division analysts see: no count under 5 MSMEs, and nothing from
which one can be worked back.

A table is counts in rows and columns with its row, column and grand totals, which are published too. Tables
of one population share their column totals and grand total (each country's MSMEs, all of them): those are
protected once (`protect_margins`) and handed to each table as `fixed`, shown or withheld alike in every table,
so that no table withholds a total that another shows (which would undo its protection).
- Primary: every count under `THRESHOLD` (totals included) is withheld and shown as "<5".
- Secondary: a row or column with one withheld count would give it away (its total minus the others), so
  another count of that line is withheld too; and so on until no line has just one. The count chosen is the
  one whose other lines already withhold something (so that the withheld counts pair up across rows and
  columns instead of pulling a fresh line in each time), then one above the threshold (see `_Chooser`),
  then the smallest.
- Then the table is checked as an analyst would attack it: each withheld count is bounded by what is shown
  (a "<5" is 0 to 4, another withheld count at least 5, every line adds up), and the bounds are narrowed
  line by line until they settle. A withheld count whose bounds meet (its value known) makes one more count
  of its lines withheld, and the check runs again.

Pure functions of plain integers: the page, the CSV and the API all show what `protect` returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

THRESHOLD = 5
WITHHELD = "\u00d7"  # the multiplication sign: a count withheld so as not to reveal a small one

Key = tuple  # ("cell", row, column) | ("row", row) | ("column", column) | ("all",)


@dataclass(frozen=True)
class Shown:
    """One published figure: its count, or None when withheld (`small`: it is under the threshold)."""

    value: int | None
    small: bool = False

    @property
    def withheld(self) -> bool:
        return self.value is None

    @property
    def text(self) -> str:
        """As the page, the CSV and the API print it: the count, "<5", or WITHHELD."""
        if self.value is not None:
            return str(self.value)
        return "<5" if self.small else WITHHELD


@dataclass(frozen=True)
class ProtectedTable:
    cells: list[list[Shown]]
    row_totals: list[Shown]
    column_totals: list[Shown]
    total: Shown | None


def _lines(rows: int, columns: int, *, columns_add_up: bool = True) -> list[tuple[Key, list[Key]]]:
    """Every additive relation of the table: (its total, the parts that add up to it)."""
    lines: list[tuple[Key, list[Key]]] = []
    for r in range(rows):
        lines.append((("row", r), [("cell", r, c) for c in range(columns)]))
    if not columns_add_up:
        return lines
    for c in range(columns):
        lines.append((("column", c), [("cell", r, c) for r in range(rows)]))
    lines.append((("all",), [("row", r) for r in range(rows)]))
    lines.append((("all",), [("column", c) for c in range(columns)]))
    return lines


def protect_margins(totals: Sequence[int], *, threshold: int = THRESHOLD) -> tuple[list[Shown], Shown]:
    """The totals shared by several tables (one per column) and their sum, small and revealing ones withheld."""
    table = protect([list(totals)], threshold=threshold)
    return table.cells[0], table.row_totals[0]


def fixed_margins(columns: Sequence[Shown], total: Shown) -> dict[Key, bool]:
    """`protect`'s `fixed` for a table whose column totals and grand total are these shared ones."""
    return {("column", c): shown.withheld for c, shown in enumerate(columns)} | {("all",): total.withheld}


def protect(
    counts: Sequence[Sequence[int]],
    *,
    threshold: int = THRESHOLD,
    fixed: Mapping[Key, bool] | None = None,
    columns_add_up: bool = True,
    insiders: bool = True,
) -> ProtectedTable:
    """The table of `counts` (rows of equal length) with its totals, small and revealing counts withheld.

    `fixed`: figures published elsewhere, as {key: withheld}; they keep that state and are never withheld to
    protect another figure (hiding here what another table shows would protect nothing).
    `columns_add_up=False`: a row's values may overlap (an MSME holding a patent and a mark is in both rows),
    so a column has no total, nor the table: only each row's total is published (`column_totals` is empty,
    `total` None).
    `insiders`: each column is one agency's, which knows its own counts exactly (its own dashboard): nothing may
    be worked back by a reader who knows one column either."""
    rows, columns = len(counts), len(counts[0]) if counts else 0
    values: dict[Key, int] = {}
    for r, line in enumerate(counts):
        if len(line) != columns:
            raise ValueError("every row needs the same number of columns")
        for c, count in enumerate(line):
            values[("cell", r, c)] = count
        values[("row", r)] = sum(line)
    if columns_add_up:
        for c in range(columns):
            values[("column", c)] = sum(counts[r][c] for r in range(rows))
        values[("all",)] = sum(values[("row", r)] for r in range(rows))

    # A table without rows has no column totals of its own to fix.
    fixed = {key: hidden for key, hidden in (fixed or {}).items() if key in values}
    lines = _lines(rows, columns, columns_add_up=columns_add_up)
    small = {key for key, value in values.items() if value < threshold}
    withheld = {key for key in small if key not in fixed} | {key for key, hidden in fixed.items() if hidden}
    free = {key for key in values if key not in fixed}
    choose = _Chooser(lines, values, withheld, threshold)
    while True:
        _close_lines(lines, withheld, free, choose)
        known = disclosed(values, lines, withheld, small, threshold=threshold)
        if not known and insiders:
            known = _disclosed_to_a_column(values, lines, withheld, small, rows, columns, threshold)
        if not known:
            break
        if not _withhold_more(known, lines, withheld, free, choose):
            withheld |= free  # nothing left to hide behind: withhold all the table's own figures
            break

    def shown(key: Key) -> Shown:
        return Shown(None, key in small) if key in withheld else Shown(values[key])

    return ProtectedTable(
        cells=[[shown(("cell", r, c)) for c in range(columns)] for r in range(rows)],
        row_totals=[shown(("row", r)) for r in range(rows)],
        column_totals=[shown(("column", c)) for c in range(columns)] if columns_add_up else [],
        total=shown(("all",)) if columns_add_up else None,
    )


class _Chooser:
    """Which of several counts to withhold next: the one that leaves the fewest lines with a single withheld
    member (each such line would need one more), then one well above the threshold, then the smallest.

    Well above: a withheld count is known to be at least the threshold, so two counts of 5 withheld together
    (their sum known) are both pinned at 5, and each pinned count pulls more in; withholding 5s first spread
    that through whole tables."""

    def __init__(
        self, lines: list[tuple[Key, list[Key]]], values: dict[Key, int], withheld: set[Key], threshold: int
    ) -> None:
        self.values, self.withheld, self.threshold = values, withheld, threshold
        self.lines_of: dict[Key, list[list[Key]]] = {}
        for total, parts in lines:
            members = [total, *parts]
            for key in members:
                self.lines_of.setdefault(key, []).append(members)

    def opened(self, key: Key) -> int:
        """The lines through `key` with nothing withheld yet: withholding it leaves each with a single one."""
        return sum(1 for members in self.lines_of.get(key, []) if not any(m in self.withheld for m in members))

    def __call__(self, candidates: set[Key] | list[Key]) -> Key:
        return min(
            candidates, key=lambda key: (self.opened(key), self.values[key] <= self.threshold, self.values[key], key)
        )


def _close_lines(lines: list[tuple[Key, list[Key]]], withheld: set[Key], free: set[Key], choose: _Chooser) -> None:
    """Withhold one more member of every line with exactly one withheld member, until none has."""
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            members = [total, *parts]
            hidden = [key for key in members if key in withheld]
            if len(hidden) == 1:
                candidates = [key for key in members if key not in withheld and key in free]
                if candidates:
                    withheld.add(choose(candidates))
                    changed = True


def _withhold_more(
    known: set[Key], lines: list[tuple[Key, list[Key]]], withheld: set[Key], free: set[Key], choose: _Chooser
) -> bool:
    """Withhold one more shown member of a line through a disclosed count; False when there is none."""
    candidates = {
        key
        for total, parts in lines
        if known & {total, *parts}
        for key in (total, *parts)
        if key not in withheld and key in free
    }
    if not candidates:
        return False
    withheld.add(choose(candidates))
    return True


def _disclosed_to_a_column(
    values: dict[Key, int],
    lines: list[tuple[Key, list[Key]]],
    withheld: set[Key],
    small: set[Key],
    rows: int,
    columns: int,
    threshold: int,
) -> set[Key]:
    """The withheld figures of other columns that the agency of one column could work back, knowing its own."""
    for c in range(columns):
        own = {("cell", r, c) for r in range(rows)} | {("column", c)}
        if not own & withheld:
            continue  # all its counts are shown: it knows nothing the others do not
        found = disclosed(values, lines, withheld - own, small, threshold=threshold) - own
        if found:
            return found
    return set()


def bounds(
    values: dict[Key, int],
    lines: list[tuple[Key, list[Key]]],
    withheld: set[Key],
    small: set[Key],
    *,
    threshold: int = THRESHOLD,
) -> dict[Key, tuple[int, int]]:
    """What an analyst can tell of each figure from the published table: (lowest, highest) it can be."""
    ceiling = 10**12  # a withheld count of at least the threshold: no upper bound but what the lines give
    low: dict[Key, int] = {}
    high: dict[Key, int] = {}
    for key, value in values.items():
        if key not in withheld:
            low[key] = high[key] = value
        elif key in small:
            low[key], high[key] = 0, threshold - 1
        else:
            low[key], high[key] = threshold, ceiling
    for _ in range(4 * len(values) + 4):  # narrowing settles long before; the bound keeps it finite
        changed = False
        for total, parts in lines:
            # total = sum(parts): each member bounded by the others
            lo_sum, hi_sum = sum(low[p] for p in parts), sum(high[p] for p in parts)
            new = (max(low[total], lo_sum), min(high[total], hi_sum))
            if new != (low[total], high[total]):
                low[total], high[total], changed = *new, True
            for part in parts:
                others_lo, others_hi = lo_sum - low[part], hi_sum - high[part]
                new = (max(low[part], low[total] - others_hi), min(high[part], high[total] - others_lo))
                if new != (low[part], high[part]):
                    lo_sum += new[0] - low[part]
                    hi_sum += new[1] - high[part]
                    low[part], high[part], changed = *new, True
        if not changed:
            break
    return {key: (low[key], high[key]) for key in values}


def disclosed(
    values: dict[Key, int],
    lines: list[tuple[Key, list[Key]]],
    withheld: set[Key],
    small: set[Key],
    *,
    threshold: int = THRESHOLD,
) -> set[Key]:
    """The withheld figures whose value the published table gives away."""
    found = bounds(values, lines, withheld, small, threshold=threshold)
    return {key for key in withheld if found[key][0] == found[key][1]}
