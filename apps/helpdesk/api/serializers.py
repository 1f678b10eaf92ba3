"""The helpdesk API's serializers: what a ticket and its timeline look like to an MSME and to an agent,
and the bodies the actions take.

The answers are plain serializers written out field by field: a member's answer leaves out the agents'
fields (queue, tier, assignee, the SLA's inner workings), which the schema therefore marks optional.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from apps.core.api.serializers import NulFreeInputMixin, StrictBooleanField, StrictCharField, StrictIntegerField
from apps.guidance.topics import topic_slugs
from apps.helpdesk import rules
from apps.helpdesk.models import Message, Priority, Rating, Status, Ticket, Tier

# The largest id a PostgreSQL bigint holds: a larger one would fail the look-up with a 500.
MAX_ID = 2**63 - 1

# Only these changes show in an MSME's timeline: queue, assignee, tier and merges are the agents' business.
PUBLIC_CHANGES = ("status", "priority")

# An MSME asks with one of these; `urgent` is an agent's call.
MEMBER_PRIORITIES = [
    (Priority.LOW, Priority.LOW.label),
    (Priority.NORMAL, Priority.NORMAL.label),
    (Priority.HIGH, Priority.HIGH.label),
]


class AttachmentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class MessageSerializer(serializers.Serializer):
    """One timeline entry. `changes`: {field: [old, new]} for a change (an MSME sees status and priority
    changes only); internal notes (`kind` note) are only ever shown to the ticket's agents."""

    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Message.Kind.choices)
    body = serializers.CharField(allow_blank=True)
    author_name = serializers.CharField(allow_blank=True)
    from_agent = serializers.BooleanField()
    via = serializers.ChoiceField(choices=Message.Via.choices)
    changes = serializers.DictField(child=serializers.ListField(allow_empty=True))
    created_at = serializers.DateTimeField()
    attachments = AttachmentSerializer(many=True)

    def to_representation(self, message: Message) -> dict[str, Any]:
        data = super().to_representation(message)
        if not self.context.get("internal"):
            data["changes"] = {name: pair for name, pair in data["changes"].items() if name in PUBLIC_CHANGES}
        return data


class AssigneeNameField(serializers.CharField):
    """The assignee's name ("" when unassigned), from the user the list already joined."""

    def to_representation(self, ticket: Ticket) -> str:
        user = ticket.assignee
        if user is None:
            return ""
        return (getattr(user, "full_name", "") or user.get_username()).strip()


class TicketSerializer(serializers.Serializer):
    """A ticket. The fields the schema marks optional are the agents': a member's answer leaves them out."""

    id = serializers.UUIDField()
    reference = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField()
    topic = serializers.CharField(allow_blank=True)
    language = serializers.CharField()
    msme = serializers.UUIDField(source="msme_id", allow_null=True)
    msme_name = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=Status.choices)
    priority = serializers.ChoiceField(choices=Priority.choices)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    first_responded_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    first_response_due = serializers.DateTimeField(allow_null=True)
    resolution_due = serializers.DateTimeField(allow_null=True)
    rating = serializers.ChoiceField(choices=Rating.choices, allow_blank=True)
    rating_comment = serializers.CharField(allow_blank=True)
    rated_at = serializers.DateTimeField(allow_null=True)
    # The agents' fields: not required (a member's answer has none of them).
    requester_name = serializers.CharField(allow_blank=True, required=False)
    requester_email = serializers.CharField(allow_blank=True, required=False)
    queue = serializers.IntegerField(source="queue_id", required=False)
    queue_name = serializers.CharField(source="queue.name", required=False)
    division = serializers.CharField(allow_null=True, required=False)
    tier = serializers.ChoiceField(choices=Tier.choices, required=False)
    assignee = serializers.IntegerField(source="assignee_id", allow_null=True, required=False)
    assignee_name = AssigneeNameField(source="*", required=False)
    sla_paused = serializers.BooleanField(source="is_paused", required=False)
    response_breached_at = serializers.DateTimeField(allow_null=True, required=False)
    resolution_breached_at = serializers.DateTimeField(allow_null=True, required=False)
    merged_into = serializers.UUIDField(source="merged_into_id", allow_null=True, required=False)

    AGENT_FIELDS = (
        "requester_name",
        "requester_email",
        "queue",
        "queue_name",
        "division",
        "tier",
        "assignee",
        "assignee_name",
        "sla_paused",
        "response_breached_at",
        "resolution_breached_at",
        "merged_into",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # Schema generation has no request: it documents every field.
        if "internal" in self.context and not self.context["internal"]:
            for name in self.AGENT_FIELDS:
                fields.pop(name)
        return fields


class TicketCreateSerializer(NulFreeInputMixin, serializers.Serializer):
    subject = StrictCharField(max_length=rules.SUBJECT_MAX)
    body = StrictCharField(max_length=rules.BODY_MAX)
    topic = serializers.ChoiceField(
        choices=[],
        allow_blank=True,
        help_text=gettext_lazy("A guidance topic's slug; empty when unsure (the agency's default queue answers)."),
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text=gettext_lazy("The language of the answer; the request's language when not given."),
    )
    priority = serializers.ChoiceField(choices=MEMBER_PRIORITIES, default=Priority.NORMAL)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = topic_slugs()


class MessageCreateSerializer(NulFreeInputMixin, serializers.Serializer):
    body = StrictCharField(max_length=rules.BODY_MAX)
    internal = StrictBooleanField(
        default=False,
        help_text=gettext_lazy(
            "An internal note, which only the ticket's agents read. Anyone else sending true is refused with a 403."
        ),
    )


class AssignSerializer(NulFreeInputMixin, serializers.Serializer):
    assignee = StrictIntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy("The id of an agent of the ticket's queue; null to unassign."),
    )
    auto = StrictBooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("True: the least-loaded agent of the queue who speaks the ticket's language."),
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("auto"):
            if data.get("assignee") is not None:
                raise serializers.ValidationError(
                    {"auto": [_("Give an assignee or ask for automatic assignment, not both.")]}
                )
        elif "assignee" not in data:
            raise serializers.ValidationError(
                {"assignee": [_("Give an agent's id, null to unassign, or automatic assignment.")]}
            )
        return data


class TransferSerializer(NulFreeInputMixin, serializers.Serializer):
    queue = StrictIntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy("The id of one of the ticket's agency's queues, or of a WIPO division's."),
    )


class StatusSerializer(NulFreeInputMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)


class RateSerializer(NulFreeInputMixin, serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = StrictCharField(max_length=rules.COMMENT_MAX, allow_blank=True, required=False, default="")
