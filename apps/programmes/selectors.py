"""The programmes' reads: the directories (public) and the requests, narrowed by the rules."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from apps.core import policies
from apps.core.countries import country_name
from apps.core.json_lists import with_value_in
from apps.core.policies import Actor
from apps.helpdesk.selectors import attachments_visible
from apps.programmes.models import Course, ProgrammeRequest, ResearchMember, Tisc

# A country's TISCs read to pick the nearest: far more than any country has (the Philippines has about 100).
MAX_TISCS_PER_COUNTRY = 2000


def tiscs(*, country: str = "", service: str = "", text: str = "") -> QuerySet[Tisc]:
    """The listed TISCs, by country and city; a service filters on the TISC's list of services."""
    queryset = Tisc.objects.filter(is_active=True).order_by("country", "city", "name")
    if country:
        queryset = queryset.filter(country=country.upper())
    if service:
        queryset = with_value_in(queryset, "services", service)
    if text.strip():
        words = text.strip()
        queryset = queryset.filter(
            Q(name__icontains=words) | Q(city__icontains=words) | Q(host_institution__icontains=words)
        )
    return queryset


def tisc_countries() -> list[tuple[str, str]]:
    """The countries with a listed TISC, by name in the active language."""
    codes = Tisc.objects.filter(is_active=True).values_list("country", flat=True).distinct()
    return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1].casefold())


def nearest_tisc(*, country: str, region: str = "") -> Tisc | None:
    """The TISC an MSME that picked none is sent to: one of its region (ISO 3166-2, as the registry has it),
    those answering through a helpdesk queue first; else its country's first that answers through a queue;
    else its country's first."""
    candidates = list(tiscs(country=country)[:MAX_TISCS_PER_COUNTRY])
    ranked = sorted(candidates, key=lambda tisc: (not (region and tisc.region == region), tisc.queue_id is None))
    return ranked[0] if ranked else None


def research_members(*, disease_area: str = "", offers: str = "") -> QuerySet[ResearchMember]:
    queryset = ResearchMember.objects.filter(is_active=True).order_by("name")
    if disease_area:
        queryset = with_value_in(queryset, "disease_areas", disease_area)
    if offers:
        queryset = with_value_in(queryset, "offers", offers)
    return queryset


def requests_visible(
    actor: Actor, *, rule: str = "programmes.view_request", programme: str = ""
) -> QuerySet[ProgrammeRequest]:
    queryset = ProgrammeRequest.objects.select_related("ticket", "tisc").order_by("-created_at", "id")
    if programme:
        queryset = queryset.filter(programme=programme)
    return policies.rows(actor, rule, queryset)


def request_files(request: ProgrammeRequest, *, internal: bool) -> Any:
    """The files on the request's ticket (a TISC's report): the public ones, or all for its agents."""
    return attachments_visible(None, internal=internal).filter(ticket_id=request.ticket_id).order_by("created_at")


def courses(*, language: str = "", level: str = "") -> QuerySet[Course]:
    queryset = Course.objects.filter(is_active=True).order_by("provider", "code", "title")
    if language:
        queryset = with_value_in(queryset, "languages", language)
    if level:
        queryset = queryset.filter(level=level)
    return queryset
