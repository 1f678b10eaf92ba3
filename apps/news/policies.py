"""Who may do what with the news (see apps.core.policies).

An agency's MSME members and its staff read its published posts; the staff also read its drafts, write,
edit and publish posts, and moderate comments. Members follow topics and posts and comment (a consultation
only while it is open). Nobody outside the tenant reads its posts on the pages (a division or the platform
has no tenant here); the public reads them through the tenant's RSS and Atom feeds only.
"""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core.policies import Actor, for_roles, rule
from apps.core.roles import Role
from apps.news.models import Comment, Post

MEMBERS = for_roles(Role.MSME_MEMBER)
AGENCY = for_roles(Role.AGENCY_STAFF)
READERS = for_roles(Role.MSME_MEMBER, Role.AGENCY_STAFF)


def _in_tenant(actor: Actor, role: Role) -> bool:
    return actor.is_authenticated and actor.tenant is not None and actor.has_role(role)


def is_member(actor: Actor) -> bool:
    return _in_tenant(actor, Role.MSME_MEMBER)


def is_staff(actor: Actor) -> bool:
    return _in_tenant(actor, Role.AGENCY_STAFF)


def _own(actor: Actor, post: Post) -> bool:
    return post.tenant_id == actor.tenant.pk


def _read_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    if is_staff(actor):
        return queryset  # the scoped manager keeps it to the tenant
    if is_member(actor):
        return queryset.filter(status=Post.Status.PUBLISHED)
    return queryset.none()


@rule("news.read", rows=_read_rows, message=READERS)
def read(actor: Actor, post: Post | None = None) -> bool:
    if post is None:
        return is_member(actor) or is_staff(actor)
    if is_staff(actor):
        return _own(actor, post)
    return is_member(actor) and _own(actor, post) and post.is_published


def _staff_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    return queryset if is_staff(actor) else queryset.none()


@rule("news.write", rows=_staff_rows, message=AGENCY)
def write(actor: Actor, post: Post | None = None) -> bool:
    """Write, edit and publish posts (a published post stays editable: a correction)."""
    if post is None:
        return is_staff(actor)
    return is_staff(actor) and _own(actor, post)


@rule("news.moderate", rows=_staff_rows, message=AGENCY)
def moderate(actor: Actor, comment: Comment | None = None) -> bool:
    if comment is None:
        return is_staff(actor)
    return is_staff(actor) and comment.tenant_id == actor.tenant.pk


@rule("news.comment", message=MEMBERS)
def comment(actor: Actor, post: Post | None = None) -> bool:
    """Members comment on published news, and on a consultation until it closes."""
    if post is None:
        return is_member(actor)
    return is_member(actor) and _own(actor, post) and post.is_open()


@rule("news.follow", message=MEMBERS)
def follow(actor: Actor, post: Post | None = None) -> bool:
    """Members follow topics and published posts."""
    if post is None:
        return is_member(actor)
    return is_member(actor) and _own(actor, post) and post.is_published
