"""Saved filters of list pages (apps.core.lists.offers_saved_filters, kept by the accounts app): saved under
a name, shown as links above a list's filters, deleted; bounded, per user and tenant, and only on lists the
user may open."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts import selectors, services
from apps.accounts.models import SavedFilter
from apps.core.cache import STALE
from apps.core.roles import Role
from apps.tenants.context import tenant_context
from tests.factories import SavedFilterFactory, user_with_role

pytestmark = pytest.mark.django_db

SAVE = "/accounts/saved-filters/"
REGISTRY = "/registry/"


@pytest.fixture
def agency(login_as, tenant_a):
    return login_as(Role.AGENCY_STAFF, tenant_a)


def save(client, name="Micro in Nairobi", query="size_class=micro&region=30&page=3", list_name="registry:index"):
    return client.post(SAVE, {"list": list_name, "name": name, "query": query})


def said(response) -> str:
    """The last message the response left (an earlier one of the test may wait unread before it)."""
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


def saved_of(tenant, user) -> list[tuple[str, str, str]]:
    with tenant_context(tenant):
        return list(SavedFilter.objects.filter(user=user).order_by("name").values_list("list_name", "name", "query"))


def test_the_urls_are_the_routes():
    assert reverse("accounts:saved-filter-save") == SAVE


def test_filters_are_saved_without_the_page_and_the_list_opens_so_filtered(client, agency, tenant_a):
    response = save(client)
    assert response.status_code == 302
    assert response["Location"] == "/registry/?size_class=micro&region=30"
    assert said(response) == "These filters were saved as “Micro in Nairobi”."
    assert saved_of(tenant_a, agency) == [("registry:index", "Micro in Nairobi", "size_class=micro&region=30")]


def test_the_list_shows_its_saved_filters_as_links_and_offers_to_save_the_current_ones(client, agency, tenant_a):
    save(client, name="Micro <b>firms</b>", query="size_class=micro")
    page = client.get(REGISTRY, {"size_class": "small", "page": "1"}).content.decode()
    box = page.split('id="saved-filters-heading"', 1)[1].split("</section>", 1)[0]
    assert '<a class="me-auto text-break" href="/registry/?size_class=micro"' in box
    assert "Micro &lt;b&gt;firms&lt;/b&gt;" in box and "<b>firms" not in box
    form = box.split('id="saved-filter-form"', 1)[1]
    assert 'name="list" value="registry:index"' in form
    assert 'name="query" value="size_class=small"' in form  # the page number is left out
    # The box comes before the filters.
    assert page.index('id="saved-filters-heading"') < page.index('id="filters-heading"')


def test_without_filters_there_is_nothing_to_save_and_no_box(client, agency):
    page = client.get(REGISTRY).content.decode()
    assert "saved-filters-heading" not in page
    assert "Save these filters" in client.get(REGISTRY, {"q": "xyz"}).content.decode()


@pytest.mark.parametrize(
    ("url_name", "role"),
    [
        ("registry:index", Role.AGENCY_STAFF),
        ("outreach:index", Role.AGENCY_STAFF),
        ("events:index", Role.AGENCY_STAFF),
        ("surveys:index", Role.AGENCY_STAFF),
        ("news:manage", Role.AGENCY_STAFF),
        ("helpdesk:queue", Role.HELPDESK_AGENT),
    ],
)
def test_each_list_that_declares_it_offers_the_box(client, login_as, tenant_a, url_name, role):
    login_as(role, tenant_a)
    response = client.get(reverse(url_name), {"q": "xyz"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="saved-filter-form"' in page
    assert f'name="list" value="{url_name}"' in page
    assert save(client, list_name=url_name, query="q=xyz").status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "Give these filters a name."),
        ({"name": "x" * 81}, "Keep the name to 80 characters."),
        ({"name": "a\x00b"}, "The name holds a character that cannot be saved."),
        ({"query": ""}, "There are no filters to save: choose some first."),
        ({"query": "page=4"}, "There are no filters to save: choose some first."),
        ({"query": "q=" + "x" * 2000}, "These filters are too long to save."),
        ({"query": "q=\x00"}, "These filters are too long to save."),
    ],
)
def test_bad_input_is_a_clear_message_and_nothing_is_saved(client, agency, tenant_a, fields, message):
    response = save(client, **fields)
    assert response.status_code == 302 and response["Location"].startswith(REGISTRY)
    assert said(response) == message
    assert saved_of(tenant_a, agency) == []


def test_a_duplicate_name_on_the_same_list_is_refused_but_another_list_may_reuse_it(client, agency, tenant_a):
    save(client, name="Mine")
    response = save(client, name=" Mine ", query="q=other")
    assert said(response) == "You already saved filters named “Mine” on this list."
    assert (
        said(save(client, name="Mine", list_name="outreach:index", query="status=draft"))
        == "These filters were saved as “Mine”."
    )
    assert sorted(row[:2] for row in saved_of(tenant_a, agency)) == [
        ("outreach:index", "Mine"),
        ("registry:index", "Mine"),
    ]


def test_at_most_twenty_per_list(client, agency, tenant_a):
    with tenant_context(tenant_a):
        for n in range(services.SAVED_FILTERS_MAX):
            SavedFilterFactory(user=agency, name=f"F{n:02d}")
    response = save(client, name="One more")
    assert said(response) == "You can keep 20 saved filters per list: delete one first."
    assert len(saved_of(tenant_a, agency)) == services.SAVED_FILTERS_MAX
    page = client.get(REGISTRY, {"q": "xyz"}).content.decode()
    assert "F19" in page and "Save these filters" not in page


@pytest.mark.parametrize("list_name", ["", "nope", "registry:detail", "accounts:profile", "registry:export-csv"])
def test_a_list_that_keeps_no_saved_filters_is_a_bad_request(client, agency, tenant_a, list_name):
    assert save(client, list_name=list_name).status_code == 400
    assert saved_of(tenant_a, agency) == []


@pytest.mark.parametrize("role", [Role.MSME_MEMBER, Role.HELPDESK_AGENT])
def test_a_list_the_user_may_not_open_is_refused(client, login_as, tenant_a, role):
    user = login_as(role, tenant_a)
    assert save(client).status_code == 403
    assert saved_of(tenant_a, user) == []


def test_a_visitor_is_sent_to_sign_in(client):
    response = save(client)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_user_outside_any_tenant_is_refused(client, login_as):
    login_as(Role.DIVISION_ANALYST)
    assert save(client).status_code == 403


def test_the_owner_deletes_theirs_and_goes_back_to_the_list_as_shown(client, agency, tenant_a):
    save(client, name="Gone soon")
    with tenant_context(tenant_a):
        saved = SavedFilter.objects.get(user=agency)
    url = reverse("accounts:saved-filter-delete", args=[saved.pk])
    response = client.post(url, {"query": "q=abc&page=2"})
    assert response["Location"] == "/registry/?q=abc"
    assert said(response) == "The saved filters “Gone soon” were deleted."
    assert saved_of(tenant_a, agency) == []
    assert client.get(url).status_code == 405


def test_another_users_or_another_tenants_saved_filters_do_not_exist(client, agency, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        colleague = SavedFilterFactory(user=user_with_role(Role.AGENCY_STAFF, tenant_a))
    with tenant_context(tenant_b):
        foreign = SavedFilterFactory(user=agency)
    for saved in (colleague, foreign):
        assert client.post(reverse("accounts:saved-filter-delete", args=[saved.pk])).status_code == 404
    with tenant_context(tenant_a):
        assert SavedFilter.objects.filter(pk=colleague.pk).exists()
    with tenant_context(tenant_b):
        assert SavedFilter.objects.filter(pk=foreign.pk).exists()
    # Nor are they listed: the box shows the user's own, in the tenant they work in.
    page = client.get(REGISTRY, {"q": "xyz"}).content.decode()
    assert colleague.name not in page and foreign.name not in page


def test_the_service_refuses_what_the_page_refuses(tenant_a, in_tenant):
    in_tenant(tenant_a)
    user = user_with_role(Role.AGENCY_STAFF, tenant_a)
    services.saved_filter_create(user=user, list_name="registry:index", name="A", query="q=1")
    with pytest.raises(ValidationError) as refused:
        services.saved_filter_create(user=user, list_name="registry:index", name="A", query="q=2")
    assert list(refused.value.message_dict) == ["name"]
    with pytest.raises(ValidationError) as refused:
        services.saved_filter_create(user=user, list_name="registry:index", name="B", query="x" * 2001)
    assert list(refused.value.message_dict) == ["query"]


def _reads(client, path=REGISTRY, **params) -> tuple[int, str]:
    """The saved filters' queries of one request, and its page."""
    with CaptureQueriesContext(connection) as captured:
        page = client.get(path, params).content.decode()
    return len([q for q in captured.captured_queries if "accounts_savedfilter" in q["sql"]]), page


def test_the_list_reads_the_saved_filters_once_then_from_the_cache_until_they_change(client, agency, tenant_a):
    assert _reads(client, q="xyz")[0] == 1  # nothing kept yet: one query, and its answer (none) kept
    assert _reads(client, q="xyz")[0] == 0
    assert _reads(client)[0] == 0  # the unfiltered list, with no box: no query either
    save(client, name="One")
    save(client, name="Two", query="q=y")
    for _ in range(2):  # a save marks the entry stale for a few seconds: read, and not kept meanwhile
        reads, page = _reads(client, q="xyz")
        assert reads == 1 and re.search(r">One</bdi>.*>Two</bdi>", page, re.S)
    with tenant_context(tenant_a):
        key = selectors._cache_key(agency.pk)
    assert cache.get(key) == STALE
    cache.delete(key)  # the marker's few seconds are over
    assert _reads(client, q="xyz")[0] == 1
    reads, page = _reads(client, q="xyz")
    assert reads == 0 and re.search(r">One</bdi>.*>Two</bdi>", page, re.S)
    with tenant_context(tenant_a):
        one = SavedFilter.objects.get(name="One")
    client.post(reverse("accounts:saved-filter-delete", args=[one.pk]), {"query": ""})
    reads, page = _reads(client, q="xyz")
    assert reads == 1 and ">One</bdi>" not in page and ">Two</bdi>" in page


def test_the_cached_saved_filters_are_the_user_s_own_in_this_tenant(tenant_a, tenant_b, in_tenant):
    from apps.accounts.selectors import saved_filters_of_list

    user = user_with_role(Role.AGENCY_STAFF, tenant_a)
    other = user_with_role(Role.AGENCY_STAFF, tenant_a)
    in_tenant(tenant_a)
    services.saved_filter_create(user=user, list_name="registry:index", name="Mine", query="q=a")
    services.saved_filter_create(user=other, list_name="registry:index", name="Theirs", query="q=b")
    services.saved_filter_create(user=user, list_name="surveys:index", name="Elsewhere", query="q=c")
    for _ in range(2):  # read, then from the cache
        assert [item.name for item in saved_filters_of_list(user=user, list_name="registry:index")] == ["Mine"]
    with tenant_context(tenant_b):
        assert saved_filters_of_list(user=user, list_name="registry:index") == ()
    # A deletion that is not the service's (a cascade, the admin) is seen too: the model's signal forgets.
    SavedFilter.objects.filter(name="Mine").delete()
    assert saved_filters_of_list(user=user, list_name="registry:index") == ()


def test_a_signed_in_page_takes_the_saved_filters_from_the_signed_in_entry(
    client, agency, tenant_a, tenant_b, monkeypatch
):
    """apps.tenants.signed_in keeps the user's saved filters (of every agency) in their entry: a list page then
    reads no cache entry of its own for them; a filter saved in another session is seen at the next request;
    another agency's are not shown."""
    from django.test import Client

    from apps.core.roles import Role as Roles
    from apps.tenants.models import Membership

    Membership.objects.create(user=agency, tenant=tenant_b, role=Roles.AGENCY_STAFF)
    with tenant_context(tenant_b):
        services.saved_filter_create(user=agency, list_name="registry:index", name="In B", query="q=bbb")
    other_session = Client()
    other_session.force_login(agency)
    assert save(other_session, name="Saved elsewhere", query="q=abc").status_code == 302
    from apps.tenants import signed_in

    assert cache.get(signed_in.cache_key(agency.pk)) == STALE  # the save forgot the entry
    cache.delete(signed_in.cache_key(agency.pk))  # the marker's few seconds are over
    client.get(REGISTRY)  # the entry, read again with the saved filters

    def no_cache_read(*args, **kwargs):
        raise AssertionError("the saved filters were read from their own cache entry")

    monkeypatch.setattr(selectors, "read_through", no_cache_read)
    reads, page = _reads(client, q="xyz")
    assert reads == 0 and ">Saved elsewhere</bdi>" in page and "In B" not in page
