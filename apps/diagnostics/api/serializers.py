from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.diagnostics.models import Assessment
from apps.diagnostics.questionnaire import CURRENT_VERSION, VERSIONS


class OptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    text = serializers.CharField()
    exclusive = serializers.BooleanField(required=False, help_text="Multi: cannot be ticked with other options.")


class ConditionSerializer(serializers.Serializer):
    question = serializers.CharField()
    any_of = serializers.ListField(child=serializers.CharField())


class QuestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    help = serializers.CharField()
    area = serializers.CharField()
    kind = serializers.ChoiceField(choices=["single", "multi"])
    scored = serializers.BooleanField(help_text="False: the question describes the business and scores nothing.")
    show_if = ConditionSerializer(many=True, help_text="Shown only when every condition holds.")
    options = OptionSerializer(many=True, help_text="From the least to the most mature answer.")


class AreaSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class QuestionnaireSerializer(serializers.Serializer):
    version = serializers.CharField()
    areas = AreaSerializer(many=True)
    questions = QuestionSerializer(many=True)


class QuestionnaireQuerySerializer(serializers.Serializer):
    version = serializers.ChoiceField(
        choices=list(VERSIONS), required=False, help_text=f"Default: the current version ({CURRENT_VERSION})."
    )


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    }
)
class AnswersField(serializers.JSONField):
    """The answers as JSON, whose shape (question id → a value or a list of values) the schema states."""


class AssessmentRequestSerializer(serializers.Serializer):
    answers = AnswersField(help_text="question id → option value (single) or list of values (multi)")
    msme = serializers.UUIDField(
        required=False, allow_null=True, help_text="Agency staff: required. MSME members: their own MSME."
    )
    version = serializers.ChoiceField(
        choices=list(VERSIONS), required=False, help_text="The questionnaire version; default: the current one."
    )

    def validate_answers(self, value: Any) -> Any:
        if not isinstance(value, dict):
            raise serializers.ValidationError("Give the answers as an object: question id → answer.")
        return value


class ActionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    why = serializers.CharField()
    topic = serializers.CharField()
    topic_url = serializers.CharField()
    cost = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    deadline_label = serializers.CharField()


class AssessmentSerializer(serializers.ModelSerializer):
    level_name = serializers.CharField(read_only=True)
    reasons = serializers.SerializerMethodField()
    msme = serializers.UUIDField(source="msme_id", read_only=True, allow_null=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "msme",
            "questionnaire_version",
            "level",
            "level_name",
            "score",
            "area_scores",
            "reasons",
            "signals",
            "source",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, obj: Any) -> list[str]:
        return obj.reason_texts()


class AssessmentResultSerializer(AssessmentSerializer):
    """An assessment with its action plan (POST's answer and a single assessment)."""

    actions = serializers.SerializerMethodField()

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "actions"]
        read_only_fields = fields

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, obj: Any) -> list[dict[str, Any]]:
        return self.context.get("actions", [])
