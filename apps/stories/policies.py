"""Who may do what with success stories (see apps.core.policies).

Published stories are public. Agency staff submit their agency's stories and follow them; the platform's
administrators publish them or return them with a note, in the admin.
"""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core.policies import Actor, for_roles, rule
from apps.core.roles import Role
from apps.stories.models import Story

AGENCY = for_roles(Role.AGENCY_STAFF)
ADMINS = for_roles(Role.PLATFORM_ADMIN)


def is_agency_staff(actor: Actor) -> bool:
    return actor.has_role(Role.AGENCY_STAFF) and actor.tenant is not None


def _agency_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    return queryset if is_agency_staff(actor) else queryset.none()


@rule("stories.submit", rows=_agency_rows, message=AGENCY)
def submit(actor: Actor, story: Story | None = None) -> bool:
    """Write the agency's stories and follow their review."""
    if not is_agency_staff(actor):
        return False
    return story is None or story.tenant_id == actor.tenant.pk


@rule("stories.review", message=ADMINS)
def review(actor: Actor, story: Story | None = None) -> bool:
    """Publish a story or return it to its agency."""
    return actor.has_role(Role.PLATFORM_ADMIN)
