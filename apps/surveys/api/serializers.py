"""The surveys API's serializers: a survey with its current questions (written as a whole list), and the
answers counted per question."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from apps.core.api.serializers import (
    NulFreeInputMixin,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    TenantModelSerializer,
)
from apps.surveys import rules, selectors
from apps.surveys.models import Question, Survey


class SurveyQuestionSerializer(NulFreeInputMixin, serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    text = StrictCharField(max_length=rules.QUESTION_TEXT_MAX)
    help_text = StrictCharField(max_length=rules.HELP_TEXT_MAX, required=False, allow_blank=True, default="")
    required = StrictBooleanField(required=False, default=True)
    choices = serializers.ListField(
        child=StrictCharField(max_length=rules.CHOICE_MAX),
        required=False,
        default=list,
        max_length=rules.CHOICES_MAX,
    )
    scale_min = StrictIntegerField(required=False, default=1, min_value=rules.SCALE_LOWEST, max_value=1)
    scale_max = StrictIntegerField(required=False, default=5, min_value=2, max_value=rules.SCALE_HIGHEST)
    scale_min_label = StrictCharField(max_length=rules.SCALE_LABEL_MAX, required=False, allow_blank=True, default="")
    scale_max_label = StrictCharField(max_length=rules.SCALE_LABEL_MAX, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = rules.question_errors(attrs)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def to_representation(self, question: Question) -> dict[str, Any]:
        return {
            "id": str(question.pk),
            "position": question.position,
            "kind": question.kind,
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "choices": [choice.label for choice in question.choices.all()],
            "scale_min": question.scale_min,
            "scale_max": question.scale_max,
            "scale_min_label": question.scale_min_label,
            "scale_max_label": question.scale_max_label,
        }


class SurveyListSerializer(TenantModelSerializer):
    class Meta:
        model = Survey
        fields = ["id", "title", "language", "status", "version", "created_at"]
        read_only_fields = fields


class SurveySerializer(TenantModelSerializer):
    """A survey with its current version's questions. Writing `questions` replaces them all: once the
    survey has answers, that makes a new version (`version` goes up) and the answers keep theirs."""

    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    status = serializers.ChoiceField(choices=Survey.Status.choices, required=False)
    title = StrictCharField(max_length=rules.TITLE_MAX)
    introduction = StrictCharField(max_length=rules.INTRODUCTION_MAX, required=False, allow_blank=True)
    questions = SurveyQuestionSerializer(many=True, required=False, max_length=rules.QUESTIONS_MAX)

    class Meta:
        model = Survey
        fields = ["id", "title", "introduction", "language", "status", "version", "created_at", "questions"]
        read_only_fields = ["id", "version", "created_at"]

    def to_representation(self, instance: Survey) -> dict[str, Any]:
        data = {
            "id": str(instance.pk),
            "title": instance.title,
            "introduction": instance.introduction,
            "language": instance.language,
            "status": instance.status,
            "version": instance.version,
            "created_at": serializers.DateTimeField().to_representation(instance.created_at),
        }
        questions = selectors.questions_of(selectors.version_of(instance))
        data["questions"] = [SurveyQuestionSerializer().to_representation(q) for q in questions]
        return data

    def validate_title(self, value: str) -> str:
        errors = rules.survey_errors(title=value)
        if "title" in errors:
            raise serializers.ValidationError(errors["title"])
        return value


class SurveyCountSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.IntegerField()


class SurveyQuestionResultSerializer(serializers.Serializer):
    question = serializers.SerializerMethodField()
    kind = serializers.CharField(source="question.kind")
    answered = serializers.IntegerField()
    counts = SurveyCountSerializer(many=True)
    texts = serializers.ListField(child=serializers.CharField())

    def get_question(self, result: selectors.QuestionResult) -> str:
        return result.question.text


class SurveyResultsSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="version.number")
    responses = serializers.IntegerField()
    questions = SurveyQuestionResultSerializer(many=True)
