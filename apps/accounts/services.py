"""Account services: the user's profile, API tokens, the MFA rules for staff, and saved list filters."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts import token_cache
from apps.accounts.models import ApiToken, SavedFilter, User, hash_token_key
from apps.core.roles import STAFF_ROLES
from apps.tenants.models import Membership
from apps.tenants.scope import role_for

TOKEN_PREFIX_LENGTH = 8
# last_used_at is written at most this often, so that every API call is not a write.
_LAST_USED_RESOLUTION = timedelta(minutes=5)

MFA_REQUIRED_FOR_TOKENS = _("Set up an authenticator app (two-factor authentication) before you create API tokens.")
MFA_REQUIRED_FOR_API = _(
    "Staff must set up an authenticator app (two-factor authentication) before using the API. Set one up at {url}"
)


class MfaRequired(PermissionDenied):
    """Staff without TOTP asked for something that needs it (where PORTAL_REQUIRE_STAFF_MFA is on)."""


# --- Profile --------------------------------------------------------------------------------


def profile_update(*, user: User, full_name: str, language: str) -> User:
    """Save the name the portal calls the user by and the language of their pages and e-mails."""
    user.full_name = full_name.strip()
    user.language = language
    user.save(update_fields=["full_name", "language"])
    return user


def language_for_email(email: str, default: str) -> str:
    """The language to write to `email` in: its user's chosen language, else `default`."""
    chosen = User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
    if chosen is None:  # a second address of the user (confirming one just added, say)
        chosen = EmailAddress.objects.filter(email__iexact=email).values_list("user__language", flat=True).first()
    return chosen or default


# --- MFA ------------------------------------------------------------------------------------


def user_has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    if not getattr(user, "is_authenticated", False):
        return False
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def staff_mfa_missing(*, user: object, role: object) -> bool:
    """True when the rule (PORTAL_REQUIRE_STAFF_MFA) asks this staff role for TOTP and the user has none."""
    return bool(settings.PORTAL_REQUIRE_STAFF_MFA and role in STAFF_ROLES and not user_has_totp(user))


def session_passed_mfa(request: HttpRequest) -> bool:
    """Whether this session's sign-in went through allauth's MFA step (or the user has no TOTP to pass).

    A session made any other way (Django's own admin login form, before it was closed) has no such
    record, and must not reach what MFA protects.
    """
    from allauth.account.authentication import get_authentication_records

    if not user_has_totp(request.user):
        return True
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


# --- API tokens -----------------------------------------------------------------------------


@transaction.atomic
def api_token_create(
    *, user: User, membership: Membership | None, name: str, lifetime: timedelta | None = None
) -> tuple[ApiToken, str]:
    """Make a token, valid for `lifetime` (None: until revoked); returns it and its key, which is shown once
    and never stored. Raises MfaRequired for staff without TOTP where staff MFA is required."""
    if membership is not None and membership.user_id != user.pk:
        raise ValueError("A token can only act in one of its user's own memberships.")
    # A token skips the sign-in's MFA step for good, so it may only be made by someone who has one.
    if staff_mfa_missing(user=user, role=role_for(user, membership)):
        raise MfaRequired(str(MFA_REQUIRED_FOR_TOKENS))
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        membership=membership,
        name=name.strip(),
        prefix=key[:TOKEN_PREFIX_LENGTH],
        key_hash=hash_token_key(key),
        expires_at=timezone.now() + lifetime if lifetime is not None else None,
    )
    return token, key


def api_token_revoke(*, user: User, token_id: str) -> bool:
    """Revoke one of the user's tokens; False if there is no such active token."""
    tokens = ApiToken.objects.filter(user=user, id=token_id, revoked_at__isnull=True)
    token_cache.forget_tokens(user=user, id=token_id)
    return tokens.update(revoked_at=timezone.now()) == 1


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every token of the user (their password changed); returns how many were active."""
    token_cache.forget_tokens(user=user)
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_authenticate(key: str) -> ApiToken | None:
    """The usable token whose key this is, with its user and membership; None when there is none.

    Usable: not revoked, not expired, its user active, and the agency it acts in (if any) still active.
    A membership that is deleted takes its tokens with it (the foreign key cascades). Read from the cache
    when it holds the token (apps.accounts.token_cache), else from the database.
    """
    if len(key) < TOKEN_PREFIX_LENGTH:
        return None
    key_hash = hash_token_key(key)
    now = timezone.now()
    entry = token_cache.cached(key_hash)
    if isinstance(entry, ApiToken) and hmac.compare_digest(entry.key_hash, key_hash) and token_cache.usable(entry, now):
        token = entry
    else:
        token = _token_from_database(key, key_hash, now)
        if token is None:
            return None
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        if token is entry:
            token_cache.drop(key_hash)
    if entry is None:
        token_cache.keep(token, now, _LAST_USED_RESOLUTION)
    return token


def _token_from_database(key: str, key_hash: str, now: datetime) -> ApiToken | None:
    candidates = ApiToken.objects.select_related("user", "membership__tenant").filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        Q(membership__isnull=True) | Q(membership__tenant__is_active=True),
        prefix=key[:TOKEN_PREFIX_LENGTH],
        revoked_at__isnull=True,
        user__is_active=True,
    )
    for token in candidates:
        if hmac.compare_digest(token.key_hash, key_hash):
            return token
    return None


# Saved filters (apps.core.lists.offers_saved_filters): the bounds of what a user may keep.
SAVED_FILTERS_MAX = 20  # per user and list: more would no longer fit above a list's filters
SAVED_FILTER_QUERY_MAX = 2000  # a list's filters are short; a longer query string is not one of them
SAVED_FILTER_NAME_MAX = 80


def saved_filter_query(query: str) -> str:
    """A list's query string as it is saved: parsed and encoded again, without the page number."""
    parsed = QueryDict(query, mutable=True)
    parsed.pop("page", None)
    return parsed.urlencode()


@transaction.atomic
def saved_filter_create(*, user: User, list_name: str, name: str, query: str) -> SavedFilter:
    """Save a list's filters (`query`, its query string) under `name` for the user, in the active tenant.
    Refuses, by field, an empty or too long name or query, a name the user already gave on this list, and
    more than SAVED_FILTERS_MAX filters on one list."""
    name = " ".join(name.split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give these filters a name.")]
    elif len(name) > SAVED_FILTER_NAME_MAX:
        errors["name"] = [_("Keep the name to %(max)d characters.") % {"max": SAVED_FILTER_NAME_MAX}]
    elif "\x00" in name:
        errors["name"] = [_("The name holds a character that cannot be saved.")]
    if len(query) > SAVED_FILTER_QUERY_MAX or "\x00" in query:
        errors["query"] = [_("These filters are too long to save.")]
    else:
        query = saved_filter_query(query)
        if not query:
            errors["query"] = [_("There are no filters to save: choose some first.")]
        elif len(query) > SAVED_FILTER_QUERY_MAX:
            errors["query"] = [_("These filters are too long to save.")]
    if errors:
        raise ValidationError(errors)
    # Locks the user's saved filters of this list: two saves at once cannot both pass the bound.
    mine = SavedFilter.objects.select_for_update().filter(user_id=user.pk, list_name=list_name)
    names = set(mine.values_list("name", flat=True))
    if name in names:
        raise ValidationError(
            {"name": [_("You already saved filters named “%(name)s” on this list.") % {"name": name}]}
        )
    if len(names) >= SAVED_FILTERS_MAX:
        raise ValidationError(
            {"name": [_("You can keep %(max)d saved filters per list: delete one first.") % {"max": SAVED_FILTERS_MAX}]}
        )
    try:
        with transaction.atomic():
            return SavedFilter.objects.create(user=user, list_name=list_name, name=name, query=query)
    except IntegrityError as error:  # the same name saved at the same moment, by the user's other tab
        raise ValidationError(
            {"name": [_("You already saved filters named “%(name)s” on this list.") % {"name": name}]}
        ) from error


@transaction.atomic
def saved_filter_delete(*, saved: SavedFilter) -> None:
    saved.delete()
