"""THE ISOLATION SWEEP: every URL pattern, as every role, with another tenant's object ids.

Isolation is tested by enumeration, not by example (DESIGN.md, "Tenancy"). The sweep walks
every pattern of the active URLconf (pages, DRF routers, allauth, the admin: whatever is
installed, so routes added later are covered without touching this file), fills the path
parameters with values of tenant B's rows, and requests each URL as every role of tenant A
(and the tenant-less roles) with GET and every unsafe method. It expects:

- a URL carrying tenant B's object id: 401, 403, 404, 405 or a redirect to a login page;
- any URL: tenant B's ids and names nowhere in the response, and never a server error;
- afterwards: tenant B's rows exactly as they were.

Routes it cannot build a URL for are reported: give them a value below or allow-list them
(with the reason), so nothing is skipped silently.
"""

from __future__ import annotations

import html
import re
import time
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import count
from urllib.parse import quote, urlsplit

import ahocorasick
import pytest
from django.apps import apps
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, re_path, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

from apps.accounts.services import api_token_create
from apps.core.roles import Role
from apps.tenants.context import tenant_context, unscoped
from apps.tenants.models import Tenant, TenantOwnedModel
from tests.factories import TENANT_OWNED_FACTORIES, TenantFactory, user_with_role
from tests.tenancy_app.models import Widget

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ROLES: tuple[str, ...] = (
    ANONYMOUS,
    Role.MSME_MEMBER.value,
    Role.HELPDESK_AGENT.value,
    Role.AGENCY_STAFF.value,
    Role.DIVISION_ANALYST.value,
    Role.PLATFORM_ADMIN.value,
    # The API as a program sees it: an API token of tenant A's agency staff (only /api/ routes
    # read tokens; elsewhere it would be the anonymous role again).
    "token:agency_staff",
)
TOKEN_ROLE_PREFIX = "token:"
UNSAFE_METHODS = ("post", "put", "patch", "delete")
DENIED = {401, 403, 404, 405}
REDIRECTS = {301, 302, 303, 307, 308}

# --- Allow-lists: each entry says why ---------------------------------------------------

# Routes whose unsafe methods are not sent: they sign the user out, which would turn the
# rest of the sweep into an anonymous one. Their GET is still swept.
UNSAFE_NOT_SENT = {
    "account_logout",
    "admin:logout",
}

# Routes whose parameters are not tenant-owned objects (e-mail confirmation and password
# reset keys): an unknown key answers with a friendly 200 page. They are still requested
# and checked for leaks and server errors, but not for a 4xx status.
NOT_OBJECT_ROUTES = {
    "account_confirm_email",
    "account_reset_password_from_key",
    # A guidance topic (the same for every tenant), followed in the member's own tenant.
    "news:follow_topic",
}


def _published_news(row: models.Model) -> bool:
    """A published news post, or a text of one (what a tenant's feed shows to everyone)."""
    if row._meta.label == "news.Post":
        return row.status == "published"
    if row._meta.label == "news.PostText":
        return row.post.status == "published"  # read inside the sweep's unscoped block
    return False


def _summary_counts(row: models.Model) -> bool:
    """A tenant's statistics: counts of its MSMEs and of its services' work (never an MSME's own fact), which
    a division analyst's country profile shows, suppressed."""
    return row._meta.label in {
        "dashboards.MsmeCount",
        "dashboards.AssetCount",
        "dashboards.ActivityCount",
        "dashboards.RollupState",
    }


# Routes that publish a tenant's content beyond it, by the tenant's slug in the path: a feed reader has no
# tenant; a division analyst reads every country's profile. Another tenant's slug is answered, and the rows
# `published(row)` accepts may show; nothing else.
def _published_green_listing(row: models.Model) -> bool:
    """A WIPO GREEN technology or need its MSME published: the exchange shows its public fields to everyone
    (its title, field, description, countries, keywords; never who lists it)."""
    return row._meta.label in {"programmes.GreenTechnology", "programmes.GreenNeed"} and row.is_published


def _published_story(row: models.Model) -> bool:
    """A success story the platform published: public, and shown on its topics' pages and in action plans."""
    return row._meta.label == "stories.Story" and row.status == "published"


def _listed_intermediary(row: models.Model) -> bool:
    """An intermediary its agency lists: the public directory shows it to everyone."""
    return row._meta.label == "programmes.Intermediary" and row.is_listed


PUBLISHED_BY_TENANT: dict[str, Callable[[models.Model], bool]] = {
    "programmes:intermediaries": _listed_intermediary,
    "stories:index": _published_story,
    "stories:detail": _published_story,
    "api:story-list": _published_story,
    "api:story-detail": _published_story,
    "guidance:topic": _published_story,
    "guidance:msme-plan": _published_story,
    "programmes:green": _published_green_listing,
    "programmes:green-technology": _published_green_listing,
    "programmes:green-need": _published_green_listing,
    "api:green-technology-list": _published_green_listing,
    "api:green-technology-detail": _published_green_listing,
    "api:green-need-list": _published_green_listing,
    "api:green-need-detail": _published_green_listing,
    "news:feed_rss": _published_news,
    "news:feed_atom": _published_news,
    "news:topic_feed_rss": _published_news,
    "news:topic_feed_atom": _published_news,
    "dashboards:agency-profile": _summary_counts,
    "dashboards:agency-profile-pdf": _summary_counts,
}

# (role, route namespace) pairs not swept: the Django admin is the platform admins'
# cross-tenant tool (TenantMiddleware opens `unscoped` for them there), so they are meant to
# see tenant B in it. Every other role is swept through the admin like any other route.
ROLE_NAMESPACES_NOT_SWEPT = {
    (Role.PLATFORM_ADMIN.value, "admin"),
}

# Values tried for a path parameter when no value of a tenant-owned row fits it.
NEUTRAL_VALUES = ("1", "x", "en", "sweep", "a-b", "00000000-0000-4000-8000-000000000000")
GENERIC_PARAMS = {"pk", "id", "uuid", "object_id", "obj_id"}
TENANT_PARAMS = {"tenant", "agency", "slug", "tenant_slug", "tenant_id", "agency_slug"}
MAX_ROWS_PER_MODEL = 2


# --- The data: one row of every tenant-owned model in each tenant -------------------------


def tenant_owned_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if issubclass(model, TenantOwnedModel)]


@dataclass
class SweepData:
    own_tenant: Tenant
    foreign_tenant: Tenant
    own: dict[type[models.Model], list[models.Model]]
    foreign: dict[type[models.Model], list[models.Model]]
    foreign_ids: set[str]
    foreign_names: set[str]

    @classmethod
    def make(cls, own_tenant: Tenant, foreign_tenant: Tenant) -> SweepData:
        missing = sorted({m._meta.label for m in tenant_owned_models()} - set(TENANT_OWNED_FACTORIES))
        if missing:
            pytest.fail(f"no factory for {missing}: register one in tests/factories.py (@register_tenant_owned)")
        for tenant in (own_tenant, foreign_tenant):
            with tenant_context(tenant):
                for model in tenant_owned_models():
                    TENANT_OWNED_FACTORIES[model._meta.label]()
        own, foreign = {}, {}
        with unscoped("isolation sweep: reading back the rows it made"):
            for model in tenant_owned_models():
                own[model] = list(model.objects.filter(tenant=own_tenant).order_by("pk"))
                foreign[model] = list(model.objects.filter(tenant=foreign_tenant).order_by("pk"))
            # str(row) may follow a foreign key: inside the escape hatch, as RLS sees no tenant outside it.
            own_texts = {value for rows in own.values() for row in rows for value in _texts(row)}
            foreign_ids, foreign_names = set(), set()
            for rows in foreign.values():
                for row in rows:
                    foreign_ids |= {str(row.pk), row.pk.hex}
                    foreign_names |= {value for value in _texts(row) if value not in own_texts}
        return cls(own_tenant, foreign_tenant, own, foreign, foreign_ids, foreign_names)

    def published_markers(self, route_name: str, published: Callable[[models.Model], bool]) -> set[str]:
        """The ids and texts of tenant B's rows that `route_name` publishes to everyone (PUBLISHED_BY_TENANT)."""
        cache = self.__dict__.setdefault("_published", {})
        if route_name not in cache:
            markers = set()
            with unscoped("isolation sweep: which of the other tenant's rows a public route publishes"):
                for rows in self.foreign.values():
                    for row in rows:
                        if published(row):
                            markers |= {str(row.pk), row.pk.hex, *_texts(row)}
            cache[route_name] = markers
        return cache[route_name]

    def markers_in(self, body: str) -> set[str]:
        """Which of tenant B's ids and texts `body` shows, as such or HTML-escaped: one pass over the body
        (an Aho-Corasick automaton of every marker), however many markers and responses the sweep has."""
        automaton = self.__dict__.get("_automaton")
        if automaton is None:
            automaton = ahocorasick.Automaton()
            for marker in self.foreign_names | self.foreign_ids:
                for form in {marker, html.escape(marker)}:
                    known = automaton.get(form, frozenset())
                    automaton.add_word(form, known | {marker})
            automaton.make_automaton()
            self.__dict__["_automaton"] = automaton
        return {marker for _end, found in automaton.iter(body) for marker in found} if len(automaton) else set()

    def snapshot(self) -> dict[str, list[tuple]]:
        """Tenant B's rows, every column: the sweep must leave them exactly as they were."""
        with unscoped("isolation sweep: snapshot of the other tenant"):
            return {
                model._meta.label: sorted(
                    (tuple(map(str, row)) for row in model.objects.filter(tenant=self.foreign_tenant).values_list()),
                )
                for model in tenant_owned_models()
            }


def _texts(row: models.Model) -> set[str]:
    """The distinctive strings of a row: its text fields (not choices) and str(row)."""
    values = {str(row)}
    for model_field in row._meta.concrete_fields:
        if isinstance(model_field, (models.CharField, models.TextField)) and not model_field.choices:
            value = getattr(row, model_field.attname)
            if isinstance(value, str):
                values.add(value)
    return {value for value in values if len(value) >= 6}


# --- Walking the URLconf -------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    regex: str  # the whole pattern, root to leaf, without the leading ^
    pattern: URLPattern
    namespaces: tuple[str, ...]

    @property
    def name(self) -> str:
        if self.pattern.name:
            return ":".join([*self.namespaces, self.pattern.name])
        return self.regex

    @property
    def params(self) -> list[str]:
        return re.findall(r"\(\?P<(\w+)>", self.regex)


def walk(patterns: Iterable, prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in patterns:
        regex = prefix + entry.pattern.regex.pattern.removeprefix("^")
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk(entry.url_patterns, regex, inner)
        else:
            yield Route(regex, entry, namespaces)


def _group_regex(regex: str, name: str) -> str:
    """The body of the named group `name` in `regex`."""
    start = regex.index(f"(?P<{name}>") + len(f"(?P<{name}>")
    depth, index, in_class = 1, start, False
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return regex[start:index]
        index += 1
    raise ValueError(f"unbalanced group {name} in {regex}")


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _stem(param: str) -> str:
    for suffix in ("_id", "_pk", "_uuid", "_slug"):
        if param.endswith(suffix):
            return param.removesuffix(suffix)
    return param


def _view_model(pattern: URLPattern) -> type[models.Model] | None:
    """The model a view says it serves: ModelAdmin, Django CBV, DRF view or viewset."""
    callback = pattern.callback
    model_admin = getattr(callback, "model_admin", None)
    if model_admin is not None:
        return model_admin.model
    for view_class in (getattr(callback, "view_class", None), getattr(callback, "cls", None)):
        if view_class is None:
            continue
        if getattr(view_class, "model", None) is not None:
            return view_class.model
        queryset = getattr(view_class, "queryset", None)
        if queryset is not None:
            return queryset.model
        serializer = getattr(view_class, "serializer_class", None)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is not None:
            return model
    return None


def _models_named(text: str, candidates: list[type[models.Model]]) -> list[type[models.Model]]:
    text = _words(text)
    if not text:
        return []
    singular = text.removesuffix("s")
    return [
        model
        for model in candidates
        if model._meta.model_name in {text, singular}
        or (len(singular) >= 4 and model._meta.model_name.endswith(singular))  # "ipasset" for "assets"
        or _words(str(model._meta.verbose_name)) in {text, singular}
    ]


class Values:
    """Which values of tenant B's (or A's) rows to try for one path parameter."""

    def __init__(self, data: SweepData) -> None:
        self.data = data
        self.owned = tenant_owned_models()

    def hinted_models(self, route: Route, param: str) -> list[type[models.Model]] | None:
        """The models the parameter probably points to; None: not a tenant-owned row at all."""
        stem = _stem(param)
        by_name = _models_named(stem, [*self.owned, Tenant]) if stem not in GENERIC_PARAMS else []
        if by_name:
            return by_name
        view_model = _view_model(route.pattern)
        if view_model is not None:
            return [view_model] if view_model in self.owned or view_model is Tenant else None
        before = route.regex[: route.regex.index(f"(?P<{param}>")]
        segments = [segment for segment in re.split(r"/", before) if _words(segment)]
        if segments:
            by_segment = _models_named(segments[-1], self.owned)
            if by_segment:
                return by_segment
            by_text = [model for model in self.owned if model._meta.model_name in _words(before)]
            if by_text:
                return by_text
        return list(self.owned)

    def candidates(self, route: Route, param: str, foreign: bool) -> list[str]:
        rows = self.data.foreign if foreign else self.data.own
        tenant = self.data.foreign_tenant if foreign else self.data.own_tenant
        stem = _stem(param)
        hinted = self.hinted_models(route, param)
        values: list[str] = []
        if hinted is None:
            # A view of a model that is not tenant-owned (a user, a token): one foreign id still.
            first = next((rows[model][0] for model in self.owned if rows[model]), None)
            values += [str(first.pk)] if first is not None else []
            values += [str(tenant.pk)]
        else:
            for model in hinted:
                if model is Tenant:
                    values += [str(tenant.pk), tenant.slug]
                    continue
                names = {f.name for f in model._meta.concrete_fields}
                for row in rows.get(model, [])[:MAX_ROWS_PER_MODEL]:
                    values.append(str(row.pk))
                    for name in (param, stem):
                        if name in names and name not in {"id", "pk", "tenant"}:
                            value = getattr(row, model._meta.get_field(name).attname)
                            if value not in (None, ""):
                                values.append(str(value))
        if param in TENANT_PARAMS or stem in TENANT_PARAMS:
            values += [tenant.slug, str(tenant.pk)]
        return list(dict.fromkeys(values))


@dataclass(frozen=True)
class Target:
    route: Route
    path: str
    foreign_values: tuple[str, ...]  # tenant B's values in the path (empty: a list-like URL)


def _fits(regex: str, value: str) -> bool:
    try:
        return re.fullmatch(regex, value) is not None
    except re.error:
        return False


def _literal_alternatives(regex: str) -> list[str]:
    return [part for part in regex.split("|") if re.fullmatch(r"[\w-]+", part)]


def build_targets(route: Route, values: Values, urlconf: object | None = None) -> list[Target]:
    """URLs of `route`: with each of tenant B's candidate values, and with none (own/neutral)."""
    params = route.params
    group = {param: _group_regex(route.regex, param) for param in params}
    own_fill, foreign_options = {}, {}
    for param in params:
        fitting = [v for v in values.candidates(route, param, foreign=False) if _fits(group[param], v)]
        neutral = [v for v in (*_literal_alternatives(group[param]), *NEUTRAL_VALUES) if _fits(group[param], v)]
        own_fill[param] = (fitting or neutral or [None])[0]
        foreign_options[param] = [v for v in values.candidates(route, param, foreign=True) if _fits(group[param], v)]

    fills: list[tuple[dict[str, str | None], tuple[str, ...]]] = []
    for param in params:
        for value in foreign_options[param]:
            fills.append(({**own_fill, param: value}, (value,)))
    if sum(1 for options in foreign_options.values() if options) > 1:
        every = {param: (foreign_options[param] or [own_fill[param]])[0] for param in params}
        fills.append((every, tuple(v for p, v in every.items() if foreign_options[p] and v == foreign_options[p][0])))
    if not any(foreign_options.values()):
        fills.append((own_fill, ()))

    targets, seen = [], set()
    for fill, foreign in fills:
        if any(value is None for value in fill.values()):
            continue
        for format_string, format_params in normalize(route.regex):
            if set(format_params) - set(fill):
                continue
            url = "/" + quote(format_string % {p: fill[p] for p in format_params}, safe="/~:@!$&'()*+,;=-._")
            if url in seen:
                continue
            try:
                match = resolve(url, urlconf)
            except Resolver404:
                continue
            if match.func is not route.pattern.callback:
                continue
            seen.add(url)
            targets.append(Target(route, url, foreign))
            break
    return targets


# --- Requesting and judging ----------------------------------------------------------------


def _login_paths() -> set[str]:
    paths = set()
    for name in ("account_login", "admin:login"):
        try:
            paths.add(reverse(name))
        except Exception:
            continue
    return paths


def _body(response: HttpResponse) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace") + "\n" + response.get("Location", "")


def judge(target: Target, role: str, method: str, response: HttpResponse, data: SweepData) -> list[str]:
    """What is wrong with this response, if anything (the sweep's checking function)."""
    where = f"{method.upper()} {target.path} [{target.route.name}] as {role}"
    problems = []
    status = response.status_code
    if status >= 500:
        problems.append(f"{where}: server error {status}")
    published = PUBLISHED_BY_TENANT.get(target.route.name)
    if target.foreign_values and target.route.name not in NOT_OBJECT_ROUTES and published is None:
        login_redirect = status in REDIRECTS and urlsplit(response.get("Location", "")).path in _login_paths()
        if status not in DENIED and not login_redirect:
            problems.append(f"{where}: {status} for another tenant's object (want 401/403/404/405 or login)")
    body = _body(response)
    # The URL's own foreign id may be echoed back (a `next=` parameter); nothing else may.
    markers = data.foreign_names | (data.foreign_ids - set(target.foreign_values))
    if published is not None:
        markers -= data.published_markers(target.route.name, published)
    leaked = sorted(data.markers_in(body) & markers)
    if leaked:
        problems.append(f"{where}: {status} response shows tenant B's {leaked}")
    return problems


@dataclass
class SweepReport:
    problems: list[str] = field(default_factory=list)
    requests: int = 0
    targets: list[Target] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)


def make_clients(tenant: Tenant, roles: Iterable[str]) -> dict[str, tuple[Client, object | None]]:
    """A signed-in client per role (`None` user: anonymous, or an API token that needs no session)."""
    clients = {}
    for role in roles:
        user = None
        if role == ANONYMOUS:
            client = Client(raise_request_exception=False)
        elif role.startswith(TOKEN_ROLE_PREFIX):
            token_user = user_with_role(Role(role.removeprefix(TOKEN_ROLE_PREFIX)), tenant)
            _token, key = api_token_create(user=token_user, membership=token_user.memberships.first(), name="sweep")
            client = Client(raise_request_exception=False, headers={"Authorization": f"Token {key}"})
        else:
            client = Client(raise_request_exception=False)
            user = user_with_role(Role(role), tenant, email=f"sweep-{role}@example.org")
            client.force_login(user)
        clients[role] = (client, user)
    return clients


def sweep(
    data: SweepData,
    clients: dict[str, tuple[Client, object | None]],
    urlconf: object | None = None,
    only: Callable[[Route], bool] | None = None,
) -> SweepReport:
    report = SweepReport()
    values = Values(data)
    serial = count()
    report.routes = [route for route in walk(get_resolver(urlconf).url_patterns) if only is None or only(route)]
    for route in report.routes:
        targets = build_targets(route, values, urlconf)
        if not targets:
            report.problems.append(
                f"cannot build a URL for {route.name} ({route.regex}): give its parameters a value in the sweep, "
                "or allow-list it with the reason"
            )
            continue
        report.targets += targets
        for role, (client, user) in clients.items():
            if any((role, namespace) in ROLE_NAMESPACES_NOT_SWEPT for namespace in route.namespaces):
                continue
            if role.startswith(TOKEN_ROLE_PREFIX) and not route.regex.startswith("api/"):
                continue
            for target in targets:
                methods = ["get", *([] if route.name in UNSAFE_NOT_SENT else UNSAFE_METHODS)]
                for method in methods:
                    payload = {
                        "name": f"sweep-{next(serial)}",
                        "tenant": data.foreign_tenant.slug,
                        "tenant_id": str(data.foreign_tenant.pk),
                    }
                    if method == "get":
                        response = client.get(target.path)
                    elif method == "post":
                        response = client.post(target.path, payload)
                    else:
                        response = getattr(client, method)(target.path, payload, content_type="application/json")
                    report.requests += 1
                    report.problems += judge(target, role, method, response, data)
                if not target.foreign_values:
                    # A tenant named in the query string must change nothing either.
                    query = f"?tenant={data.foreign_tenant.slug}&tenant_id={data.foreign_tenant.pk}"
                    response = client.get(target.path + query)
                    report.requests += 1
                    report.problems += judge(target, role, "get", response, data)
            if user is not None and "_auth_user_id" not in client.session:
                report.problems.append(f"{route.name} signed {role} out: add it to UNSAFE_NOT_SENT")
                client.force_login(user)
    return report


# --- The tests -----------------------------------------------------------------------------


@pytest.fixture
def sweep_data():
    own = TenantFactory(slug="sweep-a", name="Sweep Agency A", country="KE")
    foreign = TenantFactory(slug="sweep-b", name="Sweep Agency B", country="PH")
    return SweepData.make(own, foreign)


def test_ratchet_every_tenant_owned_model_has_a_factory():
    owned = {model._meta.label for model in tenant_owned_models()}
    assert "tenancy_app.Widget" in owned
    missing = sorted(owned - set(TENANT_OWNED_FACTORIES))
    assert missing == [], (
        f"tenant-owned models without a factory in tests/factories.py (@register_tenant_owned): {missing}"
    )


def test_ratchet_allow_lists_name_existing_routes():
    names = {route.name for route in walk(get_resolver().url_patterns)}
    stale = sorted((UNSAFE_NOT_SENT | NOT_OBJECT_ROUTES | set(PUBLISHED_BY_TENANT)) - names)
    assert stale == [], f"allow-listed routes that no longer exist: {stale}"


def test_the_sweep_builds_urls_that_reach_the_views(sweep_data):
    """With tenant A's own ids the same URLs answer 200: the 404s of the sweep are the wall, not a typo."""
    values = Values(sweep_data)
    own_widget = sweep_data.own[Widget][0]
    foreign_widget = sweep_data.foreign[Widget][0]
    client, _user = make_clients(sweep_data.own_tenant, [Role.MSME_MEMBER.value])[Role.MSME_MEMBER.value]
    routes = [r for r in walk(get_resolver().url_patterns) if r.pattern.name == "test-widget-detail"]
    assert len(routes) == 2  # the page and the DRF router's detail route
    for route in routes:
        targets = build_targets(route, values)
        assert [t.foreign_values for t in targets] == [(str(foreign_widget.pk),)]
        foreign_path = targets[0].path
        own_path = foreign_path.replace(str(foreign_widget.pk), str(own_widget.pk))
        response = client.get(own_path)
        assert response.status_code == 200
        assert own_widget.name in response.content.decode()
        assert client.get(foreign_path).status_code == 404


def test_isolation_sweep(sweep_data):
    before = sweep_data.snapshot()
    clients = make_clients(sweep_data.own_tenant, ROLES)
    started = time.monotonic()
    report = sweep(sweep_data, clients)
    elapsed = time.monotonic() - started

    assert report.problems == [], "isolation sweep found:\n" + "\n".join(report.problems)
    # The sweep really ran: every route was built, the widget routes with B's ids.
    assert len(report.routes) > 50
    built = {target.route.name for target in report.targets}
    assert built == {route.name for route in report.routes}
    foreign_routes = {target.route.pattern.name for target in report.targets if target.foreign_values}
    assert {"test-widget-detail", "api-token-revoke", "view_on_site"} <= foreign_routes
    # Stored files leave only through views that check scope: they too are tried with B's ids.
    assert {"import-job", "import-file"} <= foreign_routes
    assert report.requests > 1000
    assert sweep_data.snapshot() == before, "the sweep changed tenant B's rows"
    # Its duration is reported, not asserted: speed targets belong in bench/, not in unit tests.
    print(f"isolation sweep: {report.requests} requests over {len(report.routes)} routes in {elapsed:.1f}s")


# --- The sweep catches leaks (its own test) ------------------------------------------------


def leaky_detail(request, pk):
    with unscoped("deliberately leaky view: the sweep must flag it"):
        widget = get_object_or_404(Widget, pk=pk)
    return HttpResponse(widget.name)


def leaky_list(request):
    with unscoped("deliberately leaky view: the sweep must flag it"):
        return HttpResponse(", ".join(Widget.objects.values_list("name", flat=True)))


def leaky_redirect(request):
    with unscoped("deliberately leaky view: the sweep must flag it"):
        return HttpResponse(status=302, headers={"Location": f"/x/{Widget.objects.last().pk}/"})


def scoped_detail(request, pk):
    return HttpResponse(get_object_or_404(Widget.objects.all(), pk=pk).name)


def crashing(request):
    raise ZeroDivisionError("a view that crashes")


def _urlconf(*patterns) -> types.ModuleType:
    module = types.ModuleType("tests.sweep_selftest_urls")
    module.urlpatterns = list(patterns)
    return module


LEAKY_URLCONF = _urlconf(
    path("leaky/widgets/<uuid:pk>/", leaky_detail, name="leaky-detail"),
    path("leaky/widgets/", leaky_list, name="leaky-list"),
    path("leaky/latest/", leaky_redirect, name="leaky-redirect"),
    path("scoped/widgets/<uuid:pk>/", scoped_detail, name="scoped-detail"),
    path("crash/", crashing, name="crash"),
    re_path(r"^odd/(?P<code>[A-Z]{3}[0-9]{2})/$", scoped_detail, name="unbuildable"),
    # The real routes too, so that pages (the 403 page, the login page) can reverse them.
    path("", include("tests.urls")),
)
SELFTEST_ROUTES = {"leaky-detail", "leaky-list", "leaky-redirect", "scoped-detail", "crash", "unbuildable"}


def test_the_sweep_flags_leaks_crashes_and_routes_it_cannot_build(sweep_data):
    roles = [ANONYMOUS, Role.MSME_MEMBER.value]
    with override_settings(ROOT_URLCONF=LEAKY_URLCONF):
        clients = make_clients(sweep_data.own_tenant, roles)
        report = sweep(sweep_data, clients, urlconf=LEAKY_URLCONF, only=lambda r: r.name in SELFTEST_ROUTES)
    problems = "\n".join(report.problems)
    foreign_name = sweep_data.foreign[Widget][0].name
    # The detail view that reads through `unscoped`: 200 with B's id, and B's name in the body.
    assert re.search(
        r"GET /leaky/widgets/[0-9a-f-]+/ \[leaky-detail\] as msme_member: 200 for another tenant", problems
    )
    assert f"[leaky-detail] as msme_member: 200 response shows tenant B's ['{foreign_name}']" in problems
    # The list that shows every tenant's rows, in the body and in a Location header.
    assert "GET /leaky/widgets/ [leaky-list] as anonymous: 200 response shows tenant B's" in problems
    assert "[leaky-redirect] as msme_member: 302 response shows tenant B's" in problems
    assert "GET /crash/ [crash] as msme_member: server error 500" in problems
    assert "cannot build a URL for unbuildable" in problems
    # The scoped view passes, as every role, with every method.
    assert "[scoped-detail]" not in problems
    assert any(t.route.name == "scoped-detail" and t.foreign_values for t in report.targets)
    assert {route.name for route in report.routes} == SELFTEST_ROUTES
