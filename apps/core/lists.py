"""The base of every list page: a filtered, paginated queryset that stays fast at 100,000 rows.

A list page counts its rows only up to a bound (`CappedPaginator`): an exact `COUNT(*)` reads every row of
the tenant that matches (29 ms at 100,000 MSMEs), while a count that stops at the bound reads at most that
many index entries. Past the bound the page says "more than N" and pages on with Next only, fetching one
row more than it shows to know whether there is a next page. Below the bound nothing changes: the same
count, the same "Page X of Y" and First / Last links.

`list_page` is what a view calls: the FilterSet's queryset (refusing invalid filters, which would
otherwise list everything), one page of it, and the query string for the page links.

A list of tuples whose query depends only on the request may keep its page's query in the process
(`KeptPages`): building the queryset and compiling it cost more than reading the page, and on PostgreSQL
the kept query is a prepared statement, planned once per connection.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ImproperlyConfigured
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable, ValuesIterable, ValuesListIterable
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from apps.core.filters import reads_rows_for_choices
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
    queryset: QuerySet, bottom: int, top: int, cap: int | None
) -> tuple[list[Any], int | None, PageQuery | None] | None:
    """Rows `bottom` to `top` of `queryset` and its count (at most `cap` + 1 when a cap is given), in one query:
    the count is a subquery of the page's query, a column PostgreSQL computes once. A page and its count
    are otherwise two queries, two round trips, and the count's SQL compiled apart.

    The count is None when no row is at that offset (nothing carried it). None altogether when the queryset
    cannot carry it: its rows are not instances, dicts or tuples of named fields, or counting its keys would
    count something else than its rows (DISTINCT, GROUP BY, a union, a slice). With them, the page's query
    when it is one that can be kept (PageQuery.of)."""
    paged = _paged_with_count(queryset, bottom, top, cap)
    if paged is None:
        return None
    page_query = PageQuery.of(paged)
    if page_query is not None:
        # The count, last, needs no converter: COUNT(*) is read as an int already.
        page_query = page_query.without_converter(len(queryset._fields))
    rows = page_query.rows() if page_query is not None else list(paged)
    if not rows:
        return rows, None, page_query
    if queryset._iterable_class is ValuesListIterable:
        return [row[:-1] for row in rows], rows[0][-1], page_query
    if queryset._iterable_class is ValuesIterable:
        count = rows[0][_TOTAL]
        for row in rows:
            del row[_TOTAL]
        return rows, count, page_query
    count = getattr(rows[0], _TOTAL)
    for row in rows:
        del row.__dict__[_TOTAL]
    return rows, count, page_query


def _paged_with_count(queryset: QuerySet, bottom: int, top: int, cap: int | None) -> QuerySet | None:
    """Rows `bottom` to `top` of `queryset`, each with the count in a last column (`_TOTAL`); None when the
    queryset cannot carry it (rows_and_count), or selects nothing without a query (none())."""
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
    return paged[bottom:top]


@dataclass(frozen=True, slots=True)
class PageQuery:
    """A page's query of tuples (`values_list`) as Django compiled it, its SQL and parameters, with Django's
    converters for its columns: read again without building and compiling the queryset anew, which costs
    more than reading (KeptPages)."""

    sql: str
    params: tuple[Any, ...]
    using: str
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    # The SQL with its parameters written in, read as a prepared statement (`for_keeping`); None: as compiled.
    literal: str | None = None

    @classmethod
    def of(cls, queryset: QuerySet) -> PageQuery | None:
        """The query of a `values_list` queryset (not flat, not named); None for any other, or one that
        selects nothing without a query."""
        if queryset._iterable_class is not ValuesListIterable:
            return None
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        if not sql or compiler.has_composite_fields(fields):
            return None
        converters = tuple(
            (position, tuple(functions), expression)
            for position, (functions, expression) in compiler.get_converters(fields).items()
        )
        return cls(sql, tuple(params), queryset.db, converters)

    def without_converter(self, position: int) -> PageQuery:
        converters = tuple(converter for converter in self.converters if converter[0] != position)
        return dataclasses.replace(self, converters=converters)

    def for_keeping(self) -> PageQuery:
        """This query as it is kept for reading again: on a database that prepares statements (PostgreSQL's
        `literal_sql`, apps.tenants.backends.postgresql), with its values written in, so that each connection
        parses and plans it once (the planning costs PostgreSQL as much as running a list's page)."""
        literal_sql = getattr(connections[self.using], "literal_sql", None)
        literal = literal_sql(self.sql, self.params) if literal_sql is not None else None
        return self if literal is None else dataclasses.replace(self, literal=literal)

    def rows(self) -> list[tuple[Any, ...]]:
        """The rows as the queryset would give them (SQLCompiler.results_iter with its converters)."""
        connection = connections[self.using]
        if self.literal is None:
            cursor, sql, params = connection.cursor(), self.sql, self.params
        else:
            cursor, sql, params = connection.prepared_cursor(), self.literal, None
        with cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if not self.converters:
            return [tuple(row) for row in fetched]
        rows = []
        for row in map(list, fetched):
            for position, functions, expression in self.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            rows.append(tuple(row))
        return rows


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
    # The query of the page that was read, with its number, when it can be kept (PageQuery.of; KeptPages).
    page_query: tuple[PageQuery, int] | None = None

    def _folded_page(self, number: Any) -> Page | None:
        if "count" in self.__dict__ or self.orphans or not isinstance(self.object_list, QuerySet):
            return None
        number = _page_number(number, self.error_messages)
        found = rows_and_count(self.object_list, *self._bounds(number), self.count_cap)
        if found is None:
            return None
        rows, count, page_query = found
        if count is None:
            self._empty_page = number  # known to hold no row: not read again
            return None
        self.__dict__["count"] = count
        if page_query is not None:
            self.page_query = (page_query, number)
        # Rows at this offset: the number is within the pages (Paginator.validate_number would accept it).
        return self._page_of(rows, number)

    def _bounds(self, number: int) -> tuple[int, int]:
        # One row more than the page: a page past a capped count knows from it whether a next one exists.
        bottom = (number - 1) * self.per_page
        return bottom, bottom + self.per_page + 1

    def page_read_again(self, page_query: PageQuery, number: int) -> Page | None:
        """Page `number` read by a query this paginator's queryset compiled to before (`page_query`), without
        the queryset; None if no row is at that offset any more (then take the paginator's own path)."""
        rows = page_query.rows()
        if not rows:
            return None
        self.__dict__["count"] = rows[0][-1]
        return self._page_of([row[:-1] for row in rows], number)

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
    keep_query: bool = False,
) -> dict[str, Any]:
    """The context of a filtered list page: `filterset`, `page` (a page of the queryset) and `query`.

    `filtered(filters=request.GET)` is the app's selector: it returns the FilterSet and its queryset (none
    when the filters are invalid). The number of queries does not depend on the rows: a capped count and
    one page. `only`: the fields the rows show (`QuerySet.only`, related ones as `key__field` with the key
    itself): reading and building the other columns is a third of the page's query; a field left out and
    then read costs a query per row. `keep_query`: the page's query is kept for the same request (KeptPages),
    for a list of tuples (`values_list`) whose query depends on nothing but what KeptPages.key names.
    """
    key = kept_pages.key(request, filtered, per_page, cap, only) if keep_query else None
    if key is not None:
        found = kept_pages.read(
            key, CappedPaginator([], per_page, cap=cap), rebuild=lambda: _filtered(request, filtered, only)[1]
        )
        if found is not None:
            page, kept = found
            return {"filterset": kept.filterset, "page": page, "query": page_query(request)}
    filterset, queryset = _filtered(request, filtered, only)
    paginator = CappedPaginator(queryset, per_page, cap=cap)
    page = paginator.get_page(request.GET.get("page"))
    if key is not None and _keepable(filterset):
        kept_pages.keep(key, paginator, page, filterset)
    return {"filterset": filterset, "page": page, "query": page_query(request)}


def _keepable(filterset: Any) -> bool:
    """A FilterSet kept with a page serves the same query string's form: not one with errors, nor one with a
    filter whose choices are rows (ModelChoiceFilter and the like), which must be read again for each page."""
    filters = getattr(filterset, "filters", {})
    return not filterset.errors and not reads_rows_for_choices(filters.values())


def _filtered(
    request: HttpRequest, filtered: Callable[..., tuple[Any, QuerySet]], only: Sequence[str]
) -> tuple[Any, QuerySet]:
    filterset, queryset = filtered(filters=request.GET)
    return filterset, (queryset.only(*only) if only else queryset)


@dataclass(frozen=True, slots=True)
class KeptPage:
    page_query: PageQuery
    number: int
    filterset: Any


class KeptPages:
    """The page queries of lists that keep them (`list_page(keep_query=True)`), in this process, the most
    recently used first: building a list's queryset and compiling it costs more than reading its page (a third
    of the registry list's time), and gives the same SQL for the same request.

    An entry is found by what the query may depend on: the list (its selector), the query string, the tenant,
    the user, their membership and role, and the language. The rows are always read afresh; only the SQL, its
    parameters and the FilterSet (for the filter form and its errors, of the same query string) are kept.
    A list whose query depends on anything else (the time, rows read to build it) must not keep it: with
    `PORTAL_CHECK_KEPT_QUERIES` (on in the tests and with DEBUG) each page read from an entry is built
    anew too and compared, and a difference raises."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[Any, ...], KeptPage] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(
        request: HttpRequest, filtered: Callable[..., Any], per_page: int, cap: int | None, only: Sequence[str]
    ) -> tuple[Any, ...] | None:
        tenant = getattr(request, "tenant", None)
        if tenant is None:
            return None
        membership = getattr(request, "membership", None)
        actor = getattr(request, "actor", None)
        return (
            filtered.__module__,
            filtered.__qualname__,
            request.META.get("QUERY_STRING", ""),
            tenant.pk,
            request.user.pk,
            getattr(membership, "pk", None),
            getattr(actor, "role", None),
            get_language(),
            per_page,
            cap,
            tuple(only),
        )

    def read(
        self, key: tuple[Any, ...], paginator: CountedPaginator, rebuild: Callable[[], QuerySet]
    ) -> tuple[Page, KeptPage] | None:
        """The page kept under `key`, read afresh by `paginator` (made like the one that read it first, with no
        queryset); None when nothing is kept, or no row is at its offset any more (then read as usual).
        `rebuild()` builds the list's queryset, to check the kept query against (PORTAL_CHECK_KEPT_QUERIES)."""
        with self._lock:
            kept = self._entries.get(key)
            if kept is not None:
                self._entries.move_to_end(key)
        if kept is None:
            return None
        page = paginator.page_read_again(kept.page_query, kept.number)
        if page is None:
            return None
        if settings.PORTAL_CHECK_KEPT_QUERIES:
            _check_kept(key, rebuild(), paginator, kept)
        return page, kept

    def keep(self, key: tuple[Any, ...], paginator: CountedPaginator, page: Page, filterset: Any = None) -> None:
        """Keeps the query by which `paginator` read `page`, if it read it by one that can be kept, and that
        page is the one asked for (not a fallback to another page)."""
        if paginator.page_query is None or paginator.page_query[1] != page.number:
            return
        kept = KeptPage(paginator.page_query[0].for_keeping(), page.number, filterset)
        with self._lock:
            self._entries[key] = kept
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


kept_pages = KeptPages(size=256)


def _check_kept(key: tuple[Any, ...], queryset: QuerySet, paginator: CountedPaginator, kept: KeptPage) -> None:
    """Builds the page's query anew and compares it with the one kept: a list whose query depends on more than
    `KeptPages.key` names (the time, a row read to build it) must not keep its query."""
    paged = _paged_with_count(queryset, *paginator._bounds(kept.number), paginator.count_cap)
    built = PageQuery.of(paged) if paged is not None else None
    if built is None or (built.sql, built.params) != (kept.page_query.sql, kept.page_query.params):
        raise ImproperlyConfigured(
            f"{key[0]}.{key[1]}: the list's query is not the one kept for this request; it depends on more than"
            " the query string, the tenant, the user, their role and the language: it must not be kept."
        )


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


def choice_labels(model: type[Model], field_name: str) -> Mapping[Any, str]:
    """`field_name`'s choices as {value: label} in the active language: what `get_<field>_display` would
    build (and translate) again for every row. Built once per language (the translations change only on
    deploy)."""
    return _choice_labels(model, field_name, get_language())


@functools.cache
def _choice_labels(model: type[Model], field_name: str, language: str | None) -> Mapping[Any, str]:
    with translation.override(language):
        return MappingProxyType({value: str(label) for value, label in model._meta.get_field(field_name).flatchoices})


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
    if type(value) is str:  # most values: plain text (a SafeString is a subclass, not this type)
        return html.escape(value, quote=True)
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
