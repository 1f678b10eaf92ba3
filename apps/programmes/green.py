"""WIPO GREEN on the portal: MSMEs list green technologies and post needs, the portal matches them, and an
expression of interest becomes a connection that both sides accept before either sees the other's contact.

The exchange crosses agencies: a published listing's public fields are read from every tenant (the escape hatch,
with its reason), and a connection is kept in the technology's tenant with the seeker's side by id. A member
acts only for its own MSME; what is written in another agency's tenant (a seeker's interest, a seeker's
acceptance) is written in that tenant's scope by the services below, never by a view.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import snapshot
from apps.core.countries import country_name
from apps.core.json_lists import with_value_in
from apps.core.policies import Actor, can
from apps.programmes import rules
from apps.programmes.models import (
    GREEN_STAGE_ORDER,
    GreenCategory,
    GreenConnection,
    GreenNeed,
    GreenStage,
    GreenTechnology,
    GreenTechnologyAsset,
)
from apps.registry.models import IpAsset, Msme, MsmeMember
from apps.tenants import audit
from apps.tenants.context import tenant_context, unscoped
from apps.tenants.models import Tenant

# Points of a match: the same field weighs most; shared keywords, availability where the need is and a stage
# far enough add to it. A pair under MIN_SCORE is not shown.
CATEGORY_POINTS = 40
KEYWORD_POINTS = 10  # per shared keyword
KEYWORD_POINTS_MAX = 30
COUNTRY_POINTS = 20
STAGE_POINTS = 10
MIN_SCORE = 40
MATCHES_SHOWN = 10
# Read at most this many published listings to match one: the newest of the same field first.
MAX_CANDIDATES = 2000
STOPWORDS = frozenset(
    [
        "with",
        "from",
        "that",
        "this",
        "have",
        "will",
        "into",
        "their",
        "about",
        "other",
        "using",
        "used",
        "uses",
        "based",
        "small",
        "large",
        "more",
        "less",
        "than",
        "also",
        "only",
        "very",
        "each",
        "such",
        "like",
        "over",
        "under",
        "where",
        "when",
        "which",
        "what",
        "while",
        "your",
        "ours",
        "they",
        "them",
    ]
)


def keywords_of(*texts: str) -> set[str]:
    """The words a listing is matched on: its keywords and title, lowercased, four letters or more."""
    words = set()
    for text in texts:
        words |= {word for word in re.findall(r"[^\W\d_]{4,}", text.casefold()) if word not in STOPWORDS}
    return words


@dataclass
class Match:
    score: int
    reasons: list[str] = field(default_factory=list)


def match(need: GreenNeed, technology: GreenTechnology) -> Match:
    """How well `technology` answers `need`, from 0 to 100, with the reasons in the active language."""
    found = Match(0)
    if technology.category == need.category:
        found.score += CATEGORY_POINTS
        found.reasons.append(_("Same field: %(field)s") % {"field": GreenCategory(need.category).label})
    shared = sorted(keywords_of(need.keywords, need.title) & keywords_of(technology.keywords, technology.title))
    if shared:
        found.score += min(KEYWORD_POINTS_MAX, KEYWORD_POINTS * len(shared))
        found.reasons.append(_("Shared keywords: %(words)s") % {"words": ", ".join(shared)})
    if not technology.countries:
        found.score += COUNTRY_POINTS
        found.reasons.append(_("Offered in every country"))
    else:
        where = [code for code in need.countries if code in technology.countries]
        if where or not need.countries:
            found.score += COUNTRY_POINTS
            if where:
                names = ", ".join(country_name(code) for code in where)
                found.reasons.append(_("Offered where it is needed: %(countries)s") % {"countries": names})
    if GREEN_STAGE_ORDER.index(technology.stage) >= GREEN_STAGE_ORDER.index(need.min_stage):
        found.score += STAGE_POINTS
        found.reasons.append(_("Far enough: %(stage)s") % {"stage": GreenStage(technology.stage).label})
    return found


def _candidates(queryset: QuerySet, category: str) -> list[Any]:
    same = list(queryset.filter(category=category).order_by("-created_at")[:MAX_CANDIDATES])
    rest = MAX_CANDIDATES - len(same)
    others = list(queryset.exclude(category=category).order_by("-created_at")[:rest]) if rest > 0 else []
    return same + others


def matches_for_need(need: GreenNeed, *, limit: int = MATCHES_SHOWN) -> list[tuple[GreenTechnology, Match]]:
    """The published technologies of every agency that answer `need` best, its own MSME's left out."""
    with unscoped("WIPO GREEN: a need is matched against the published technologies of every agency"):
        pool = GreenTechnology.objects.filter(is_published=True).exclude(msme_id=need.msme_id)
        scored = [(technology, match(need, technology)) for technology in _candidates(pool, need.category)]
    kept = [(technology, found) for technology, found in scored if found.score >= MIN_SCORE]
    return sorted(kept, key=lambda pair: (-pair[1].score, -pair[0].created_at.timestamp()))[:limit]


def matches_for_technology(technology: GreenTechnology, *, limit: int = MATCHES_SHOWN) -> list[tuple[GreenNeed, Match]]:
    """The published needs of every agency that `technology` answers best, its own MSME's left out."""
    with unscoped("WIPO GREEN: a technology is matched against the published needs of every agency"):
        pool = GreenNeed.objects.filter(is_published=True).exclude(msme_id=technology.msme_id)
        scored = [(need, match(need, technology)) for need in _candidates(pool, technology.category)]
    kept = [(need, found) for need, found in scored if found.score >= MIN_SCORE]
    return sorted(kept, key=lambda pair: (-pair[1].score, -pair[0].created_at.timestamp()))[:limit]


# --- The exchange's public reads ------------------------------------------------------------------


def published_technologies(*, category: str = "", country: str = "", text: str = "") -> QuerySet[GreenTechnology]:
    """Every agency's published technologies (their public fields only are shown), newest first; read them with
    `public_page`."""
    return _published(GreenTechnology, category=category, country=country, text=text)


def published_needs(*, category: str = "", country: str = "", text: str = "") -> QuerySet[GreenNeed]:
    return _published(GreenNeed, category=category, country=country, text=text)


def _published(model: type, *, category: str, country: str, text: str) -> QuerySet:
    # Built without the tenant's filter; `public_page` reads it, inside the escape hatch too.
    with unscoped("WIPO GREEN: the exchange lists every agency's published listings"):
        queryset = model.objects.filter(is_published=True).order_by("-created_at", "id")
    if category:
        queryset = queryset.filter(category=category)
    if country:
        queryset = with_value_in(queryset, "countries", country.upper())
    if text.strip():
        queryset = queryset.filter(Q(title__icontains=text.strip()) | Q(keywords__icontains=text.strip()))
    return queryset


@contextmanager
def reading_the_exchange() -> Iterator[None]:
    """Read published listings of every agency (a page of them, its count)."""
    with unscoped("WIPO GREEN: the exchange shows every agency's published listings"):
        yield


def public_page(paginator: Any, number: Any) -> Any:
    """A page of published listings of every agency (the paginator's query and count)."""
    with reading_the_exchange():
        return paginator.get_page(number)


def public_listing(model: type, pk: Any, *, actor: Actor) -> Any:
    """A listing as its page shows it: published ones to everyone; a draft to its own MSME's members only."""
    try:
        pk = uuid.UUID(str(pk))
    except ValueError:
        return None
    with unscoped("WIPO GREEN: a published listing's page is public, whichever agency it belongs to"):
        listing = model.objects.filter(pk=pk).first()
    if listing is None:
        return None
    if listing.is_published or _member_of(actor, listing.msme_id, listing.tenant_id):
        return listing
    return None


# --- Who acts for which MSME ----------------------------------------------------------------------


def _member_of(actor: Actor, msme_id: Any, tenant_id: Any) -> bool:
    if not can(actor, "programmes.use_green") or actor.tenant.pk != tenant_id:
        return False
    return MsmeMember.objects.filter(msme_id=msme_id, user_id=actor.user.pk).exists()


def own_msme_ids(actor: Actor) -> list[Any]:
    if not can(actor, "programmes.use_green"):
        return []
    return list(MsmeMember.objects.filter(user_id=actor.user.pk).values_list("msme_id", flat=True))


def _contact(actor: Actor, msme: Msme) -> str:
    user = actor.user
    parts = [getattr(user, "full_name", "") or user.get_username(), msme.name, user.email, msme.phone]
    return ", ".join(part for part in parts if part)[:400]


# --- Listing --------------------------------------------------------------------------------------


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _check_member(actor: Actor, msme: Msme) -> None:
    if msme is None or not _member_of(actor, msme.pk, msme.tenant_id):
        raise PermissionDenied(_("Only the MSME's members list its technologies and needs."))


def ip_held_text(assets: Iterable[IpAsset]) -> str:
    """The IP a listing names, written from the register's assets."""
    lines = []
    for asset in assets:
        number = asset.registration_number or asset.application_number
        label = f"{asset.get_asset_type_display()}: {asset.title} ({asset.jurisdiction}"
        lines.append(f"{label}{', ' + number if number else ''}, {asset.get_status_display()})")
    return "\n".join(lines)[: rules.IP_HELD_MAX]


@transaction.atomic
def technology_create(
    *, actor: Actor, msme: Msme, data: dict[str, Any], assets: Iterable[IpAsset] = ()
) -> GreenTechnology:
    _check_member(actor, msme)
    assets = [asset for asset in assets if asset.msme_id == msme.pk]
    values = {**data}
    if not values.get("ip_held"):
        values["ip_held"] = ip_held_text(assets)
    _raise(rules.green_errors(values, technology=True))
    technology = GreenTechnology.objects.create(msme=msme, **values)
    GreenTechnologyAsset.objects.bulk_create([GreenTechnologyAsset(technology=technology, asset=a) for a in assets])
    audit.record(instance=technology, action="create", actor=actor.user, changes=snapshot(technology))
    return technology


@transaction.atomic
def need_create(*, actor: Actor, msme: Msme, data: dict[str, Any]) -> GreenNeed:
    _check_member(actor, msme)
    _raise(rules.green_errors(data, technology=False))
    need = GreenNeed.objects.create(msme=msme, **data)
    audit.record(instance=need, action="create", actor=actor.user, changes=snapshot(need))
    return need


@transaction.atomic
def listing_publish(*, actor: Actor, listing: Any, published: bool) -> Any:
    """Show a listing on the exchange, or take it off (its connections stay)."""
    _check_member(actor, listing.msme)
    listing.is_published = published
    listing.save(update_fields=["is_published", "updated_at"])
    audit.record(
        instance=listing, action="update", actor=actor.user, changes={"is_published": [not published, published]}
    )
    return listing


# --- Connections ----------------------------------------------------------------------------------


@transaction.atomic
def express_interest(
    *, actor: Actor, technology: GreenTechnology, msme: Msme, need: GreenNeed | None = None, message: str = ""
) -> GreenConnection:
    """A seeker (a member of `msme`, of any agency) asks to be introduced to `technology`'s MSME. Expressing
    interest is the seeker's consent: its contact is shown to the provider once the provider accepts."""
    _check_member(actor, msme)
    if technology.msme_id == msme.pk:
        raise ValidationError({"technology": [_("This is your own technology.")]})
    if need is not None and need.msme_id != msme.pk:
        raise ValidationError({"need": [_("Pick one of your own needs.")]})
    _raise(rules.message_errors(message))
    found = match(need, technology) if need is not None else Match(0)
    values = {
        "seeker_tenant_id": msme.tenant_id,
        "seeker_user_id": actor.user.pk,
        "seeker_need_id": need.pk if need else None,
        "seeker_name": msme.name,
        "seeker_contact": _contact(actor, msme),
        "message": message.strip(),
        "initiated_by": "seeker",
        "score": found.score,
        "reasons": found.reasons,
        "seeker_accepted_at": timezone.now(),
    }
    return _propose(technology, msme.pk, values, actor)


@transaction.atomic
def offer_technology(
    *, actor: Actor, technology: GreenTechnology, need: GreenNeed, message: str = ""
) -> GreenConnection:
    """A provider (a member of the technology's MSME) answers a need of any agency. Offering is the provider's
    consent; the need's MSME is named to the provider only once it accepts."""
    _check_member(actor, technology.msme)
    if need.msme_id == technology.msme_id:
        raise ValidationError({"need": [_("This is your own need.")]})
    _raise(rules.message_errors(message))
    found = match(need, technology)
    values = {
        "seeker_tenant_id": need.tenant_id,
        "seeker_user_id": None,
        "seeker_need_id": need.pk,
        "seeker_name": "",
        "seeker_contact": "",
        "provider_contact": _contact(actor, technology.msme),
        "message": message.strip(),
        "initiated_by": "provider",
        "score": found.score,
        "reasons": found.reasons,
        "provider_accepted_at": timezone.now(),
    }
    return _propose(technology, need.msme_id, values, actor)


def _propose(technology: GreenTechnology, seeker_msme_id: Any, values: dict[str, Any], actor: Actor) -> GreenConnection:
    with tenant_context(Tenant.objects.get(pk=technology.tenant_id)):
        if GreenConnection.objects.filter(technology=technology, seeker_msme_id=seeker_msme_id).exists():
            raise ValidationError({"technology": [_("You are already in touch about this technology.")]})
        connection = GreenConnection.objects.create(technology=technology, seeker_msme_id=seeker_msme_id, **values)
        audit.record(instance=connection, action="create", actor=actor.user, changes={"state": connection.state})
    return connection


def connections_of(actor: Actor) -> tuple[list[GreenConnection], list[GreenConnection]]:
    """The member's connections: as the provider (its MSMEs' technologies), and as the seeker (kept in the
    technologies' tenants, found by its MSMEs' ids)."""
    ids = own_msme_ids(actor)
    if not ids:
        return [], []
    provided = list(
        GreenConnection.objects.filter(technology__msme_id__in=ids).select_related("technology").order_by("-created_at")
    )
    with unscoped("WIPO GREEN: a seeker's connections are kept in the tenants of the technologies it asked about"):
        sought = list(
            GreenConnection.objects.filter(seeker_msme_id__in=ids, seeker_tenant_id=actor.tenant.pk)
            .select_related("technology")
            .order_by("-created_at")
        )
    return provided, sought


def side_of(actor: Actor, connection: GreenConnection) -> str:
    """ "provider", "seeker" or "" for the actor."""
    ids = set(own_msme_ids(actor))
    if connection.tenant_id == actor.tenant.pk and connection.technology.msme_id in ids:
        return "provider"
    if connection.seeker_tenant_id == actor.tenant.pk and connection.seeker_msme_id in ids:
        return "seeker"
    return ""


def connection_for(actor: Actor, pk: Any) -> GreenConnection | None:
    """A connection the actor is a side of, whichever tenant keeps it; None otherwise."""
    if not own_msme_ids(actor):
        return None
    with unscoped("WIPO GREEN: a connection is kept in the technology's tenant and read by both its sides"):
        connection = GreenConnection.objects.select_related("technology__msme").filter(pk=pk).first()
    if connection is None or not side_of(actor, connection):
        return None
    return connection


@transaction.atomic
def connection_answer(*, actor: Actor, connection: GreenConnection, accept: bool) -> GreenConnection:
    """The side that has not accepted yet accepts (its contact goes on the connection) or declines."""
    side = side_of(actor, connection)
    if not side or connection.state != GreenConnection.State.PROPOSED:
        raise PermissionDenied(_("This introduction is not yours to answer."))
    accepted_field = f"{side}_accepted_at"
    if getattr(connection, accepted_field) is not None and accept:
        raise ValidationError({"state": [_("You have accepted already: the other side has not answered yet.")]})
    # The seeker's MSME is read in the seeker's own tenant, before entering the technology's.
    seeker_msme = Msme.objects.get(pk=connection.seeker_msme_id) if side == "seeker" else None
    with tenant_context(Tenant.objects.get(pk=connection.tenant_id)):
        if not accept:
            connection.state = GreenConnection.State.DECLINED
        else:
            setattr(connection, accepted_field, timezone.now())
            if seeker_msme is not None:
                connection.seeker_user_id = actor.user.pk
                connection.seeker_name = seeker_msme.name
                connection.seeker_contact = _contact(actor, seeker_msme)
            else:
                connection.provider_contact = _contact(actor, connection.technology.msme)
            if connection.seeker_accepted_at and connection.provider_accepted_at:
                connection.state = GreenConnection.State.CONNECTED
        connection.save()
        audit.record(
            instance=connection, action="update", actor=actor.user, changes={"state": connection.state, "side": side}
        )
    return connection


def contact_shown(actor: Actor, connection: GreenConnection) -> str:
    """The other side's contact, once both accepted; nothing before."""
    if not connection.is_connected:
        return ""
    side = side_of(actor, connection)
    return connection.provider_contact if side == "seeker" else connection.seeker_contact if side == "provider" else ""
