"""The base of every list page: a filtered, paginated queryset that stays fast at 100,000 rows.

A list page counts its rows only up to a bound (`CappedPaginator`): an exact `COUNT(*)` reads every row of
the tenant that matches (29 ms at 100,000 MSMEs), while a count that stops at the bound reads at most that
many index entries. Past the bound the page says "more than N" and pages on with Next only, fetching one
row more than it shows to know whether there is a next page. Below the bound nothing changes: the same
count, the same "Page X of Y" and First / Last links.

`list_page` is what a view calls: the FilterSet's queryset (refusing invalid filters, which would
otherwise list everything), one page of it, and the query string for the page links.
"""

from __future__ import annotations

import functools
import html
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable, ValuesIterable, ValuesListIterable
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from apps.core.fragments import cached_fragment

# 40 pages of 25: past that, people filter rather than page. Counting up to 1,001 rows costs about a
# millisecond whatever the filters; counting 10,000 through a filter's bitmap scan costs 10-90 ms.
COUNT_CAP = 1_000


class CappedPage(Page):
    """A page of a list whose total is not known (past the cap): it knows only whether a next one exists."""

    def __init__(self, object_list: Sequence[Any], number: int, paginator: CappedPaginator, has_more: bool):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self) -> bool:
        return self._has_more

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


# The page query's extra column that carries the count (rows_and_count).
_TOTAL = "_list_total"
_FOLDABLE = (ModelIterable, ValuesIterable, ValuesListIterable)


def rows_and_count(
    queryset: QuerySet, bottom: int, top: int, *, cap: int | None = None
) -> tuple[list[Any], int | None] | None:
    """Rows `bottom` to `top` of `queryset` and its count (at most `cap` + 1 when a cap is given), in one query:
    the count is a subquery of the page's query, a column PostgreSQL computes once. A page and its count
    are otherwise two queries, two round trips, and the count's SQL compiled apart.

    The count is None when no row is at that offset (nothing carried it). None altogether when the queryset
    cannot carry it: its rows are not instances, dicts or tuples of named fields, or counting its keys would
    count something else than its rows (DISTINCT, GROUP BY, a union, a slice)."""
    query = queryset.query
    if (
        queryset._iterable_class not in _FOLDABLE
        or query.distinct
        or query.combinator
        or query.group_by is not None
        or query.is_sliced
        or (queryset._iterable_class is not ModelIterable and not queryset._fields)
    ):
        return None
    counted = _keys(queryset.order_by())
    if cap is not None:
        counted = counted[: cap + 1]
    try:
        sql, params = counted.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None  # none(): Django counts it without a query
    # Django's own compiled SQL and its parameters, kept apart: nothing of the request is spliced in.
    total = RawSQL(f"SELECT COUNT(*) FROM ({sql}) {_TOTAL}", params, output_field=IntegerField())  # noqa: S608, S611
    paged = queryset.annotate(**{_TOTAL: total})
    if queryset._iterable_class is ValuesListIterable:
        paged = paged.values_list(*queryset._fields, _TOTAL)
    elif queryset._iterable_class is ValuesIterable:
        paged = paged.values(*queryset._fields, _TOTAL)
    rows = list(paged[bottom:top])
    if not rows:
        return rows, None
    if queryset._iterable_class is ValuesListIterable:
        count = rows[0][-1]
        return [row[:-1] for row in rows], count
    if queryset._iterable_class is ValuesIterable:
        count = rows[0][_TOTAL]
        for row in rows:
            del row[_TOTAL]
        return rows, count
    count = getattr(rows[0], _TOTAL)
    for row in rows:
        del row.__dict__[_TOTAL]
    return rows, count


def _keys(queryset: QuerySet) -> QuerySet:
    """The rows to count, as their keys alone when that counts the same rows: a column a row is annotated
    with (apps.core.lists.related_column) is then not computed for rows that are only counted."""
    query = queryset.query
    if query.distinct or query.combinator or query.group_by is not None or query.is_sliced:
        return queryset
    return queryset.values("pk")


MAX_PAGE_NUMBER = 2**31


def _page_number(number: Any, messages: dict[str, str]) -> int:
    """Django's checks of a page number that need no count (Paginator.validate_number)."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        number = int(number)
    except (TypeError, ValueError) as error:
        raise PageNotAnInteger(messages["invalid_page"]) from error
    if number < 1:
        raise EmptyPage(messages["min_page"])
    if number > MAX_PAGE_NUMBER:  # its OFFSET would not fit PostgreSQL's bigint; no list has that many pages
        raise EmptyPage(messages["no_results"])
    return number


class CountedPaginator(Paginator):
    """A Paginator of a queryset whose page query carries the count (rows_and_count): one query for a page
    and its count instead of two. The same pages: a page past the end is found empty, then counted as before."""

    count_cap: int | None = None  # a count that stops at count_cap + 1 (CappedPaginator)
    _empty_page: int | None = None

    def _folded_page(self, number: Any) -> Page | None:
        if "count" in self.__dict__ or self.orphans or not isinstance(self.object_list, QuerySet):
            return None
        number = _page_number(number, self.error_messages)
        bottom = (number - 1) * self.per_page
        # One row more than the page: a page past a capped count knows from it whether a next one exists.
        found = rows_and_count(self.object_list, bottom, bottom + self.per_page + 1, cap=self.count_cap)
        if found is None:
            return None
        if found[1] is None:
            self._empty_page = number  # known to hold no row: not read again
            return None
        rows, self.__dict__["count"] = found
        # Rows at this offset: the number is within the pages (Paginator.validate_number would accept it).
        return self._page_of(rows, number)

    def _page_of(self, rows: list[Any], number: int) -> Page:
        return self._get_page(rows[: self.per_page], number, self)

    def page(self, number: Any) -> Page:
        folded = self._folded_page(number)
        return super().page(number) if folded is None else folded


class CappedPaginator(CountedPaginator):
    """A Paginator that counts at most `cap` + 1 rows. `capped` says the true count is more than `cap`;
    then `count` is `cap` + 1, `num_pages` is unknown (None) and any page number is accepted.
    A queryset's page and its count are one query (CountedPaginator)."""

    def __init__(
        self, object_list: QuerySet | Sequence[Any], per_page: int, cap: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap
        self.count_cap = self.cap

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # The ordering is dropped: a count needs none, and the LIMIT lets PostgreSQL stop early.
            return _keys(self.object_list.order_by())[: self.cap + 1].count()
        return min(len(self.object_list), self.cap + 1)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int | None:  # type: ignore[override]
        return None if self.capped else super().num_pages

    def validate_number(self, number: Any) -> int:
        if not self.capped:
            return super().validate_number(number)
        return _page_number(number, self.error_messages)

    def _page_of(self, rows: list[Any], number: int) -> Page:
        if not self.capped:
            return super()._page_of(rows, number)
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

    def page(self, number: Any) -> Page:
        if (folded := self._folded_page(number)) is not None:
            return folded
        number = self.validate_number(number)
        if not self.capped:
            return super(CountedPaginator, self).page(number)
        bottom = (number - 1) * self.per_page
        rows = [] if number == self._empty_page else list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

    def get_page(self, number: Any) -> Page:
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            # Past the end of an uncounted list: its last rows are not known without counting, so page 1.
            return self.page(1 if self.capped else self.num_pages)


def page_query(request: HttpRequest, param: str = "page") -> str:
    """The request's query string without the page number: what the page links append their number to."""
    query = request.GET.copy()
    query.pop(param, None)
    return query.urlencode()


def list_page(
    request: HttpRequest,
    filtered: Callable[..., tuple[Any, QuerySet]],
    *,
    per_page: int = 25,
    cap: int | None = None,
    only: Sequence[str] = (),
) -> dict[str, Any]:
    """The context of a filtered list page: `filterset`, `page` (a page of the queryset) and `query`.

    `filtered(filters=request.GET)` is the app's selector: it returns the FilterSet and its queryset (none
    when the filters are invalid). The number of queries does not depend on the rows: a capped count and
    one page. `only`: the fields the rows show (`QuerySet.only`, related ones as `key__field` with the key
    itself): reading and building the other columns is a third of the page's query; a field left out and
    then read costs a query per row.
    """
    filterset, queryset = filtered(filters=request.GET)
    if only:
        queryset = queryset.only(*only)
    page = CappedPaginator(queryset, per_page, cap=cap).get_page(request.GET.get("page"))
    return {"filterset": filterset, "page": page, "query": page_query(request)}


@functools.cache
def related_column(model: type[Model], path: str) -> Subquery | None:
    """A subquery that reads `path` (`key__field`) of the row a never-null key points to, to annotate a list's
    queryset with instead of joining (select_related, or a `key__field` in values_list); None when `path` is not
    such a column (then join as usual).

    PostgreSQL evaluates such a subquery for the page's rows only, after the sort and the LIMIT, and a count
    leaves it out. A join reads the related table for every row the list matches before sorting: under
    row-level security the planner expects a handful of rows and hash-joins the whole related table (at
    300 MSMEs: the page's query and its count three times as long). The key is never null and a constraint,
    so the inner join kept every row and found one related row for each: the subquery gives the same values.

    Built once per model and path: a query that uses it resolves a copy (Subquery.resolve_expression clones
    its query), so the one kept is never changed.
    """
    parts = path.split(LOOKUP_SEP)
    if len(parts) != 2:
        return None
    try:
        field = model._meta.get_field(parts[0])
    except FieldDoesNotExist:
        return None
    if not (field.many_to_one and not field.null and field.db_constraint):
        return None
    if parts[1] in {field.target_field.name, field.target_field.attname}:
        return None  # the key itself: the row's own column, no join
    lookup = {field.target_field.attname: OuterRef(field.attname)}
    return Subquery(field.related_model._base_manager.filter(**lookup).order_by().values(parts[1]))


def choice_labels(model: type[Model], field_name: str) -> dict[Any, str]:
    """`field_name`'s choices as {value: label} in the active language: what `get_<field>_display` would
    build (and translate) again for every row."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def with_labels(rows: Sequence[Model], model: type[Model], *field_names: str) -> Sequence[Model]:
    """Sets `<field>_label` on each row (the choice's label, or the raw value like get_<field>_display)."""
    for name in field_names:
        labels = choice_labels(model, name)
        for row in rows:
            value = getattr(row, name)
            setattr(row, f"{name}_label", labels.get(value, value))
    return rows


# Stand-ins reversed once, then replaced by each row's key: `{% url %}` per row resolves the URLconf per row.
_UUID_STANDIN = uuid.UUID("f0e1d2c3-b4a5-4968-8776-655443322110")
_INT_STANDIN = 918273645546372819


def url_maker(viewname: str, *, uuid_keys: bool) -> Callable[[Any], str]:
    """A function of a key that returns `reverse(viewname, args=[key])`, the URLconf resolved once: for rows
    read as tuples (values_list), which `with_urls` cannot set an attribute on."""
    standin = str(_UUID_STANDIN if uuid_keys else _INT_STANDIN)
    pattern = reverse(viewname, args=[standin])
    return lambda key: pattern.replace(standin, str(key))


def with_urls(rows: Sequence[Model], viewname: str, attr: str = "url") -> Sequence[Model]:
    """Sets `attr` on each row to `reverse(viewname, args=[row.pk])`, reversing only once."""
    if not rows:
        return rows
    url = url_maker(viewname, uuid_keys=isinstance(rows[0].pk, uuid.UUID))
    for row in rows:
        setattr(row, attr, url(row.pk))
    return rows


def _escaped(value: Any) -> str:
    # What `{{ value }}` does to text: HTML that is already safe stays as it is, the rest is escaped.
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value), quote=True)


def rows_html(row_format: str, rows: Iterable[Sequence[Any]]) -> SafeString:
    """The rows of a list, each its values escaped (as `{{ value }}` would) into `row_format`, a `str.format`
    string of positional fields, joined.

    A template loop resolves and escapes every `{{ }}` of every row through the template engine, which is
    most of what rendering a list page costs (25 rows of 10 values: 0.8 ms); this is a tenth of that. The
    values are text: numbers and dates are given already formatted (`date_format`, labels), `None` as
    what the cell shows for it.
    """
    return mark_safe("\n".join(row_format.format(*map(_escaped, row)) for row in rows))  # noqa: S308 (escaped above)


def list_filters_html(request: HttpRequest, template_name: str, context: dict[str, Any]) -> SafeString:
    """A list page's filter form, rendered by `template_name` from `context` (its `filterset` and `query`).

    The form depends only on the language and the query string, so it is rendered once per pair and
    cached (apps.core.fragments); a form with errors is rendered afresh. The template gets no request:
    the form is a GET form (no CSRF token) and must hold nothing about the user or the tenant.
    """

    def render() -> str:
        return render_to_string(template_name, context)

    if context["filterset"].errors:
        return mark_safe(render())  # noqa: S308 (a template's output, escaped by it)
    return cached_fragment(template_name, (request.path, context["query"]), render)


# The attribute `offers_saved_filters` sets on a list page's view (functools.wraps carries it to the wrappers).
SAVED_FILTERS_ATTR = "offers_saved_filters"


def offers_saved_filters[F: Callable[..., Any]](view: F) -> F:
    """Declares that a list page lets its users save its filters under a name and open them again (the
    `{% saved_filters %}` box of templates/includes/list_page.html; the accounts app keeps them). The list is
    known by its URL name, which must reverse without arguments. Put it under `@requires`: saving a list's
    filters needs the rule that opens the list."""
    setattr(view, SAVED_FILTERS_ATTR, True)
    return view


def saves_filters(view: Any) -> bool:
    """Whether a view (a resolved URL's function) declared `offers_saved_filters`."""
    return bool(getattr(view, SAVED_FILTERS_ATTR, False))
