"""Follows and notifications: a member follows a topic or a post; a new post on a followed topic is sent to
each follower once (a notice row per follower, claimed before sending), on their MSME's channel and in its
language, after the publishing commits."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from apps.news import notifications, services
from apps.news.models import Follow, Notice, Post
from apps.news.tasks import notify_followers
from apps.outreach import outbox
from apps.outreach import tasks as outreach_tasks
from apps.outreach.models import OutboxMessage
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent

pytestmark = pytest.mark.django_db

SW = {"title": "Chapa nje ya nchi", "summary": "Muhtasari", "body": "Maandishi."}
EN = {"title": "Brands abroad", "summary": "Summary", "body": "Text."}


def follow(room, actor, topic="trademarks"):
    with tenant_context(room.tenant), transaction.atomic():
        return services.follow_set(actor=actor, topic=topic, follow=True)


def test_follow_and_unfollow_a_topic_and_a_post(room):
    member = room.client(room.member)
    assert member.post(reverse("news:follow_topic", args=["patents"])).status_code == 302
    assert member.post(reverse("news:follow_topic", args=["patents"])).status_code == 302  # twice: one follow
    post = room.post()
    assert member.post(reverse("news:follow_post", args=[post.pk])).status_code == 302
    with tenant_context(room.tenant), transaction.atomic():
        assert set(Follow.objects.values_list("topic", "post_id")) == {("patents", None), ("", post.pk)}
    page = member.get(reverse("news:index")).content.decode()
    assert 'data-followed="patents"' in page
    member.post(reverse("news:follow_topic", args=["patents"]), {"follow": "0"})
    member.post(reverse("news:follow_post", args=[post.pk]), {"follow": "0"})
    with tenant_context(room.tenant), transaction.atomic():
        assert not Follow.objects.exists()
    assert member.post(reverse("news:follow_topic", args=["nonsense"])).status_code == 404


@contextmanager
def after_first_follow_lookup(action):
    """Runs `action` right after the first SELECT on the follows table: what a concurrent request (a double
    submit) does between this request's look-up and its write."""
    done = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not done and sql.lstrip().upper().startswith("SELECT") and Follow._meta.db_table in sql:
            done.append(True)
            action()
        return result

    with connection.execute_wrapper(wrapper):
        yield done


def test_a_follow_made_by_a_concurrent_request_meanwhile_is_already_following(room):
    with tenant_context(room.tenant), transaction.atomic():
        user = room.member.user
        with after_first_follow_lookup(lambda: Follow.objects.create(user=user, topic="patents")) as done:
            assert services.follow_set(actor=room.member, topic="patents", follow=True) is None
        assert done, "the look-up ran"
        assert Follow.objects.filter(user=user, topic="patents").count() == 1
        assert not AuditEvent.objects.filter(action="create", object_type="news.follow").exists()


def test_a_follow_the_look_up_misses_twice_is_already_following(room):
    follow(room, room.member, topic="patents")
    real_get = QuerySet.get

    def get(queryset, *args, **kwargs):
        if queryset.model is Follow:
            raise Follow.DoesNotExist
        return real_get(queryset, *args, **kwargs)

    with tenant_context(room.tenant), transaction.atomic(), mock.patch.object(QuerySet, "get", get):
        assert services.follow_set(actor=room.member, topic="patents", follow=True) is None
        assert Follow.objects.filter(topic="patents").count() == 1


def test_unfollowing_what_is_not_followed_or_was_just_unfollowed_changes_nothing(room):
    with tenant_context(room.tenant), transaction.atomic():
        assert services.follow_set(actor=room.member, topic="patents", follow=False) is None
    follow(room, room.member, topic="patents")
    with tenant_context(room.tenant), transaction.atomic():
        with after_first_follow_lookup(lambda: Follow.objects.filter(topic="patents").delete()):
            assert services.follow_set(actor=room.member, topic="patents", follow=False) is None
        assert not Follow.objects.exists()
        assert not AuditEvent.objects.filter(action="delete", object_type="news.follow").exists()


def test_an_unsafe_next_is_ignored(room):
    response = room.client(room.member).post(
        reverse("news:follow_topic", args=["patents"]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/news/")


def _beat(capture) -> dict:
    """A run of the outbox's beat sweep, which sends what no drain did."""
    with capture(execute=True):
        return outreach_tasks.outbox_sweep()


def _outbox(room) -> list[OutboxMessage]:
    with tenant_context(room.tenant), transaction.atomic():
        return list(OutboxMessage.objects.order_by("address"))


def test_publishing_tells_each_follower_once_in_their_language(room, django_capture_on_commit_callbacks):
    follow(room, room.member)
    follow(room, room.other)
    follow(room, room.other, topic="patents")  # another topic: not told
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post = room.post(texts={"en": EN, "sw": SW})
    assert callbacks, "the notification is sent after the commit"
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {room.member.user.email, room.other.user.email}
    assert len(mail.outbox) == 2
    # The member's MSME prefers Swahili: the Swahili title; the other has no preference: the agency's first.
    assert SW["title"] in by_address[room.member.user.email].subject
    assert EN["title"] in by_address[room.other.user.email].subject
    assert f"/news/{post.pk}/" in by_address[room.other.user.email].body
    rows = _outbox(room)
    assert [(row.key, row.status) for row in rows] == [
        (f"news:notice:{post.pk}:{user.pk}", "sent")
        for user in sorted((room.member.user, room.other.user), key=lambda user: user.email)
    ]
    # A second run (a task for the post still in the queue) and the beat sweep send nothing again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_followers(room.tenant.pk, str(post.pk)) == {"queued": 2, "skipped": 0}
    _beat(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert len(_outbox(room)) == 2
    with tenant_context(room.tenant), transaction.atomic():
        assert Notice.objects.count() == 2


def test_notices_written_twice_are_one_message_each(room, django_capture_on_commit_callbacks):
    follow(room, room.member)
    with mock.patch.object(outbox.outbox_drain, "apply_async"):  # no worker takes it yet
        post = room.post()
        with tenant_context(room.tenant), transaction.atomic():
            notifications.enqueue_notices(post, room.tenant)
            notifications.enqueue_notices(post, room.tenant)
            assert Notice.objects.count() == 1
    [row] = _outbox(room)
    assert row.status == "queued"
    _beat(django_capture_on_commit_callbacks)
    assert [message.to[0] for message in mail.outbox] == [room.member.user.email]


def test_a_follower_on_sms_gets_a_short_message_at_the_msme_s_number(
    room, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.OUTREACH_FILE_DIR = str(tmp_path)
    with tenant_context(room.tenant), transaction.atomic():
        room.world.msme.preferred_channel = "sms"
        room.world.msme.phone = "+254 700 000 001"
        room.world.msme.save()
        room.world.other_msme.preferred_channel = "sms"
        room.world.other_msme.phone = ""  # no number: skipped and counted
        room.world.other_msme.save()
    follow(room, room.member)
    follow(room, room.other)
    with django_capture_on_commit_callbacks(execute=True):
        post = room.post(texts={"en": EN, "sw": SW})
    (line,) = (tmp_path / "sms.jsonl").read_text().splitlines()
    record = json.loads(line)
    assert record["to"] == "+254700000001" and SW["title"] in record["body"] and f"/news/{post.pk}/" in record["body"]
    assert mail.outbox == []
    assert sorted((row.status, row.skip_reason) for row in _outbox(room)) == [
        ("sent", ""),
        ("skipped", "no address on the channel"),
    ]
    with tenant_context(room.tenant), transaction.atomic():
        assert sorted(Notice.objects.values_list("outcome", flat=True)) == ["", "skipped"]


def test_a_draft_tells_nobody(room, django_capture_on_commit_callbacks):
    follow(room, room.member)
    with django_capture_on_commit_callbacks(execute=True):
        post = room.post(publish=False)
    assert notify_followers(room.tenant.pk, str(post.pk)) == {"queued": 0, "skipped": 0}
    assert _outbox(room) == [] and mail.outbox == []


def test_publishing_while_the_broker_is_down_publishes_and_loses_no_notice(
    room, django_capture_on_commit_callbacks, caplog
):
    follow(room, room.member)
    post = room.post(publish=False)
    staff = room.client(room.staff)
    down = OperationalError("Error 111 connecting to localhost:6379. Connection refused.")
    with (
        mock.patch.object(outbox.outbox_drain, "apply_async", side_effect=down) as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert staff.post(reverse("news:post_publish", args=[post.pk])).status_code == 302
    assert enqueue.called
    assert "outreach.outbox_drain could not be queued" in caplog.text
    assert mail.outbox == []
    with tenant_context(room.tenant), transaction.atomic():
        post.refresh_from_db()
        assert post.is_published
    [row] = _outbox(room)
    assert row.status == "queued"  # written with the post: waiting for a drain
    # The outbox's beat sweep sends it, once.
    assert _beat(django_capture_on_commit_callbacks)["drains"] == 1
    assert _beat(django_capture_on_commit_callbacks)["drains"] == 0
    assert [message.to[0] for message in mail.outbox] == [room.member.user.email]


def test_deleting_a_post_withdraws_its_notices_not_sent_yet(room, django_capture_on_commit_callbacks):
    follow(room, room.member)
    with mock.patch.object(outbox.outbox_drain, "apply_async"):  # the broker took nothing: no drain ran
        post = room.post()
    with tenant_context(room.tenant), transaction.atomic():
        services.post_delete(post=post, actor=room.staff)
    [row] = _outbox(room)
    assert (row.status, row.skip_reason) == ("skipped", services.POST_DELETED)
    _beat(django_capture_on_commit_callbacks)
    assert mail.outbox == []  # no notice links to a post that is gone


def test_notices_the_runs_before_the_outbox_claimed_are_not_sent_again(room, django_capture_on_commit_callbacks):
    follow(room, room.member)
    follow(room, room.other)
    with mock.patch.object(notifications, "enqueue_notices"):  # published by the code before the outbox
        post = room.post()
    with tenant_context(room.tenant), transaction.atomic():
        notifications.make_notices(post)
        # That code's task sent the member's notice (claimed and settled), then its worker died.
        Notice.objects.filter(user=room.member.user).update(outcome="sent", claimed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):  # its task, redelivered after the deploy
        assert notify_followers(room.tenant.pk, str(post.pk)) == {"queued": 1, "skipped": 0}
    assert [message.to[0] for message in mail.outbox] == [room.other.user.email]


def test_publishing_reads_the_notices_in_a_number_of_queries_that_does_not_grow_with_the_followers(room):
    enqueue_notices = notifications.enqueue_notices  # publishing itself is made not to (patched below)

    def queries_to_notify(post) -> int:
        with tenant_context(room.tenant), transaction.atomic():
            notifications.make_notices(post)
            with CaptureQueriesContext(connection) as queries:
                enqueue_notices(post, room.tenant)
            return len(queries)

    with mock.patch.object(notifications, "enqueue_notices"), mock.patch.object(outbox.outbox_drain, "apply_async"):
        follow(room, room.member)
        one = queries_to_notify(room.post())
        follow(room, room.other)
        two = queries_to_notify(room.post())
    assert two == one


def test_a_post_with_many_followers_has_their_notices_written_by_a_task(
    room, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(outbox, "FANOUT_IN_REQUEST", 1)
    follow(room, room.member)
    follow(room, room.other)
    with django_capture_on_commit_callbacks() as callbacks:
        post = room.post()
        with tenant_context(room.tenant), transaction.atomic():
            assert Notice.objects.count() == 0 and OutboxMessage.objects.count() == 0  # none in the request
            assert Post.objects.get(pk=post.pk).notices_pending_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert sorted(message.to[0] for message in mail.outbox) == sorted([room.member.user.email, room.other.user.email])
    with tenant_context(room.tenant), transaction.atomic():
        assert Post.objects.get(pk=post.pk).notices_pending_at is None


def test_many_followers_that_the_broker_refused_are_told_after_the_beat_sweep(
    room, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(outbox, "FANOUT_IN_REQUEST", 1)
    follow(room, room.member)
    follow(room, room.other)
    down = OperationalError("Connection refused.")
    with (
        mock.patch.object(notify_followers, "apply_async", side_effect=down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        post = room.post()
    assert mail.outbox == []
    assert _beat(django_capture_on_commit_callbacks)["fanouts"] == 0  # marked a moment ago
    with tenant_context(room.tenant), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(notices_pending_at=timezone.now() - timedelta(hours=1))
    assert _beat(django_capture_on_commit_callbacks)["fanouts"] == 1
    assert _beat(django_capture_on_commit_callbacks)["fanouts"] == 0
    assert len(mail.outbox) == 2
