"""/news/: the pages (apps.news.views) and the tenant's public feeds (apps.news.feeds)."""

from django.urls import path

from apps.news import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.index, name="index"),
    path("manage/", views.manage, name="manage"),
    path("new/", views.post_new, name="post_new"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/decide/", views.moderate, name="moderate"),
    path("topics/<slug:topic>/follow/", views.follow_topic, name="follow_topic"),
    path("<uuid:post_pk>/", views.post, name="post"),
    path("<uuid:post_pk>/edit/", views.post_edit, name="post_edit"),
    path("<uuid:post_pk>/publish/", views.post_publish, name="post_publish"),
    path("<uuid:post_pk>/comment/", views.comment, name="comment"),
    path("<uuid:post_pk>/follow/", views.follow_post, name="follow_post"),
    path("<slug:tenant_slug>/feed/rss/", feeds.rss, name="feed_rss"),
    path("<slug:tenant_slug>/feed/atom/", feeds.atom, name="feed_atom"),
    path("<slug:tenant_slug>/topics/<slug:topic>/feed/rss/", feeds.rss, name="topic_feed_rss"),
    path("<slug:tenant_slug>/topics/<slug:topic>/feed/atom/", feeds.atom, name="topic_feed_atom"),
]
