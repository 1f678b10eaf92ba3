"""The guidance topic pages: the index, one page per topic, the search, and the national overlays."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import register_converter, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.fragments import cached_fragment
from apps.core.policies import can, public, requires
from apps.guidance import overlays, page_cache, related, search, topics
from apps.guidance.models import TopicOverlay
from apps.tenants.fragments import cached_tenant_fragment
from apps.tenants.models import Tenant


class TopicSlugConverter:
    """A path converter matching DESIGN.md's topic slugs only, so that other routes under /guidance/
    (calculators, the action plan) are never shadowed by the topic pages."""

    regex = "|".join(topics.TOPIC_SLUGS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TopicSlugConverter, "topic")


def current_language() -> str:
    language = (get_language() or topics.FALLBACK_LANGUAGE).split("-")[0]
    return language if language in topics.LANGUAGES else topics.FALLBACK_LANGUAGE


def _topic_or_404(slug: str) -> topics.Topic:
    topic = topics.get_topic(slug)
    if topic is None:
        raise Http404(_("There is no guidance topic with this name."))
    return topic


def _groups(language: str) -> list[dict[str, object]]:
    labels = {"protect": _("Protect your IP"), "international": _("Protect it abroad"), "help": _("Get help")}
    groups = []
    for group in topics.GROUPS:
        entries = []
        for topic in topics.all_topics():
            if topic.group != group:
                continue
            title, title_language = topics.localized(topic.title, language)
            summary, summary_language = topics.localized(topic.summary, language)
            entries.append(
                {
                    "slug": topic.slug,
                    "title": title,
                    "title_language": title_language,
                    "summary": summary,
                    "summary_language": summary_language,
                }
            )
        if entries:
            groups.append({"key": group, "label": labels[group], "topics": entries})
    return groups


@public
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """/guidance/: the topics by group, a search box and the calculators."""
    return render(request, "guidance/index.html", {"groups": _groups(current_language())})


@public
@require_GET
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    """/guidance/<slug>/: a topic's structured content, its sources, and an agency's national overlay.

    The overlay is the viewer's own agency's when they work in one, or the agency picked with
    `?agency=<tenant slug>` (anyone may read any agency's overlay: it is what the agency publishes).
    Served from the cache (apps.guidance.page_cache): whole for visitors, the body for signed-in users.
    """
    topic = _topic_or_404(slug)
    if page_cache.page_is_shared(request):
        return page_cache.shared_page(request, lambda csrf_token: _topic_page(request, topic, csrf_token))
    return _topic_page(request, topic)


def _topic_page(request: HttpRequest, topic: topics.Topic, csrf_token: str | None = None) -> HttpResponse:
    shown = topics.localize_topic(topic, current_language())
    agency_slug = _query_text(request, "agency")
    agency: Tenant | None = None
    agency_unknown = False
    if agency_slug:
        agency = Tenant.objects.filter(slug=agency_slug, is_active=True).first()
        agency_unknown = agency is None
    elif request.tenant is not None:
        agency = request.tenant
    can_edit = can(request.actor, "guidance.edit_overlay")

    def body() -> str:
        context = {
            "topic": shown,
            "agency": agency,
            "agency_unknown": agency_unknown,
            "agency_slug": agency_slug,
            "agencies": overlays.agencies(),
            "overlay": overlays.overlay_for(agency, topic.slug),
            "related": related.related_for([topic.slug]),
            "can_edit_overlay": can_edit,
            "own_agency": request.tenant,
            "LANGUAGE_CODE": get_language(),
            "LANGUAGE_BIDI": get_language_bidi(),
        }
        return render_to_string("guidance/_topic_body.html", context)

    if agency_slug or csrf_token is not None:
        topic_body = mark_safe(body())  # noqa: S308 (a template's output, escaped by it)
    else:
        # The viewer's own agency's page (or none): the same for everyone of that agency with this right.
        own = request.tenant.pk if request.tenant is not None else None
        parts = (topic.slug, page_cache.content_version(), own, can_edit)
        cache_in = cached_tenant_fragment if request.tenant is not None else cached_fragment
        topic_body = cache_in("guidance-topic", parts, body)
    context = {"topic": shown, "topic_body": topic_body}
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
    return render(request, "guidance/topic.html", context, status=400 if agency_unknown else 200)


def _query_text(request: HttpRequest, name: str) -> str:
    # PostgreSQL text cannot hold a NUL character: a query parameter carrying one would be a 500.
    return request.GET.get(name, "").replace("\x00", "").strip()


@public
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """/guidance/search/?q=: the topics that match, in the current language and in English."""
    query = _query_text(request, "q")
    results = search.search(query, current_language()) if query else []
    return render(
        request,
        "guidance/search.html",
        {"query": query, "results": results, "max_length": search.MAX_QUERY_LENGTH},
    )


@requires("guidance.edit_overlay")
@require_http_methods(["GET", "POST"])
def overlay_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """/guidance/<slug>/overlay/: agency staff write their own agency's overlay of a topic."""
    topic = _topic_or_404(slug)
    tenant = request.tenant
    instance = TopicOverlay.objects.filter(topic=topic.slug).first()  # the active (own) tenant's only
    form = overlays.TopicOverlayForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        overlays.save_overlay(tenant=tenant, topic=topic.slug, form=form, user=request.user)
        messages.success(request, _("Your agency's information on this topic is saved."))
        return redirect(reverse("guidance:topic", args=[topic.slug]) + "#national-office")
    title, title_language = topics.localized(topic.title, current_language())
    context = {"form": form, "topic_slug": topic.slug, "topic_title": title, "title_language": title_language}
    return render(request, "guidance/overlay_form.html", context, status=400 if form.errors else 200)
