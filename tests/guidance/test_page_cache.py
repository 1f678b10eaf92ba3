"""Topic pages from the cache (apps.guidance.page_cache): whole for visitors, with their own CSRF token and an
ETag; the body only for signed-in users; a new version on every overlay or agency edit; nothing crosses
users, agencies or languages."""

from __future__ import annotations

import gzip
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.core.roles import Role
from apps.guidance import page_cache
from apps.tenants.context import tenant_context
from tests.factories import TopicOverlayFactory

pytestmark = pytest.mark.django_db

PAGE_URL = "/guidance/patents/"
EDIT_URL = "/guidance/patents/overlay/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def get(client: Client, url: str = PAGE_URL, etag: str | None = None):
    """The answer and the number of queries it read (the request's transaction itself is not one)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"If-None-Match": etag} if etag else {})
    reads = [
        q for q in queries.captured_queries if not re.match(r"(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)", q["sql"])
    ]
    return response, len(reads)


def test_a_visitor_gets_the_page_from_the_cache_with_a_csrf_token_of_their_own(tenant_a, topic_content):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    fresh, fresh_queries = get(first)
    cached, cached_queries = get(second)
    assert fresh.status_code == cached.status_code == 200
    assert fresh_queries > 0 and cached_queries == 0
    tokens = [TOKEN.findall(r.content.decode()) for r in (fresh, cached)]
    assert all(tokens) and tokens[0] != tokens[1] and page_cache.CSRF_PLACEHOLDER not in cached.content.decode()
    assert TOKEN.sub("", fresh.content.decode()) == TOKEN.sub("", cached.content.decode())
    # The token fits the second visitor's own cookie: the language form works.
    answer = second.post("/i18n/setlang/", {"language": "fr", "next": PAGE_URL, "csrfmiddlewaretoken": tokens[1][0]})
    assert answer.status_code == 302


def test_the_cached_page_is_sent_compressed_as_gzip_middleware_would(tenant_a, topic_content):
    get(Client())
    client = Client()
    plain = client.get(PAGE_URL)
    packed = client.get(PAGE_URL, headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and packed["Content-Type"] == plain["Content-Type"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 3
    unpacked = gzip.decompress(packed.content).decode()
    assert TOKEN.sub("", unpacked) == TOKEN.sub("", plain.content.decode())
    assert TOKEN.findall(unpacked) and page_cache.CSRF_PLACEHOLDER not in unpacked


def test_a_visitor_with_the_current_page_gets_a_304(client, tenant_a, topic_content):
    response, _ = get(client)
    etag = response["ETag"]
    assert "no-cache" in response["Cache-Control"] and "Cookie" in response["Vary"]
    again, queries = get(client, etag=etag)
    assert again.status_code == 304 and again["ETag"] == etag and queries == 0
    other = Client()
    other.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32  # another visitor's page holds another token
    assert get(other, etag=etag)[0].status_code == 200


def test_an_overlay_edit_or_an_agency_rename_is_seen_at_once(client, login_as, tenant_a, topic_content):
    visitor = Client()
    url = PAGE_URL + "?agency=aa"
    before, _ = get(visitor, url)
    assert "Kenya Industrial Property Institute" not in before.content.decode()
    login_as(Role.AGENCY_STAFF, tenant_a)
    assert client.post(EDIT_URL, {"office_name": "Kenya Industrial Property Institute"}).status_code == 302
    after, _ = get(visitor, url)
    assert "Kenya Industrial Property Institute" in after.content.decode()
    assert get(visitor, url, etag=before["ETag"])[0].status_code == 200
    tenant_a.name = "Renamed Agency"
    tenant_a.save()
    assert "Renamed Agency (Kenya)" in get(visitor, url)[0].content.decode()


def test_each_language_has_its_own_page(tenant_a, topic_content):
    english, french = Client(), Client()
    french.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Patents" in get(english)[0].content.decode()
    page = get(french)[0].content.decode()
    assert 'lang="fr"' in page and "Brevets" in page
    assert "Brevets" not in get(english)[0].content.decode()


def test_signed_in_users_never_get_a_visitors_page_nor_each_others(tenant_a, tenant_b, topic_content, login_as):
    from tests.factories import user_with_role

    with tenant_context(tenant_a):
        TopicOverlayFactory(office_name="Office of Agency A")
    with tenant_context(tenant_b):
        TopicOverlayFactory(office_name="Office of Agency B")
    visitor_page = get(Client())[0].content.decode()
    assert "Sign in" in visitor_page and "Office of Agency" not in visitor_page

    pages = {}
    for name, role, tenant in [
        ("staff_a", Role.AGENCY_STAFF, tenant_a),
        ("member_a", Role.MSME_MEMBER, tenant_a),
        ("staff_b", Role.AGENCY_STAFF, tenant_b),
    ]:
        for _ in range(2):  # the second time from the cache
            client = Client()
            client.force_login(user_with_role(role, tenant, email=f"{name}-{_}@example.org"))
            response, _queries = get(client)
            assert response.status_code == 200
            pages[name] = response.content.decode()
            assert "Sign out" in pages[name] and "Sign in</a>" not in pages[name]
    assert "Office of Agency A" in pages["staff_a"] and 'id="overlay-edit-link"' in pages["staff_a"]
    assert "Office of Agency A" in pages["member_a"] and 'id="overlay-edit-link"' not in pages["member_a"]
    assert "Office of Agency B" in pages["staff_b"] and "Office of Agency A" not in pages["staff_b"]
    assert "Agency B" in re.search(r'id="current-role">[^<]*', pages["staff_b"]).group(0)


def test_a_visitor_with_a_message_waiting_gets_it(client, login_as, tenant_a, topic_content):
    get(Client())  # the page is cached
    login_as(Role.AGENCY_STAFF, tenant_a)
    client.post("/accounts/logout/")
    page = get(client)[0].content.decode()
    assert 'role="status"' in page  # "You have signed out." is shown, not a cached page without it
    assert 'role="status"' not in get(client)[0].content.decode()


@pytest.fixture
def read(monkeypatch):
    """The keys of each `cache.get_many` call, in order."""
    calls = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys, *a, **k: calls.append(list(keys)) or get_many(keys, *a, **k))
    return calls


def test_a_page_this_process_served_is_checked_by_its_version_alone(tenant_a, topic_content, read, monkeypatch):
    """apps.guidance.page_cache keeps the pages it served: once the version it read is older than
    VISITOR_VERSION_SECONDS, a visit reads only the version from the cache; without this process's copy
    (another worker's visit) the cache's copy is served, not rendered."""
    monkeypatch.setattr(page_cache, "VISITOR_VERSION_SECONDS", 0)
    first, _ = get(Client())
    again, again_queries = get(Client())
    assert [len(keys) for keys in read] == [2, 1]  # the version and the page, then the version alone
    assert again_queries == 0 and TOKEN.sub("", first.content.decode()) == TOKEN.sub("", again.content.decode())
    page_cache.forget_local_pages()
    elsewhere, elsewhere_queries = get(Client())
    assert elsewhere_queries == 0 and TOKEN.sub("", elsewhere.content.decode()) == TOKEN.sub("", first.content.decode())


@pytest.fixture
def clock(monkeypatch):
    """page_cache's time.monotonic, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(page_cache, "time", SimpleNamespace(monotonic=lambda: now[0]))
    return now


def test_a_version_read_within_the_last_second_is_not_read_again(tenant_a, topic_content, clock, read):
    first, _ = get(Client())
    clock[0] += page_cache.VISITOR_VERSION_SECONDS / 2
    again, _ = get(Client())
    assert len(read) == 1 and again.status_code == 200
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", again.content.decode())
    clock[0] += page_cache.VISITOR_VERSION_SECONDS
    get(Client())
    assert [len(keys) for keys in read] == [2, 1]


def test_another_process_s_edit_reaches_visitors_within_a_second(tenant_a, topic_content, clock):
    url = PAGE_URL + "?agency=aa"
    with tenant_context(tenant_a):
        overlay = TopicOverlayFactory(office_name="Old Office")
    assert "Old Office" in get(Client(), url)[0].content.decode()
    # Another process's edit: the rows and the version in the cache change, nothing in this process is told.
    with tenant_context(tenant_a):
        type(overlay).objects.filter(pk=overlay.pk).update(office_name="New Office")
    cache.set(page_cache._version_key(), "another-process-s-token", timeout=None)
    clock[0] += page_cache.VISITOR_VERSION_SECONDS / 2
    assert "Old Office" in get(Client(), url)[0].content.decode()
    clock[0] += page_cache.VISITOR_VERSION_SECONDS
    assert "New Office" in get(Client(), url)[0].content.decode()


def test_an_edit_in_this_process_is_seen_at_once(client, login_as, tenant_a, topic_content, clock):
    visitor, url = Client(), PAGE_URL + "?agency=aa"
    assert "Kenya Industrial Property Institute" not in get(visitor, url)[0].content.decode()
    login_as(Role.AGENCY_STAFF, tenant_a)
    assert client.post(EDIT_URL, {"office_name": "Kenya Industrial Property Institute"}).status_code == 302
    assert "Kenya Industrial Property Institute" in get(visitor, url)[0].content.decode()
