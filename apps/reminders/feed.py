"""A member's calendar feed: their MSME's deadlines as an iCalendar file, at a secret address.

A calendar app fetches it with no session, so the address is the credential: its token names the row (by id)
and carries a secret whose hash the row keeps. The row is found across tenants by its primary key (the only
cross-tenant read), then everything else is read in the row's own tenant. An unknown, malformed, revoked or
orphaned token is the same 404 as any other: nothing tells them apart.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.ics import CalendarEntry, calendar
from apps.outreach.recipients import msme_language
from apps.registry.deadlines import Deadline, deadlines_for_assets
from apps.registry.models import IpAsset, Msme
from apps.reminders import messages, tokens
from apps.reminders.models import CalendarToken
from apps.tenants.context import tenant_context, unscoped

# How often a fetch is written down as the address's last use (a calendar app polls every few minutes).
LAST_USED_EVERY = timedelta(hours=1)
CACHE_CONTROL = "private, no-cache"  # kept by the member's own app only, and checked again (ETag) each time


def _token_for(token: str) -> CalendarToken | None:
    parts = tokens.split(token)
    if parts is None:
        tokens.hash_secret(token)  # the same work as for a well-formed one
        return None
    token_id, secret = parts
    with unscoped("calendar feed: the tenant of the address's token, by its id (a primary key read)"):
        found = (
            CalendarToken.objects.select_related("tenant")
            .filter(pk=token_id, revoked_at__isnull=True, tenant__is_active=True)
            .first()
        )
    if found is None:
        tokens.hash_secret(secret)
        return None
    return found if tokens.matches(secret, found.secret_hash) else None


def uid(deadline: Deadline) -> str:
    """Stable for one deadline (an asset's renewal due on one date): a refetch updates, never duplicates it."""
    host = urlsplit(settings.PORTAL_URL).hostname or "portal"
    return f"deadline-{deadline.asset_id}-{deadline.kind}-{deadline.due:%Y%m%d}@{host}"


def entries(msme: Msme, deadlines: list[Deadline]) -> list[CalendarEntry]:
    return [
        CalendarEntry(
            uid=uid(deadline),
            summary=f"{deadline.label}: {deadline.asset_title}",
            start=deadline.due,
            description=_(
                "%(deadline)s for “%(asset)s” (%(msme)s). Worked out from the dates in the IP asset register: "
                "check it with the IP office before you file or pay."
            )
            % {"deadline": deadline.label, "asset": deadline.asset_title, "msme": msme.name},
            url=messages.asset_url(msme.pk, deadline.asset_id),
        )
        for deadline in deadlines
    ]


def _etag(token: CalendarToken, msme: Msme, language: str, today: date) -> str:
    """Changes with anything the feed shows: the day (deadlines roll over), the assets, the MSME's name and
    language. One aggregate query, so an unchanged feed costs no more than that."""
    assets = IpAsset.objects.filter(msme=msme).aggregate(count=Count("pk"), changed=Max("updated_at"))
    parts = [token.pk, msme.pk, msme.name, language, today, assets["count"], assets["changed"]]
    return '"' + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32] + '"'


def _not_modified(request: HttpRequest, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    return etag in {value.strip().removeprefix("W/") for value in wanted.split(",")} or wanted.strip() == "*"


def answer(request: HttpRequest, token: str) -> HttpResponse:
    found = _token_for(token)
    if found is None:
        raise Http404()
    with tenant_context(found.tenant):
        token_row = CalendarToken.objects.select_related("member__msme", "member__user").filter(pk=found.pk).first()
        if token_row is None:  # revoked or gone since the look-up
            raise Http404()
        member = token_row.member
        if not member.user.is_active or member.msme.erased_at is not None:
            raise Http404()
        msme = member.msme
        language = msme_language(msme, found.tenant)
        today = timezone.localdate()
        etag = _etag(token_row, msme, language, today)
        if token_row.last_used_at is None or token_row.last_used_at < timezone.now() - LAST_USED_EVERY:
            CalendarToken.objects.filter(pk=token_row.pk).update(last_used_at=timezone.now())
        if _not_modified(request, etag):
            response: HttpResponse = HttpResponseNotModified()
        else:
            with translation.override(language):
                deadlines = deadlines_for_assets(IpAsset.objects.filter(msme=msme), today=today)
                body = calendar(
                    entries(msme, deadlines),
                    name=_("IP deadlines of %(msme)s") % {"msme": msme.name},
                    # The day, not the second: the same feed is the same bytes all day (DTSTAMP).
                    now=datetime.combine(today, time.min, tzinfo=UTC),
                )
            response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
            response["Content-Disposition"] = 'inline; filename="ip-deadlines.ics"'
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
