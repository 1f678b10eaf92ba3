"""/stories/: the published success stories of every agency (public), filterable; the agency staff's own stories
and the form to submit one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.countries import country_name
from apps.core.lists import CappedPaginator, page_query
from apps.core.policies import can, public, requires
from apps.guidance.topics import get_topic, localized
from apps.registry.models import IpAsset
from apps.stories import selectors, services
from apps.stories.forms import StoryFilterForm, StoryForm
from apps.stories.models import Story

PAGE_SIZE = 20
IP_LABELS = dict(IpAsset.Type.choices)


def _dress(stories: list[Story], language: str) -> list[Story]:
    for story in stories:
        story.country_label = country_name(story.country)
        story.ip_names = [str(IP_LABELS.get(kind, kind)) for kind in story.ip_used]
        story.topic_links = []
        for slug in story.topics:
            topic = get_topic(slug)
            if topic is not None:
                story.topic_links.append((slug, localized(topic.title, language)[0]))
    return stories


@public
@require_GET
def story_list(request: HttpRequest) -> HttpResponse:
    form = StoryFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    queryset = selectors.published(
        sector=data.get("sector", ""),
        country=data.get("country", ""),
        ip=data.get("ip", ""),
        topic=data.get("topic", ""),
    )
    with selectors.reading_published():
        page = CappedPaginator(queryset if valid else queryset.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    _dress(page.object_list, request.LANGUAGE_CODE)
    context = {
        "form": form,
        "page": page,
        "query": page_query(request),
        "may_submit": can(request.actor, "stories.submit"),
    }
    return render(request, "stories/list.html", context, status=200 if valid else 400)


@public
@require_GET
def story_detail(request: HttpRequest, story_pk: str) -> HttpResponse:
    story = selectors.published_story(story_pk)
    if story is None and can(request.actor, "stories.submit"):
        story = selectors.own_stories(request.actor).filter(pk=story_pk).first()  # the agency's own, in review
    if story is None:
        raise Http404
    _dress([story], request.LANGUAGE_CODE)
    return render(request, "stories/detail.html", {"story": story})


@requires("stories.submit")
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    page = CappedPaginator(selectors.own_stories(request.actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stories/mine.html", {"page": page, "query": page_query(request)})


@requires("stories.submit")
@require_http_methods(["GET", "HEAD", "POST"])
def story_new(request: HttpRequest) -> HttpResponse:
    form = StoryForm(request.POST if request.method == "POST" else None, country=request.tenant.country)
    context: dict[str, Any] = {"form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "stories/form.html", context, status=400 if form.errors else 200)
    try:
        story = services.story_submit(actor=request.actor, data=form.cleaned_data)
    except ValidationError as error:
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
        return render(request, "stories/form.html", context, status=400)
    messages.success(request, _("Thank you: the story is sent for review. You will find it here once it is published."))
    return redirect("stories:detail", story_pk=story.pk)


urlpatterns = [
    path("", story_list, name="index"),
    path("mine/", mine, name="mine"),
    path("new/", story_new, name="new"),
    path("<uuid:story_pk>/", story_detail, name="detail"),
]
