"""Who may do what: named rules, one module per app (`apps/<app>/policies.py`), asked by every caller.

A rule is a plain function `(actor, obj=None) -> bool` registered under `"<app>.<action>"`:

    @rule("registry.edit_msme", rows=_registry_rows)
    def edit_msme(actor: Actor, msme: Msme | None = None) -> bool: ...

Asked without an object, a rule answers "may this actor do this at all" (the page or endpoint); asked
with one, "may they do it to this row". A rule that narrows lists names `rows`, a function
`(actor, queryset) -> queryset` that keeps the rows the rule allows, so selectors and the per-object
answer come from the same module (the policies' tests check that they agree).

Callers:
- pages: `@requires("registry.import_msmes")` (anonymous: to sign in; refused: 403), or
  `@requires("registry.view_msme", per_object=True)` when the view loads its row through the rule's
  rows (another's row is a 404, not a 403); `@public` for pages open to everyone;
- API views: `permission_classes = [PolicyPermission]` with `policy = "rule"` or
  `policy = {"list": "rule", "create": "rule", ...}` (viewset actions, or HTTP methods; `PUBLIC` for
  an action open to everyone), or `permission_classes = [PublicAccess]` for a view open to everyone;
- selectors: `rows(actor, "registry.view_msme", queryset)`; code: `can(...)` / `authorize(...)`;
- templates: `{% load policies %}{% can "registry.verify_msme" msme as may_verify %}`.

tests/policies/test_ratchet.py fails when a routed view of an app declares none, or names a rule that
does not exist; `policies.E001` (a system check) reports unknown names given to `@requires`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.core import checks
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from apps.core.roles import Role


class Actor(Protocol):
    """What a rule reads of an actor (apps.tenants.scope.Actor; core does not import the tenants)."""

    user: Any
    role: Role | None
    membership: Any

    @property
    def tenant(self) -> Any: ...

    @property
    def division(self) -> str: ...

    @property
    def is_authenticated(self) -> bool: ...

    def has_role(self, *roles: Role) -> bool: ...


class _Anonymous:
    """The actor of a request the tenant middleware did not see (and of `can(None, ...)`)."""

    user = None
    role = None
    membership = None
    tenant = None
    division = ""
    is_authenticated = False

    def has_role(self, *roles: Role) -> bool:
        return False


ANONYMOUS: Actor = _Anonymous()

Rule = Callable[..., bool]
Rows = Callable[[Actor, QuerySet], QuerySet]

PUBLIC = "public"
"""The explicit marker of a view open to everyone, signed in or not."""

DEFAULT_MESSAGE = _("You do not have permission to perform this action.")


def for_roles(*roles: Role) -> Any:
    """A refusal that says whom the page is for ("This page is for: Agency staff.")."""
    names = lazy(lambda: ", ".join(str(role.label) for role in roles), str)()
    return format_lazy(_("This page is for: {roles}."), roles=names)


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    check: Rule
    rows: Rows | None
    message: Any


_RULES: dict[str, Policy] = {}
_DECLARED: set[str] = set()  # names given to @requires, checked once every app's rules are loaded


class UnknownRule(ImproperlyConfigured):
    pass


def rule(name: str, *, rows: Rows | None = None, message: Any = None) -> Callable[[Rule], Rule]:
    """Register the decorated function as the rule `name` ("<app>.<action>")."""
    app, _dot, action = name.partition(".")
    if not app or not action or name == PUBLIC:
        raise ImproperlyConfigured(f"A rule is named '<app>.<action>', not {name!r}.")

    def register(check: Rule) -> Rule:
        if name in _RULES and _RULES[name].check.__qualname__ != check.__qualname__:
            raise ImproperlyConfigured(f"The rule {name!r} is registered twice.")
        _RULES[name] = Policy(name=name, check=check, rows=rows, message=message or DEFAULT_MESSAGE)
        return check

    return register


def get_rule(name: str) -> Policy:
    try:
        return _RULES[name]
    except KeyError:
        raise UnknownRule(f"No rule is registered as {name!r} (a typo, or its app's policies.py).") from None


def registered() -> Mapping[str, Policy]:
    return dict(_RULES)


def actor_of(request: Any) -> Actor:
    """The request's actor (DRF's request proxies Django's); anonymous when the middleware did not run."""
    return getattr(request, "actor", None) or ANONYMOUS


def can(actor: Actor | None, name: str, obj: Any = None) -> bool:
    return bool(get_rule(name).check(actor or ANONYMOUS, obj))


def authorize(actor: Actor | None, name: str, obj: Any = None) -> None:
    """Raise PermissionDenied (a 403 with the rule's message) unless the rule allows it."""
    policy = get_rule(name)
    if not policy.check(actor or ANONYMOUS, obj):
        raise PermissionDenied(policy.message)


def rows(actor: Actor | None, name: str, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` the rule allows the actor; a rule with no `rows` allows all or none."""
    actor = actor or ANONYMOUS
    policy = get_rule(name)
    if policy.rows is not None:
        return policy.rows(actor, queryset)
    return queryset if policy.check(actor, None) else queryset.none()


SIGNED_IN = "core.signed_in"


@rule(SIGNED_IN)
def signed_in(actor: Actor, obj: None = None) -> bool:
    """Every signed-in user, whatever their role or scope (their own account, say)."""
    return actor.is_authenticated


# --- Pages -----------------------------------------------------------------------------------


def requires[F: Callable[..., Any]](name: str, *, per_object: bool = False) -> Callable[[F], F]:
    """Only actors the rule allows may open the view; anonymous visitors are sent to sign in first.

    `per_object=True`: the rule is about one row, which the view loads through `rows(actor, name, ...)`
    (a row it does not allow is a 404); the decorator then only requires signing in.
    """
    _DECLARED.add(name)

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            actor = actor_of(request)
            if not actor.is_authenticated:
                from django.contrib.auth.views import redirect_to_login  # needs the apps loaded

                return redirect_to_login(request.get_full_path())
            if not per_object:
                authorize(actor, name)
            return view(request, *args, **kwargs)

        wrapper.policy = name  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def public[F: Callable[..., Any]](view: F) -> F:
    """Mark a view as open to everyone (the ratchet asks every view to say who it is for)."""
    view.policy = PUBLIC  # type: ignore[attr-defined]
    return view


# --- API views -------------------------------------------------------------------------------


def view_rule(view: Any, method: str | None) -> str | None:
    """The rule a DRF view declares for a request: by viewset action, else by HTTP method.

    OPTIONS (the metadata) asks the rule of reading; an action or method not declared has no rule,
    and is refused."""
    policy = getattr(view, "policy", None)
    if policy is None or isinstance(policy, str):
        return policy
    method = (method or "").upper()
    action = getattr(view, "action", None)
    for key in (action, method):
        if key and key in policy:
            return policy[key]
    if method in {"OPTIONS", "HEAD"}:
        for key in ("retrieve", "list", "GET"):
            if key in policy:
                return policy[key]
    return None


class PolicyPermission(permissions.BasePermission):
    """DRF's side of the rules: the view's `policy` names the rule of each action or method."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return self._allows(request, view, None)

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return self._allows(request, view, obj)

    def _allows(self, request: Any, view: Any, obj: Any) -> bool:
        name = view_rule(view, request.method)
        if name == PUBLIC:
            return True
        if name is None:
            return False
        policy = get_rule(name)
        self.message = policy.message
        return bool(policy.check(actor_of(request), obj))


# The explicit marker of an API view open to everyone: DRF's own AllowAny, the class the schema
# generator looks for to document the view as needing no sign-in.
PublicAccess = permissions.AllowAny


def declared_rules(view: Any) -> list[str] | None:
    """Every rule name a routed view declares (PUBLIC included), or None when it declares none."""
    cls = getattr(view, "cls", None)
    if cls is None:
        name = getattr(view, "policy", None)
        return [name] if name else None
    permission_classes = getattr(cls, "permission_classes", ())
    if PublicAccess in permission_classes:
        return [PUBLIC]
    if PolicyPermission not in permission_classes:
        return None
    policy = getattr(cls, "policy", None)
    if policy is None:
        return None
    if isinstance(policy, str):
        return [policy]
    actions = getattr(view, "actions", None)
    if actions:  # a viewset's route: each of its actions must have a rule
        needed: Iterable[str] = actions.values()
    else:
        needed = [m.upper() for m in cls.http_method_names if m not in {"options", "head"} and hasattr(cls, m)]
    names = [policy.get(key) for key in needed]
    return None if any(name is None for name in names) else [str(name) for name in names]


# --- Checks ----------------------------------------------------------------------------------


@checks.register()
def check_declared_rules(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """policies.E001: a view decorator names a rule no app registers (a typo)."""
    return [
        checks.Error(f"@requires names the rule {name!r}, which no app's policies.py registers.", id="policies.E001")
        for name in sorted(_DECLARED - set(_RULES))
    ]
