"""The guidance topics as JSON: the list, and one topic's structured content with its facts and sources.

Public (no tenant): the same content as /guidance/ and /guidance/<slug>/, in the request's language
(Accept-Language or the language cookie), each section saying which language it is actually in.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.policies import PublicAccess
from apps.guidance import topics
from apps.guidance.topic_views import current_language


class TopicSummarySerializer(serializers.Serializer):
    slug = serializers.CharField()
    group = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    language = serializers.CharField(help_text="The language the title and summary are shown in.")
    url = serializers.CharField(help_text="The topic's page.")
    api_url = serializers.CharField(help_text="This topic's structured content.")


class FactSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()
    source = serializers.CharField(help_text="The treaty, rule or fee schedule the figure comes from.")
    url = serializers.CharField(allow_blank=True, help_text="Where the source can be read (may be empty).")
    applies_from = serializers.DateField(allow_null=True)
    language = serializers.CharField()
    is_fee = serializers.BooleanField()
    verified = serializers.CharField(allow_blank=True, help_text="Fees: what the figure was checked against.")


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    language = serializers.CharField()
    fallback = serializers.BooleanField(help_text="True when shown in English because it is not translated.")
    text = serializers.CharField(allow_blank=True)
    items = serializers.ListField(child=serializers.CharField())
    facts = serializers.SerializerMethodField()
    calculator_url = serializers.SerializerMethodField()

    def get_facts(self, section: topics.ShownSection) -> list[str]:
        return [fact.id for fact in section.facts]

    def get_calculator_url(self, section: topics.ShownSection) -> str | None:
        return reverse(f"guidance:{section.calculator}") if section.calculator else None


class HelpSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField()
    topic = serializers.CharField(allow_null=True)
    language = serializers.CharField()
    fallback = serializers.BooleanField()


class RelatedSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()


class TopicDetailSerializer(serializers.Serializer):
    slug = serializers.CharField()
    group = serializers.CharField()
    title = serializers.CharField()
    language = serializers.CharField(help_text="The language asked for.")
    url = serializers.CharField()
    summary = SectionSerializer()
    is_it_for_me = serializers.DictField(child=SectionSerializer())
    sections = SectionSerializer(many=True)
    help = HelpSerializer(many=True)
    related = RelatedSerializer(many=True)
    facts = FactSerializer(many=True)


def _summary(topic: topics.Topic, language: str) -> dict[str, str]:
    title, used = topics.localized(topic.title, language)
    return {
        "slug": topic.slug,
        "group": topic.group,
        "title": title,
        "summary": topics.localized(topic.summary, language)[0],
        "language": used,
        "url": reverse("guidance:topic", args=[topic.slug]),
        "api_url": reverse("api:guidance-topic-detail", args=[topic.slug]),
    }


class TopicListView(generics.GenericAPIView):
    """Every guidance topic: slug, title, summary and links."""

    permission_classes = [PublicAccess]
    serializer_class = TopicSummarySerializer
    filter_backends = []

    @extend_schema(summary="Guidance topics", responses=TopicSummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        language = current_language()
        rows = [_summary(topic, language) for topic in topics.all_topics()]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(TopicSummarySerializer(page, many=True).data)


class TopicDetailView(APIView):
    """One topic's structured content, its facts with their sources, in the request's language."""

    permission_classes = [PublicAccess]

    @extend_schema(summary="A guidance topic", responses=TopicDetailSerializer)
    def get(self, request: Request, slug: str) -> Response:
        topic = topics.get_topic(slug)
        if topic is None:
            raise Http404(_("There is no guidance topic with this name."))
        language = current_language()
        shown = topics.localize_topic(topic, language)
        data = {
            "slug": shown.slug,
            "group": shown.group,
            "title": shown.title,
            "language": language,
            "url": reverse("guidance:topic", args=[topic.slug]),
            "summary": shown.summary,
            "is_it_for_me": {"fits": shown.fits, "does_not_fit": shown.does_not_fit},
            "sections": shown.sections,
            "help": shown.help,
            "related": [{"slug": slug, "title": title} for slug, title in shown.related],
            "facts": shown.facts,
        }
        return Response(TopicDetailSerializer(data).data)
