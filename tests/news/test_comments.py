"""Comments: members comment on published news and on a consultation while it is open; each waits for the
staff's moderation (one by one or in bulk), is bounded in length and limited per member per hour."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.news import services
from apps.news.models import Comment
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent

pytestmark = pytest.mark.django_db


def comment_ids(room, **filters):
    with tenant_context(room.tenant), transaction.atomic():
        return set(Comment.objects.filter(**filters).values_list("pk", flat=True))


def test_a_comment_waits_for_moderation_then_shows(room):
    post = room.post(kind="consultation", closes_on=timezone.localdate() + datetime.timedelta(days=7))
    member, other, staff = room.client(room.member), room.client(room.other), room.client(room.staff)
    url = reverse("news:post", args=[post.pk])
    response = member.post(reverse("news:comment", args=[post.pk]), {"body": "Lower fees, please."})
    assert response.status_code == 302
    (comment_id,) = comment_ids(room, status="pending")
    # Its author sees it marked as waiting; nobody else sees it yet.
    assert f'data-pending="{comment_id}"' in member.get(url).content.decode()
    assert "Lower fees, please." not in other.get(url).content.decode()
    queue = staff.get(reverse("news:moderation")).content.decode()
    assert "Lower fees, please." in queue
    assert staff.post(reverse("news:moderate"), {"ids": [comment_id], "decision": "approve"}).status_code == 302
    assert f'data-comment="{comment_id}"' in other.get(url).content.decode()
    with tenant_context(room.tenant), transaction.atomic():
        comment = Comment.objects.get()
        assert (comment.status, comment.moderated_by_id) == ("approved", room.staff.user.pk)
        assert AuditEvent.objects.filter(object_id=comment.pk, action="moderate").exists()
    assert "Lower fees, please." not in staff.get(reverse("news:moderation")).content.decode()


def test_a_member_without_a_full_name_is_shown_as_a_member_not_by_their_address(room):
    post = room.post(kind="consultation", closes_on=timezone.localdate() + datetime.timedelta(days=7))
    user = room.member.user
    type(user).objects.filter(pk=user.pk).update(full_name="", email="wanjiru.kamau@example.com")
    member, other, staff = room.client(room.member), room.client(room.other), room.client(room.staff)
    assert member.post(reverse("news:comment", args=[post.pk]), {"body": "Lower fees, please."}).status_code == 302
    (comment_id,) = comment_ids(room, status="pending")
    assert "wanjiru.kamau" not in staff.get(reverse("news:moderation")).content.decode()
    staff.post(reverse("news:moderate"), {"ids": [comment_id], "decision": "approve"})
    page = other.get(reverse("news:post", args=[post.pk])).content.decode()
    assert "Lower fees, please." in page and "A member" in page
    assert "wanjiru.kamau" not in page
    with tenant_context(room.tenant), transaction.atomic():
        assert Comment.objects.get().author_name == ""


def test_bulk_moderation_decides_only_what_was_ticked(room):
    post = room.post()
    with tenant_context(room.tenant), transaction.atomic():
        made = [services.comment_create(actor=room.member, post=post, body=f"Comment {n}") for n in range(3)]
    staff = room.client(room.staff)
    ids = [str(made[0].pk), str(made[1].pk), "not-an-id"]
    assert staff.post(reverse("news:moderate"), {"ids": ids, "decision": "reject"}).status_code == 302
    assert comment_ids(room, status="rejected") == {made[0].pk, made[1].pk}
    assert comment_ids(room, status="pending") == {made[2].pk}


def test_bulk_moderation_is_bounded(room):
    post = room.post()
    with tenant_context(room.tenant), transaction.atomic():
        comments = [Comment(post=post, author=room.member.user, body="x" * 5) for _ in range(101)]
        Comment.objects.bulk_create(comments)
        with pytest.raises(ValidationError):
            services.comments_moderate(actor=room.staff, comments=comments, approve=True)


def test_a_closed_consultation_and_a_draft_take_no_comment(room):
    closed = room.post(kind="consultation", closes_on=timezone.localdate() - datetime.timedelta(days=1))
    draft = room.post(publish=False)
    member = room.client(room.member)
    assert member.post(reverse("news:comment", args=[closed.pk]), {"body": "Too late?"}).status_code == 403
    assert 'id="comment-form"' not in member.get(reverse("news:post", args=[closed.pk])).content.decode()
    assert member.post(reverse("news:comment", args=[draft.pk]), {"body": "Hello"}).status_code == 404
    # The staff do not comment (they moderate).
    assert room.client(room.staff).post(reverse("news:comment", args=[closed.pk]), {"body": "x"}).status_code == 403
    with tenant_context(room.tenant), transaction.atomic(), pytest.raises(ValidationError):
        services.comment_create(actor=room.member, post=closed, body="Straight to the service")
    assert not comment_ids(room)


def test_the_consultation_closes_at_the_end_of_its_day(room):
    today = timezone.localdate()
    post = room.post(kind="consultation", closes_on=today)
    assert post.is_open(today) and not post.is_open(today + datetime.timedelta(days=1))


@pytest.mark.parametrize("body", ["", " ", "x" * 2001])
def test_a_bad_comment_is_shown_again_with_its_error(room, body):
    post = room.post()
    response = room.client(room.member).post(reverse("news:comment", args=[post.pk]), {"body": body})
    assert response.status_code == 400
    assert response.context["comment_form"].errors["body"]
    assert not comment_ids(room)


@override_settings(NEWS_COMMENTS_PER_HOUR=2)
def test_comments_are_limited_per_member_per_hour(room):
    post = room.post()
    member = room.client(room.member)
    url = reverse("news:comment", args=[post.pk])
    assert member.post(url, {"body": "One"}).status_code == 302
    assert member.post(url, {"body": "Two"}).status_code == 302
    refused = member.post(url, {"body": "Three"})
    assert refused.status_code == 400 and "last hour" in str(refused.context["comment_form"].errors["body"])
    # Another member is not held back by it, and an hour later the first one writes again.
    assert room.client(room.other).post(url, {"body": "Mine"}).status_code == 302
    with tenant_context(room.tenant), transaction.atomic():
        Comment.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    assert member.post(url, {"body": "Four"}).status_code == 302


def test_the_post_page_and_the_queue_take_a_constant_number_of_queries(room):
    post = room.post()
    member, staff = room.client(room.member), room.client(room.staff)
    url = reverse("news:post", args=[post.pk])

    def add_comments(count: int) -> None:
        with tenant_context(room.tenant), transaction.atomic():
            made = Comment.objects.bulk_create(
                [
                    Comment(post=post, author=room.other.user, author_name="Other", body=f"Comment {n}")
                    for n in range(count)
                ]
            )
            Comment.objects.bulk_create(
                [Comment(post=post, author=room.other.user, body="Waiting") for _ in range(count)]
            )
            Comment.objects.filter(pk__in=[c.pk for c in made]).update(status="approved")

    add_comments(1)
    member.get(url), staff.get(reverse("news:moderation"))
    with CaptureQueriesContext(connection) as few_page:
        member.get(url)
    with CaptureQueriesContext(connection) as few_queue:
        staff.get(reverse("news:moderation"))
    add_comments(20)
    with CaptureQueriesContext(connection) as many_page:
        assert member.get(url).status_code == 200
    with CaptureQueriesContext(connection) as many_queue:
        assert staff.get(reverse("news:moderation")).status_code == 200
    assert len(many_page) == len(few_page)
    assert len(many_queue) == len(few_queue)
