"""/news/: the tenant's published posts for its members and staff, a post with its approved comments, the
staff's posts (drafts too), the post form in several languages, and the moderation queue. The public RSS
and Atom feeds are in apps.news.feeds."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.lists import (
    CappedPaginator,
    choice_labels,
    list_filters_html,
    list_page,
    offers_saved_filters,
    rows_html,
    with_urls,
)
from apps.core.policies import authorize, can, requires, rows
from apps.guidance.topics import TOPIC_SLUGS
from apps.news import selectors, services
from apps.news.forms import CommentForm, PostForm, language_name, post_initial
from apps.news.models import Comment, Post
from apps.news.rules import post_languages

PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 50

POST_ROW = (
    '<li class="list-group-item py-3" data-post="{}"><div class="d-flex flex-wrap align-items-baseline gap-2">'
    '<span class="badge {}">{}</span><a class="fw-semibold" href="{}"><bdi>{}</bdi></a>{}</div>'
    '<p class="mb-1 mt-1"><bdi>{}</bdi></p><div class="small text-body-secondary">{} · {}{}</div></li>'
)
STAFF_ROW = (
    '<tr data-post="{}"><td><a href="{}"><bdi>{}</bdi></a></td><td>{}</td><td>{}</td><td>{}</td>'
    "<td>{}</td><td>{}</td></tr>"
)


def _error_message(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(str(m) for problems in error.message_dict.values() for m in problems))


def _fallback_note(shown: selectors.Shown) -> Any:
    if not shown.is_fallback:
        return ""
    return format_html(
        ' <span class="badge text-bg-light border" data-fallback="{}">{}</span>',
        shown.language,
        _("Not available in your language: shown in %(language)s") % {"language": language_name(shown.language)},
    )


def _post_rows(request: HttpRequest, posts: list[Post]) -> Any:
    wanted = selectors.reader_languages(request.actor, get_language() or "")
    selectors.texts_for(posts, wanted)
    kinds = choice_labels(Post, "kind")
    topics = dict(selectors.topic_choices())
    with_urls(posts, "news:post")
    return rows_html(
        POST_ROW,
        (
            (
                post.pk,
                "text-bg-warning" if post.kind == Post.Kind.CONSULTATION else "text-bg-info",
                kinds.get(post.kind, post.kind),
                post.url,
                post.shown.title,
                _fallback_note(post.shown),
                post.shown.summary or "",
                topics.get(post.topic, post.topic),
                date_format(post.published_at, "DATE_FORMAT") if post.published_at else "—",
                f" · {selectors.region_label(post.region)}" if post.region else "",
            )
            for post in posts
        ),
    )


@requires("news.read")
@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    def filtered(filters: Any) -> Any:
        return selectors.published_posts(request.actor, filters=filters)

    context = list_page(request, filtered, per_page=PAGE_SIZE)
    context["rows_html"] = _post_rows(request, list(context["page"].object_list))
    context["clear_url"] = reverse("news:index")
    context["filters_html"] = list_filters_html(request, "news/_filters.html", context)
    topic = request.GET.get("topic", "")
    context["topic"] = topic if topic in TOPIC_SLUGS else ""
    context["topic_title"] = selectors.topic_title(topic) if context["topic"] else ""
    followed = selectors.followed_topics(request.actor)
    context["followed"] = sorted((selectors.topic_title(slug), slug) for slug in followed)
    context["topic_followed"] = context["topic"] in followed
    context["may_follow"] = can(request.actor, "news.follow")
    context["may_write"] = can(request.actor, "news.write")
    context["feed_slug"] = request.actor.tenant.slug
    return render(request, "news/index.html", context, status=400 if context["filterset"].errors else 200)


@requires("news.write")
@require_http_methods(["GET", "HEAD"])
@offers_saved_filters
def manage(request: HttpRequest) -> HttpResponse:
    def filtered(filters: Any) -> Any:
        return selectors.staff_posts(request.actor, filters=filters)

    context = list_page(request, filtered, per_page=PAGE_SIZE)
    posts = list(context["page"].object_list)
    selectors.texts_for(posts, [(get_language() or "en").split("-")[0]])
    kinds, statuses = choice_labels(Post, "kind"), choice_labels(Post, "status")
    topics = dict(selectors.topic_choices())
    with_urls(posts, "news:post")
    context["rows_html"] = rows_html(
        STAFF_ROW,
        (
            (
                post.pk,
                post.url,
                post.shown.title,
                kinds.get(post.kind),
                topics.get(post.topic, post.topic),
                statuses.get(post.status),
                date_format(post.published_at, "DATE_FORMAT") if post.published_at else "—",
                date_format(post.closes_on, "DATE_FORMAT") if post.closes_on else "—",
            )
            for post in posts
        ),
    )
    context["clear_url"] = reverse("news:manage")
    context["filters_html"] = list_filters_html(request, "news/_filters.html", context)
    context["pending"] = selectors.pending_comments(request.actor).count()
    return render(request, "news/manage.html", context, status=400 if context["filterset"].errors else 200)


def _save(request: HttpRequest, post: Post | None) -> HttpResponse:
    tenant = request.actor.tenant
    if request.method == "POST":
        form = PostForm(request.POST, tenant=tenant)
        if form.is_valid():
            try:
                if post is None:
                    post = services.post_create(actor=request.actor, data=form.service_data())
                else:
                    post = services.post_update(actor=request.actor, post=post, data=form.service_data())
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                if "publish" in request.POST:
                    services.post_publish(actor=request.actor, post=post)
                    messages.success(request, _("The post is published."))
                else:
                    messages.success(request, _("The post is saved."))
                return redirect("news:post", post_pk=post.pk)
    elif post is None:
        languages = [code for code in (tenant.languages or []) if code in post_languages(tenant.languages or [])]
        form = PostForm(tenant=tenant, initial={"fallback_language": (languages or ["en"])[0]})
    else:
        form = PostForm(tenant=tenant, initial=post_initial(post))
    return render(
        request,
        "news/post_form.html",
        {"form": form, "post": post, "blocks": form.language_blocks()},
        status=400 if form.errors else 200,
    )


@requires("news.write")
@require_http_methods(["GET", "POST"])
def post_new(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


def _staff_post(request: HttpRequest, post_pk: Any) -> Post:
    authorize(request.actor, "news.write")  # whom the page is for (403) before which post (404)
    return get_object_or_404(rows(request.actor, "news.write", Post.objects.all()), pk=post_pk)


@requires("news.write", per_object=True)
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, post_pk: Any) -> HttpResponse:
    post = _staff_post(request, post_pk)
    authorize(request.actor, "news.write", post)
    return _save(request, post)


@requires("news.write", per_object=True)
@require_POST
def post_publish(request: HttpRequest, post_pk: Any) -> HttpResponse:
    post = _staff_post(request, post_pk)
    authorize(request.actor, "news.write", post)
    services.post_publish(actor=request.actor, post=post)
    messages.success(request, _("The post is published."))
    return redirect("news:post", post_pk=post.pk)


def _readable_post(request: HttpRequest, post_pk: Any, rule: str = "news.read") -> Post:
    authorize(request.actor, rule)  # whom the page is for (403) before which post (404)
    return get_object_or_404(rows(request.actor, "news.read", Post.objects.all()), pk=post_pk)


def _detail(request: HttpRequest, post: Post, *, comment_form: CommentForm | None = None, status: int = 200):
    actor = request.actor
    wanted = selectors.reader_languages(actor, get_language() or "")
    shown = selectors.pick_text(post.texts.all(), wanted, post.fallback_language)
    may_comment = can(actor, "news.comment", post)
    context = {
        "post": post,
        "shown": shown,
        "shown_language_name": language_name(shown.language) if shown.language else "",
        "topic_title": selectors.topic_title(post.topic),
        "region_label": selectors.region_label(post.region),
        "comments": list(selectors.approved_comments(post)),
        "own_pending": list(selectors.own_pending_comments(actor, post)) if actor.is_authenticated else [],
        "may_comment": may_comment,
        "comment_form": comment_form or (CommentForm() if may_comment else None),
        "may_follow": can(actor, "news.follow", post),
        "follows_post": selectors.follows_post(actor, post),
        "follows_topic": post.topic in selectors.followed_topics(actor),
        "may_write": can(actor, "news.write", post),
        "is_consultation": post.kind == Post.Kind.CONSULTATION,
    }
    return render(request, "news/post.html", context, status=status)


@requires("news.read", per_object=True)
@require_http_methods(["GET", "HEAD"])
def post(request: HttpRequest, post_pk: Any) -> HttpResponse:
    return _detail(request, _readable_post(request, post_pk))


@requires("news.comment", per_object=True)
@require_POST
def comment(request: HttpRequest, post_pk: Any) -> HttpResponse:
    post = _readable_post(request, post_pk, "news.comment")
    authorize(request.actor, "news.comment", post)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(actor=request.actor, post=post, body=form.cleaned_data["body"])
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(request, _("Thank you: your comment will be shown once the agency has read it."))
            return redirect(reverse("news:post", args=[post.pk]) + "#comments")
    return _detail(request, post, comment_form=form, status=400)


def _follow_flag(request: HttpRequest) -> bool:
    return request.POST.get("follow", "1") != "0"


@requires("news.follow", per_object=True)
@require_POST
def follow_post(request: HttpRequest, post_pk: Any) -> HttpResponse:
    post = _readable_post(request, post_pk, "news.follow")
    authorize(request.actor, "news.follow", post)
    follow = _follow_flag(request)
    services.follow_set(actor=request.actor, post=post, follow=follow)
    messages.success(request, _("You follow this post.") if follow else _("You no longer follow this post."))
    return redirect("news:post", post_pk=post.pk)


@requires("news.follow")
@require_POST
def follow_topic(request: HttpRequest, topic: str) -> HttpResponse:
    if topic not in TOPIC_SLUGS:
        raise Http404
    follow = _follow_flag(request)
    services.follow_set(actor=request.actor, topic=topic, follow=follow)
    title = selectors.topic_title(topic)
    if follow:
        messages.success(request, _("You follow %(topic)s: you will be told of its new posts.") % {"topic": title})
    else:
        messages.success(request, _("You no longer follow %(topic)s.") % {"topic": title})
    back = request.POST.get("next", "")
    if back.startswith("/news/") and not back.startswith("//"):
        return redirect(back)
    return redirect(reverse("news:index") + f"?topic={topic}")


@requires("news.moderate")
@require_http_methods(["GET", "HEAD"])
def moderation(request: HttpRequest) -> HttpResponse:
    page = CappedPaginator(selectors.pending_comments(request.actor), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    comments = list(page.object_list)
    posts = {comment.post_id: comment.post for comment in comments}
    selectors.texts_for(list(posts.values()), [(get_language() or "en").split("-")[0]])
    for comment in comments:
        comment.post = posts[comment.post_id]  # one post (and its text) per post, however many comments
    context = {"page": page, "comments": comments, "query": "", "bulk_limit": services.BULK_LIMIT}
    return render(request, "news/moderation.html", context)


@requires("news.moderate")
@require_POST
def moderate(request: HttpRequest) -> HttpResponse:
    decision = request.POST.get("decision")
    ids = request.POST.getlist("ids")[: services.BULK_LIMIT + 1]
    if decision not in ("approve", "reject") or not ids:
        messages.error(request, _("Tick the comments and pick approve or reject."))
        return redirect("news:moderation")
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(value))
        except ValueError:
            continue  # not an id: nothing to decide
    comments = list(rows(request.actor, "news.moderate", Comment.objects.filter(pk__in=valid)))
    try:
        count = services.comments_moderate(actor=request.actor, comments=comments, approve=decision == "approve")
    except ValidationError as error:
        _error_message(request, error)
        return redirect("news:moderation")
    if decision == "approve":
        messages.success(request, _("%(count)d comments approved.") % {"count": count})
    else:
        messages.success(request, _("%(count)d comments rejected.") % {"count": count})
    return redirect("news:moderation")
