"""The private calendar feed: its content, its stable UIDs, conditional GET, revocation, and a secret that is
never stored in clear."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.registry.models import IpAsset, MsmeMember
from apps.reminders import services, tokens
from apps.reminders.feed import uid
from apps.reminders.models import CalendarToken
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent
from tests.factories import IpAssetFactory
from tests.reminders.conftest import make_world, renewal_due_on

TODAY = timezone.localdate()


@pytest.fixture
def feed(db):
    """A member's MSME with two deadlines, and the member's calendar address (path and token)."""
    world = make_world()
    with tenant_context(world.tenant), transaction.atomic():
        IpAssetFactory(msme=world.msme, title="Kilima Roast", **renewal_due_on(TODAY + timedelta(days=40)))
        IpAssetFactory(
            msme=world.msme,
            title="Solar dryer",
            asset_type="patent",
            jurisdiction="PCT",
            priority_date=TODAY - timedelta(days=700),
            status="pending",
        )
        token, secret = services.calendar_token_create(member=world.members[0], actor=world.members[0].user)
    world.token, world.secret = token, secret
    world.path = reverse("reminders:feed", args=[secret])
    return world


def test_the_feed_lists_the_msmes_deadlines_with_stable_uids_and_needs_no_session(feed, client):
    response = client.get(feed.path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-cache"
    body = response.content.decode().replace("\r\n ", "")  # unfolded (RFC 5545 3.1)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.count("BEGIN:VEVENT") == 2
    assert "SUMMARY:Trademark renewal (every 10 years): Kilima Roast" in body
    assert f"DTSTART;VALUE=DATE:{TODAY + timedelta(days=40):%Y%m%d}" in body
    assert "PCT national phase entry (30 months): Solar dryer" in body
    assert "X-WR-CALNAME:IP deadlines of Sunrise Coffee Ltd" in body
    assert "sessionid" not in response.cookies
    # The same deadline keeps its UID from one fetch to the next (calendar apps update, never duplicate).
    again = client.get(feed.path).content.decode().replace("\r\n ", "")
    assert again == body
    uids = sorted(line for line in body.split("\r\n") if line.startswith("UID:"))
    with tenant_context(feed.tenant):
        asset = IpAsset.objects.get(title="Kilima Roast")
    assert f"UID:deadline-{asset.pk}-renewal-{TODAY + timedelta(days=40):%Y%m%d}@127.0.0.1" in uids


def test_an_unchanged_feed_answers_304_and_a_changed_one_a_new_etag(feed, client):
    first = client.get(feed.path)
    etag = first["ETag"]
    unchanged = client.get(feed.path, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged["ETag"] == etag
    with tenant_context(feed.tenant), transaction.atomic():
        IpAssetFactory(msme=feed.msme, title="Lotus design", **renewal_due_on(TODAY + timedelta(days=400)))
    changed = client.get(feed.path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag and b"Lotus design" in changed.content


def test_a_revoked_unknown_or_forged_address_is_the_same_404(feed, client):
    with tenant_context(feed.tenant), transaction.atomic():
        services.calendar_token_revoke(member=feed.members[0], actor=None)
    revoked = client.get(feed.path)
    unknown = client.get(reverse("reminders:feed", args=[uuid.uuid4().hex + tokens.new_secret()]))
    forged = client.get(reverse("reminders:feed", args=[feed.token.pk.hex + tokens.new_secret()]))
    malformed = client.get(reverse("reminders:feed", args=["not-a-token"]))
    assert {r.status_code for r in (revoked, unknown, forged, malformed)} == {404}
    # The same page, but for the form tokens every page carries.
    pages = {re.sub(rb'value="[^"]+"', b"", r.content) for r in (revoked, unknown, forged, malformed)}
    assert len(pages) == 1


def test_a_new_address_replaces_the_old_one(feed, client):
    with tenant_context(feed.tenant), transaction.atomic():
        _token, secret = services.calendar_token_create(member=feed.members[0], actor=None)
    assert client.get(feed.path).status_code == 404
    assert client.get(reverse("reminders:feed", args=[secret])).status_code == 200


def test_a_member_who_left_the_business_loses_the_feed(feed, client):
    with tenant_context(feed.tenant), transaction.atomic():
        MsmeMember.objects.filter(pk=feed.members[0].pk).delete()
    assert client.get(feed.path).status_code == 404


def test_the_secret_is_never_stored_in_clear(feed):
    token_id, secret = tokens.split(feed.secret)
    assert token_id == feed.token.pk
    with tenant_context(feed.tenant), transaction.atomic():
        stored = CalendarToken.objects.filter(pk=token_id).values_list().get()
        events = list(AuditEvent.objects.filter(object_id=token_id).values_list("changes", "object_repr"))
    assert secret not in repr(stored) and feed.secret not in repr(stored)
    assert hashlib.sha256(secret.encode()).hexdigest() in stored
    assert events and all(secret not in repr(event) for event in events)
    assert all(stored[-4] not in repr(event) for event in events)  # nor its hash


def test_the_feed_records_its_last_use_once_an_hour(feed, client):
    client.get(feed.path)
    with tenant_context(feed.tenant), transaction.atomic():
        used = CalendarToken.objects.get(pk=feed.token.pk).last_used_at
    client.get(feed.path)
    with tenant_context(feed.tenant), transaction.atomic():
        assert used is not None and CalendarToken.objects.get(pk=feed.token.pk).last_used_at == used


def test_uid_is_per_deadline():
    from apps.registry.deadlines import Deadline

    one = Deadline(due=TODAY, kind="annuity", label="x", asset_id=uuid.UUID(int=1), asset_title="t")
    next_year = Deadline(
        due=TODAY + timedelta(days=365), kind="annuity", label="x", asset_id=one.asset_id, asset_title="t"
    )
    assert uid(one) != uid(next_year) and uid(one) == uid(Deadline(**{**one.__dict__, "label": "y"}))
