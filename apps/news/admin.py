"""The news in the Django admin: shown for the platform's operators; posts are written and comments moderated on
the agency's pages (/news/), so the admin only deletes a post (through its service, audited)."""

from __future__ import annotations

from django.contrib import admin

from apps.news import services
from apps.news.models import Comment, Follow, Notice, Post, PostText
from apps.tenants.admin_base import TenantOwnedAdmin, TenantOwnedInline, TenantOwnedReadOnlyAdmin


class PostTextInline(TenantOwnedInline):
    model = PostText
    fk_name = "post"
    fields = ["language", "title", "summary"]
    readonly_fields = fields


class CommentInline(TenantOwnedInline):
    model = Comment
    fk_name = "post"
    fields = ["created_at", "author_name", "status", "body"]
    readonly_fields = fields


@admin.register(Post)
class PostAdmin(TenantOwnedAdmin):
    create_service = None
    update_service = None
    delete_service = services.post_delete
    list_display = ["__str__", "tenant", "kind", "topic", "status", "published_at", "closes_on"]
    list_filter = ["kind", "status", "topic", "tenant"]
    list_select_related = ["tenant"]
    readonly_fields = ["kind", "topic", "region", "status", "fallback_language", "closes_on", "published_at", "author"]
    fields = readonly_fields
    inlines = [PostTextInline, CommentInline]


@admin.register(PostText)
class PostTextAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["title", "language", "tenant", "post"]
    list_filter = ["language", "tenant"]
    list_select_related = ["tenant", "post"]


@admin.register(Comment)
class CommentAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["__str__", "tenant", "author_name", "status", "created_at", "moderated_at"]
    list_filter = ["status", "tenant"]
    list_select_related = ["tenant"]


@admin.register(Follow)
class FollowAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["__str__", "tenant", "user", "topic", "post", "created_at"]
    list_filter = ["topic", "tenant"]
    list_select_related = ["tenant", "user"]


@admin.register(Notice)
class NoticeAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["__str__", "tenant", "post", "channel", "outcome", "claimed_at"]
    list_filter = ["outcome", "channel", "tenant"]
    list_select_related = ["tenant"]
