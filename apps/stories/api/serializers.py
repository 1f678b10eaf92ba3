from __future__ import annotations

from rest_framework import serializers

from apps.registry.models import IpAsset
from apps.stories.models import Story


class StorySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Story
        fields = [
            "id",
            "title",
            "sector_section",
            "country",
            "ip_used",
            "topics",
            "summary",
            "body",
            "msme_name",
            "language",
            "published_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, story: Story) -> str:
        from django.urls import reverse

        return reverse("stories:detail", args=[story.pk])


class StoryQuerySerializer(serializers.Serializer):
    sector = serializers.RegexField(r"^[A-Ua-u]$", required=False, help_text="ISIC Rev.4 section letter.")
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, help_text="ISO 3166 alpha-2 code.")
    ip = serializers.ChoiceField(choices=IpAsset.Type.choices, required=False)
    topic = serializers.SlugField(required=False, help_text="A guidance topic's slug.")
