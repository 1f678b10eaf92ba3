"""The networks that reach MSMEs: the intermediaries each agency lists for its country (public), and the
partnerships large businesses offer, which the agency brokers: an MSME asks for an introduction, consenting to
share its contact, and the agency introduces the two by e-mail, or says why not."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.audit import diff, snapshot
from apps.core.json_lists import with_value_in
from apps.core.policies import Actor, can
from apps.outreach import outbox
from apps.programmes import rules
from apps.programmes.models import Intermediary, PartnershipOffer, PartnershipRequest
from apps.registry.models import Msme
from apps.tenants import audit
from apps.tenants.context import unscoped

INTERMEDIARY_FIELDS = (
    "name",
    "kind",
    "city",
    "region",
    "sectors",
    "description",
    "email",
    "phone",
    "website",
    "is_listed",
)
OFFER_FIELDS = ("company", "kind", "description", "sectors", "contact_name", "contact_email", "is_open")


@contextmanager
def reading_directories() -> Iterator[None]:
    with unscoped("intermediaries: the listed ones of every agency are a public directory by country"):
        yield


def listed_intermediaries(*, country: str = "", kind: str = "", sector: str = "") -> QuerySet[Intermediary]:
    """Every agency's listed intermediaries with their agency's country; read them inside `reading_directories`."""
    with reading_directories():
        queryset = Intermediary.objects.filter(is_listed=True).select_related("tenant").order_by("name", "id")
    if country:
        queryset = queryset.filter(tenant__country=country.upper())
    if kind:
        queryset = queryset.filter(kind=kind)
    if sector:
        queryset = with_value_in(queryset, "sectors", sector)
    return queryset


def _check(actor: Actor, rule: str, message: str) -> None:
    if not can(actor, rule):
        raise PermissionDenied(message)


@transaction.atomic
def intermediary_save(*, actor: Actor, data: dict[str, Any], intermediary: Intermediary | None = None) -> Intermediary:
    _check(actor, "programmes.manage_network", _("Only agency staff keep the list of intermediaries."))
    # An update may name some fields only: the others keep their values.
    current = {name: getattr(intermediary, name) for name in INTERMEDIARY_FIELDS} if intermediary else {}
    values = {**current, **{name: data[name] for name in INTERMEDIARY_FIELDS if name in data}}
    errors = rules.intermediary_errors(values)
    if errors:
        raise ValidationError(errors)
    if intermediary is None:
        intermediary = Intermediary.objects.create(**values)
        audit.record(instance=intermediary, action="create", actor=actor.user, changes=snapshot(intermediary))
        return intermediary
    before = snapshot(intermediary)
    for name, value in values.items():
        setattr(intermediary, name, value)
    intermediary.save()
    audit.record(instance=intermediary, action="update", actor=actor.user, changes=diff(before, snapshot(intermediary)))
    return intermediary


@transaction.atomic
def offer_create(*, actor: Actor, data: dict[str, Any]) -> PartnershipOffer:
    _check(actor, "programmes.manage_network", _("Only agency staff post partnership offers."))
    values = {name: data[name] for name in OFFER_FIELDS if name in data}
    errors = rules.offer_errors(values)
    if errors:
        raise ValidationError(errors)
    offer = PartnershipOffer.objects.create(**values)
    audit.record(instance=offer, action="create", actor=actor.user, changes=snapshot(offer))
    return offer


@transaction.atomic
def ask_introduction(
    *, actor: Actor, offer: PartnershipOffer, msme: Msme, message: str, consent: bool
) -> PartnershipRequest:
    """A member asks the agency to introduce its MSME to the offer's company: only with its consent to share
    its contact with the company."""
    _check(actor, "programmes.send_request", _("Only members of a registered MSME ask for an introduction."))
    errors = rules.introduction_errors(message=message, consent=consent)
    if not offer.is_open:
        errors["offer"] = [_("This offer is closed.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            request = PartnershipRequest.objects.create(
                offer=offer, msme=msme, requester=actor.user, message=message.strip(), consented_at=timezone.now()
            )
    except IntegrityError as error:
        raise ValidationError({"offer": [_("Your business has asked about this offer already.")]}) from error
    audit.record(instance=request, action="create", actor=actor.user, changes={"offer": str(offer.pk)})
    return request


@transaction.atomic
def decide(*, actor: Actor, request: PartnershipRequest, introduce: bool, note: str = "") -> PartnershipRequest:
    """The agency introduces the MSME to the company (each is e-mailed the other's contact), or says why not."""
    _check(actor, "programmes.manage_network", _("Only agency staff introduce MSMEs to companies."))
    if request.status != PartnershipRequest.Status.REQUESTED:
        raise ValidationError({"status": [_("This request was answered already.")]})
    if not introduce and not note.strip():
        raise ValidationError({"note": [_("Say why, for the business.")]})
    before = snapshot(request)
    request.status = PartnershipRequest.Status.INTRODUCED if introduce else PartnershipRequest.Status.DECLINED
    request.note = note.strip()
    request.decided_at = timezone.now()
    request.save()
    audit.record(instance=request, action="update", actor=actor.user, changes=diff(before, snapshot(request)))
    if introduce:
        _introduce(request)
    return request


def _introduce(request: PartnershipRequest) -> None:
    offer, msme, requester = request.offer, request.msme, request.requester
    msme_contact = ", ".join(
        part
        for part in (getattr(requester, "full_name", ""), msme.name, getattr(requester, "email", ""), msme.phone)
        if part
    )
    # The MSME reads its e-mail in its preferred language (one the portal speaks); the company's is in the agent's.
    language = msme.preferred_language if msme.preferred_language in dict(settings.LANGUAGES) else "en"
    subject = _("An introduction: %(company)s and %(msme)s") % {"company": offer.company, "msme": msme.name}
    to_company = _(
        "%(msme)s would like to talk about your offer (%(kind)s). Their message: %(message)s\n\nContact: %(contact)s"
    ) % {"msme": msme.name, "kind": offer.get_kind_display(), "message": request.message, "contact": msme_contact}
    messages = [
        outbox.Message(
            key=f"partnership:introduced:{request.pk}:company",
            channel="email",
            address=offer.contact_email,
            subject=subject,
            body=to_company,
        )
    ]
    if requester is not None and requester.email:
        with translation.override(language):
            to_msme = _("You are introduced to %(company)s. Write to %(name)s: %(email)s") % {
                "company": offer.company,
                "name": offer.contact_name,
                "email": offer.contact_email,
            }
            subject_msme = _("An introduction: %(company)s and %(msme)s") % {
                "company": offer.company,
                "msme": msme.name,
            }
        messages.append(
            outbox.Message(
                key=f"partnership:introduced:{request.pk}:msme",
                channel="email",
                address=requester.email,
                subject=subject_msme,
                body=to_msme,
                language=language,
            )
        )
    outbox.enqueue(messages)
