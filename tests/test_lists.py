"""The list-page base (apps.core.lists): a capped count, labels and links per row without work per row,
and the filter form rendered once per language and query string (apps.core.fragments)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from apps.core import fragments, lists
from apps.core.lists import CappedPaginator, with_labels, with_urls
from apps.registry.models import Msme


def test_below_the_cap_the_paginator_is_django_s():
    paginator = CappedPaginator(list(range(60)), 25, cap=100)
    assert not paginator.capped
    assert (paginator.count, paginator.num_pages) == (60, 3)
    page = paginator.get_page(9)  # past the end: the last page, as Django's
    assert page.number == 3 and list(page.object_list) == list(range(50, 60))


def test_past_the_cap_it_pages_on_without_counting():
    paginator = CappedPaginator(list(range(60)), 25, cap=30)
    assert paginator.capped and paginator.num_pages is None
    first = paginator.get_page(1)
    assert list(first.object_list) == list(range(25)) and first.has_next() and not first.has_previous()
    last = paginator.get_page(3)
    assert list(last.object_list) == list(range(50, 60)) and not last.has_next() and last.has_previous()
    assert (last.start_index(), last.end_index()) == (51, 60)
    assert paginator.get_page(4).number == 1  # past the end of an uncounted list
    assert paginator.get_page("x").number == 1


@pytest.mark.django_db
def test_the_count_stops_at_the_cap(tenant_a, in_tenant, django_assert_num_queries):
    from tests.registry.factories import MsmeFactory

    in_tenant(tenant_a)
    for i in range(4):
        MsmeFactory(name=f"M{i}")
    paginator = CappedPaginator(Msme.objects.order_by("name", "id"), 2, cap=3)
    with django_assert_num_queries(1) as captured:  # the page's query carries the capped count
        page = paginator.get_page(2)
    assert "LIMIT 4" in captured.captured_queries[0]["sql"]
    assert paginator.count == 4 and paginator.capped
    assert [m.name for m in page.object_list] == ["M2", "M3"] and not page.has_next()
    assert not hasattr(page.object_list[0], "_list_total")


@pytest.mark.django_db
def test_a_page_past_the_end_is_counted_apart(tenant_a, in_tenant, django_assert_num_queries):
    from tests.registry.factories import MsmeFactory

    in_tenant(tenant_a)
    for i in range(5):
        MsmeFactory(name=f"M{i}")
    queryset = Msme.objects.order_by("name", "id")
    with django_assert_num_queries(1):
        page = CappedPaginator(queryset, 2, cap=10).get_page(3)
    assert (page.paginator.count, page.paginator.num_pages, page.number) == (5, 3, 3)
    assert [m.name for m in page.object_list] == ["M4"] and not page.has_next() and page.has_previous()
    with django_assert_num_queries(3):  # the empty page, the count, then the last page
        page = CappedPaginator(queryset, 2, cap=10).get_page(9)
        assert page.number == 3 and [m.name for m in page.object_list] == ["M4"]
    with django_assert_num_queries(3):  # past the end of an uncounted list: page 1
        page = CappedPaginator(queryset, 2, cap=3).get_page(9)
        assert page.number == 1 and [m.name for m in page.object_list] == ["M0", "M1"] and page.has_next()
    assert list(CappedPaginator(queryset.none(), 2).get_page(1).object_list) == []


@pytest.mark.django_db
def test_the_counted_page_of_values_and_tuples(tenant_a, in_tenant, django_assert_num_queries):
    from tests.registry.factories import MsmeFactory

    in_tenant(tenant_a)
    for i in range(3):
        MsmeFactory(name=f"M{i}")
    ordered = Msme.objects.order_by("name")
    with django_assert_num_queries(1):
        page = lists.CountedPaginator(ordered.values_list("name", "employees"), 2).page(1)
    assert page.paginator.count == 3 and [row[0] for row in page.object_list] == ["M0", "M1"]
    assert all(len(row) == 2 for row in page.object_list)
    with django_assert_num_queries(1):
        page = lists.CountedPaginator(ordered.values("name"), 2).page(2)
    assert page.paginator.count == 3 and list(page.object_list) == [{"name": "M2"}]
    # Counted apart as before: a DISTINCT counts something else than the keys.
    sizes = Msme.objects.order_by("size_class").values_list("size_class", flat=True).distinct()
    with django_assert_num_queries(2):
        page = lists.CountedPaginator(sizes, 2).page(1)
        assert page.paginator.count == 1 and len(list(page.object_list)) == 1


@pytest.mark.django_db
def test_a_related_column_is_built_once_and_never_changed_by_the_queries_that_use_it(tenant_a, in_tenant):
    from tests.registry.factories import MsmeFactory

    in_tenant(tenant_a)
    first, second = MsmeFactory(name="A", sector_isic_id="0111"), MsmeFactory(name="B", sector_isic_id="6201")
    column = lists.related_column(Msme, "sector_isic__title")
    assert column is lists.related_column(Msme, "sector_isic__title")
    kept = [type(condition.rhs).__name__ for condition in column.query.where.children]
    assert kept == ["ResolvedOuterRef"]
    titles = dict(Msme.objects.annotate(title=column).values_list("name", "title"))
    again = dict(Msme.objects.filter(pk=second.pk).annotate(title=column).values_list("name", "title"))
    assert titles == {"A": first.sector_isic.title, "B": second.sector_isic.title} and again == {"B": titles["B"]}
    # The outer reference is still one: no query resolved it into a column of its own in the kept subquery.
    assert [type(condition.rhs).__name__ for condition in column.query.where.children] == kept
    assert lists.related_column(Msme, "name") is None and lists.related_column(Msme, "sector_isic__code") is None


def test_labels_and_links_are_set_once_per_list():
    rows = [Msme(size_class="micro", maturity_level=None), Msme(size_class="medium", maturity_level=3)]
    with_labels(rows, Msme, "size_class", "maturity_level")
    assert [r.size_class_label for r in rows] == [r.get_size_class_display() for r in rows]
    assert rows[0].maturity_level_label is None and rows[1].maturity_level_label == rows[1].get_maturity_level_display()
    with_urls(rows, "registry:detail")
    assert [r.url for r in rows] == [reverse("registry:detail", args=[r.pk]) for r in rows]


def test_labels_follow_the_language():
    rows = [Msme(size_class="micro")]
    with translation.override("fr"):
        with_labels(rows, Msme, "size_class")
        assert rows[0].size_class_label == str(Msme(size_class="micro").get_size_class_display())


def test_a_fragment_is_rendered_once_per_build_language_and_parts():
    cache.clear()
    calls = []

    def render() -> str:
        calls.append(translation.get_language())
        return f"<p>{len(calls)}</p>"

    assert fragments.cached_fragment("test", ("a",), render) == "<p>1</p>"
    assert fragments.cached_fragment("test", ("a",), render) == "<p>1</p>"
    assert fragments.cached_fragment("test", ("b",), render) == "<p>2</p>"
    with translation.override("fr"):
        assert fragments.cached_fragment("test", ("a",), render) == "<p>3</p>"
    assert calls == ["en", "en", "fr"]
    assert fragments.fragment_key("test", "a").startswith(f"global:fragment:test:{fragments.build_version()}:en:")


def test_the_build_version_comes_from_the_environment_when_the_deployment_sets_it(monkeypatch):
    fragments.build_version.cache_clear()
    try:
        monkeypatch.setenv("PORTAL_BUILD", "abc123")
        assert fragments.build_version() == "abc123"
        fragments.build_version.cache_clear()
        monkeypatch.delenv("PORTAL_BUILD")
        fingerprint = fragments.build_version()
        assert len(fingerprint) == 16 and fingerprint != "abc123"
    finally:
        fragments.build_version.cache_clear()


def test_a_filter_form_with_errors_is_not_cached(monkeypatch):
    class Bad:
        errors = {"x": ["wrong"]}

    monkeypatch.setattr(lists, "cached_fragment", lambda *a, **k: pytest.fail("a form with errors was cached"))
    request = RequestFactory().get("/registry/", {"maturity_level": "9"})
    html = lists.list_filters_html(
        request, "registry/_msme_filters.html", {"filterset": _bound_filterset(request), "query": "maturity_level=9"}
    )
    assert "Select a valid choice" in html


def _bound_filterset(request):
    from apps.registry.filters import MsmeFilterSet

    filterset = MsmeFilterSet(request.GET, queryset=Msme.objects.none())
    assert not filterset.is_valid()
    return filterset


# --- ListFilterSet (apps.core.filters): the form class once per class and language ---------------------


def _filterset_classes():
    import django_filters

    from apps.core.filters import ListFilterSet

    class Named(ListFilterSet):
        name = django_filters.CharFilter(lookup_expr="icontains")  # django-filter writes its label
        q = django_filters.CharFilter(method="filter_q")

        class Meta:
            model = Msme
            fields: list[str] = []

        def filter_q(self, queryset, name, value):
            self.asked.append(value)
            return queryset

    class Plain(django_filters.FilterSet):
        name = django_filters.CharFilter(lookup_expr="icontains")

        class Meta:
            model = Msme
            fields: list[str] = []

    return Named, Plain


def test_a_filter_form_class_is_built_once_per_class_and_language():
    Named, Plain = _filterset_classes()
    none = Msme.objects.none()
    first, second = Named({}, queryset=none), Named({"name": "x"}, queryset=none)
    assert first.form.__class__ is second.form.__class__
    assert first.form is not second.form
    assert first.form.fields["name"] is second.form.fields["name"]  # a plain field: one object for all forms
    with translation.override("fr"):
        french = Named({}, queryset=none)
        assert french.form.__class__ is not first.form.__class__
        assert french.form.fields["name"].label == Plain({}, queryset=none).form.fields["name"].label
    assert first.form.fields["name"].label == Plain({}, queryset=none).form.fields["name"].label


def test_each_filterset_has_its_own_filters_and_methods_see_their_own_filterset():
    Named, _ = _filterset_classes()
    one, two = Named({"q": "1"}, queryset=Msme.objects.none()), Named({"q": "2"}, queryset=Msme.objects.none())
    one.asked, two.asked = [], []
    assert one.filters["q"] is not two.filters["q"] and one.filters["q"].parent is one
    one.qs, two.qs  # noqa: B018 (filtering calls the method filters)
    assert (one.asked, two.asked) == (["1"], ["2"])
    assert Named.base_filters["q"].filter.f is Named.base_filters["q"]  # the declared filter is untouched


def test_a_filter_whose_choices_come_from_the_request_is_built_for_each_request():
    import django_filters

    from apps.core.filters import ListFilterSet
    from apps.registry.models import IsicCode

    seen = []

    def codes(request):
        seen.append(request)
        return IsicCode.objects.filter(code=request)

    class PerRequest(ListFilterSet):
        sector_isic = django_filters.ModelChoiceFilter(queryset=codes)

        class Meta:
            model = Msme
            fields: list[str] = []

    none = Msme.objects.none()
    one, two = PerRequest({}, queryset=none, request="1079"), PerRequest({}, queryset=none, request="0111")
    assert one.form.__class__ is not two.form.__class__
    assert seen == ["1079", "0111"]


def test_a_fragment_read_once_is_served_from_the_process_s_memory(monkeypatch):
    cache.clear()
    calls = []

    def render() -> str:
        calls.append(1)
        return f"<p>{len(calls)}</p>"

    assert fragments.cached_fragment("local", ("a",), render) == "<p>1</p>"
    monkeypatch.setattr(fragments.cache, "get", lambda *a, **k: pytest.fail("the cache was asked again"))
    assert fragments.cached_fragment("local", ("a",), render) == "<p>1</p>"
    monkeypatch.undo()
    fragments.forget_local_fragments()
    assert fragments.cached_fragment("local", ("a",), render) == "<p>1</p>"  # from the cache, not rendered
    assert len(calls) == 1


def test_the_process_keeps_a_bounded_number_of_fragments(monkeypatch):
    monkeypatch.setattr(fragments, "LOCAL_ENTRIES", 3)
    for number in range(5):
        fragments.cached_fragment("bounded", (number,), lambda n=number: f"<p>{n}</p>")
    assert len(fragments._local) == 3


def test_an_invalid_filter_is_marked_in_its_own_form_only():
    from apps.registry.filters import MsmeFilterSet

    none = Msme.objects.none()
    bad = MsmeFilterSet({"maturity_level": "9", "q": "xyz"}, queryset=none)
    assert not bad.is_valid()
    good = MsmeFilterSet({}, queryset=none)
    assert good.is_valid()
    assert "is-invalid" in str(bad.form["maturity_level"]) and "is-invalid" not in str(good.form["maturity_level"])
    assert "is-invalid" not in str(MsmeFilterSet({}, queryset=none).form["maturity_level"])
    assert bad.form.fields["q"] is good.form.fields["q"]  # the valid ones stay shared
    assert 'class="form-control"' in str(good.form["q"])  # styled once, not once per form


@pytest.mark.django_db
def test_a_page_number_too_large_for_an_offset_is_an_empty_page_not_a_database_error(tenant_a):
    from django.core.paginator import EmptyPage

    from apps.core.lists import CappedPaginator, CountedPaginator
    from apps.registry.models import Msme
    from apps.tenants.context import tenant_context
    from tests.factories import MsmeFactory

    with tenant_context(tenant_a), transaction.atomic():
        MsmeFactory()
        for paginator in (
            CountedPaginator(Msme.objects.order_by("pk"), 25),
            CappedPaginator(Msme.objects.order_by("pk"), 25, cap=0),
        ):
            with pytest.raises(EmptyPage):
                paginator.page(500451264305270746286814920704)


# --- ListFilterSet.unfiltered: no filter named, no form built --------------------------------------------


def _list_filterset_classes():
    """Every ListFilterSet of the portal's apps (the test's own classes left out), their modules imported."""
    import importlib
    from pathlib import Path

    from apps.core.filters import ListFilterSet

    root = Path(__file__).resolve().parent.parent
    for path in (root / "apps").rglob("*.py"):
        if "filter" in path.stem or path.stem == "selectors":
            importlib.import_module(".".join(path.relative_to(root).with_suffix("").parts))
    found, queue = [], [ListFilterSet]
    while queue:
        for subclass in queue.pop().__subclasses__():
            queue.append(subclass)
            if subclass.__module__.startswith("apps."):
                found.append(subclass)
    return found


@pytest.mark.django_db
def test_every_list_filterset_selects_the_same_rows_unfiltered_as_with_its_form(tenant_a, in_tenant):
    """The shortcut is right only if every filter leaves the queryset alone when its value is empty: compare
    the SQL of each FilterSet's unfiltered shortcut with what its validated form applies (`page` is not a
    filter)."""
    in_tenant(tenant_a)
    classes = _list_filterset_classes()
    assert {cls.__name__ for cls in classes} >= {"MsmeFilterSet", "SegmentFilterSet", "CampaignFilterSet"}
    for cls in classes:
        queryset = cls._meta.model._default_manager.all()
        shortcut = cls(QueryDict("page=2"), queryset=queryset)
        assert shortcut.unfiltered, cls
        assert shortcut.is_valid() and not shortcut.errors
        full = cls(QueryDict("page=2"), queryset=queryset)
        full.unfiltered = False  # the cached property, set: django-filter's own path
        assert full.is_valid(), (cls, full.errors)
        assert str(shortcut.qs.query) == str(full.qs.query), cls
        assert "_form" not in shortcut.__dict__  # no form was built
        assert shortcut.form.cleaned_data == full.form.cleaned_data  # read afterwards, it is cleaned as before


def test_a_filter_in_the_data_takes_the_form_s_path_and_its_errors():
    Named, _ = _filterset_classes()
    none = Msme.objects.none()
    assert not Named(QueryDict("name=x"), queryset=none).unfiltered
    assert not Named(QueryDict("name="), queryset=none).unfiltered  # an empty filter is still validated
    assert not Named(None, queryset=none).unfiltered  # unbound: django-filter's way
    from apps.registry.filters import MsmeFilterSet

    invalid = MsmeFilterSet(QueryDict("size_class=huge"), queryset=Msme.objects.none())
    assert not invalid.unfiltered and not invalid.is_valid() and "size_class" in invalid.errors
