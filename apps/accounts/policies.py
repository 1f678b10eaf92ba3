"""Who may do what with accounts and API tokens (see apps.core.policies)."""

from __future__ import annotations

from apps.accounts.models import ApiToken, SavedFilter
from apps.accounts.services import staff_mfa_missing
from apps.core.policies import Actor, rule


@rule("accounts.edit_profile")
def edit_profile(actor: Actor, obj: None = None) -> bool:
    """Every signed-in user keeps their own profile."""
    return actor.is_authenticated


@rule("accounts.manage_api_tokens")
def manage_api_tokens(actor: Actor, token: ApiToken | None = None) -> bool:
    """A user lists and revokes their own tokens; another user's token does not exist for them."""
    if not actor.is_authenticated:
        return False
    return token is None or token.user_id == actor.user.pk


@rule("accounts.create_api_token")
def create_api_token(actor: Actor, obj: None = None) -> bool:
    """Staff need two-factor authentication first (PORTAL_REQUIRE_STAFF_MFA): a token skips the second factor."""
    return actor.is_authenticated and not staff_mfa_missing(user=actor.user, role=actor.role)


@rule("accounts.save_filters")
def save_filters(actor: Actor, saved: SavedFilter | None = None) -> bool:
    """A user keeps named filters of the lists they work on in a tenant (each list's own rule decides whether
    they may open it, and so save its filters); another user's saved filters do not exist for them."""
    if not actor.is_authenticated or actor.tenant is None:
        return False
    return saved is None or saved.user_id == actor.user.pk
