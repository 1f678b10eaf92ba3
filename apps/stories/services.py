"""Success stories: every write goes through here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import diff, snapshot
from apps.core.policies import Actor, can
from apps.stories import rules
from apps.stories.models import Story
from apps.tenants import audit

FIELDS = ("title", "sector_section", "country", "ip_used", "topics", "summary", "body", "msme_name", "language")


@transaction.atomic
def story_submit(*, actor: Actor, data: dict[str, Any]) -> Story:
    """Agency staff submit a story; it waits for the platform's review."""
    if not can(actor, "stories.submit"):
        raise PermissionDenied(_("Only agency staff submit success stories."))
    values = {name: data.get(name, "" if name not in ("ip_used", "topics") else []) for name in FIELDS}
    errors = rules.story_errors(values)
    if errors:
        raise ValidationError(errors)
    story = Story.objects.create(**values, submitted_by=actor.user)
    audit.record(instance=story, action="create", actor=actor.user, changes=snapshot(story))
    return story


@transaction.atomic
def story_review(*, actor: Any, story: Story, publish: bool, note: str = "") -> Story:
    """A platform admin publishes the story, or returns it to its agency with a note. Runs in the story's
    tenant (the admin opens it there)."""
    if not can(actor, "stories.review"):
        raise PermissionDenied(_("Only the platform's administrators publish stories."))
    if not publish and not note.strip():
        raise ValidationError({"review_note": [_("Say what the agency should change.")]})
    before = snapshot(story)
    story.status = Story.Status.PUBLISHED if publish else Story.Status.RETURNED
    story.published_at = timezone.now() if publish else None
    story.review_note = note.strip()
    story.save()
    audit.record(instance=story, action="update", actor=actor.user, changes=diff(before, snapshot(story)))
    return story
