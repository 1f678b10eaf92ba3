"""Mentoring: an MSME asks for a mentor on bringing its IP to market; a mentor the agency registered accepts or
declines from a signed link (no account); accepted, each side gets the other's contact by e-mail.

The link names the request, its mentor and its tenant, and expires; a forged, altered, expired or reassigned
link reads as nothing (no oracle). Answering it enters the request's tenant, named by the link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.audit import snapshot
from apps.core.policies import Actor, can
from apps.outreach import outbox
from apps.outreach.links import absolute_url
from apps.programmes import rules
from apps.programmes.models import Mentor, MentoringRequest
from apps.registry.models import Msme
from apps.tenants import audit
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant

SALT = "programmes.mentoring"
MAX_AGE_SECONDS = 30 * 24 * 60 * 60  # a month to answer


@dataclass(frozen=True)
class AnswerClaim:
    tenant_id: int
    request_id: str
    mentor_id: str


def answer_token(request: MentoringRequest) -> str:
    return signing.dumps([request.tenant_id, str(request.pk), str(request.mentor_id)], salt=SALT, compress=True)


def read_answer_token(token: str) -> AnswerClaim | None:
    if len(token) > 400:
        return None
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 3 and isinstance(value[0], int)):
        return None
    return AnswerClaim(tenant_id=value[0], request_id=str(value[1]), mentor_id=str(value[2]))


def open_claim(claim: AnswerClaim) -> tuple[Tenant, MentoringRequest] | None:
    """The request a link names, in its tenant, if the link is still its mentor's; None otherwise. The caller
    works in the returned tenant (`tenant_context`)."""
    tenant = Tenant.objects.filter(pk=claim.tenant_id, is_active=True).first()
    if tenant is None:
        return None
    with tenant_context(tenant), transaction.atomic():
        request = MentoringRequest.objects.select_related("mentor", "msme").filter(pk=claim.request_id).first()
    if request is None or str(request.mentor_id) != claim.mentor_id:
        return None
    return tenant, request


def mentor_for(*, area: str, language: str) -> Mentor | None:
    """The agency's active mentor for the area who speaks the language (else any language), fewest requests
    in hand first."""
    mentors = [m for m in Mentor.objects.filter(is_active=True).order_by("created_at") if area in m.areas]
    speaking = [m for m in mentors if language in m.languages] or mentors
    if not speaking:
        return None
    busy = {
        m.pk: MentoringRequest.objects.filter(mentor=m, status=MentoringRequest.Status.WAITING).count()
        for m in speaking
    }
    return min(speaking, key=lambda m: busy[m.pk])


def _ask_mentor(request: MentoringRequest) -> None:
    """The mentor's e-mail with the signed link, in the request's language, written to the outbox."""
    mentor = request.mentor
    link = absolute_url(reverse("programmes:mentoring-answer", args=[answer_token(request)]))
    with translation.override(request.language):
        subject = _("An MSME asks for your mentoring: %(area)s") % {"area": request.get_area_display()}
        body = _(
            "%(msme)s asks for a mentor on: %(area)s.\n\n%(description)s\n\nAccept or decline here (no account "
            "needed): %(link)s\n\nIf you accept, you and the business get each other's contact."
        ) % {
            "msme": request.msme.name,
            "area": request.get_area_display(),
            "description": request.description,
            "link": link,
        }
    outbox.enqueue(
        [
            outbox.Message(
                key=f"mentoring:ask:{request.pk}:{mentor.pk}",
                channel="email",
                address=mentor.email,
                subject=subject,
                body=body,
                language=request.language,
            )
        ]
    )


@transaction.atomic
def request_mentor(
    *, actor: Actor, msme: Msme, area: str, description: str, language: str, mentor: Mentor | None = None
) -> MentoringRequest:
    """A member asks: the chosen mentor, else the best free one, gets the signed link; with none, the agency
    is left to find one."""
    if not can(actor, "programmes.send_request") or msme is None:
        raise PermissionDenied(_("Only members of a registered MSME can ask for a mentor."))
    errors = rules.mentoring_errors(area=area, description=description)
    if mentor is not None and (not mentor.is_active or area not in mentor.areas):
        errors["mentor"] = [_("This mentor does not take requests on this area.")]
    if errors:
        raise ValidationError(errors)
    mentor = mentor or mentor_for(area=area, language=language)
    request = MentoringRequest.objects.create(
        msme=msme,
        requester=actor.user,
        area=area,
        description=description.strip(),
        language=language,
        mentor=mentor,
        status=MentoringRequest.Status.WAITING if mentor else MentoringRequest.Status.UNASSIGNED,
    )
    audit.record(instance=request, action="create", actor=actor.user, changes=snapshot(request))
    if mentor is not None:
        _ask_mentor(request)
    return request


@transaction.atomic
def assign_mentor(*, actor: Actor, request: MentoringRequest, mentor: Mentor) -> MentoringRequest:
    """Agency staff give a waiting or declined request to a mentor (the earlier link stops working)."""
    if not can(actor, "programmes.manage_mentoring"):
        raise PermissionDenied(_("Only agency staff assign mentors."))
    if request.status == MentoringRequest.Status.ACCEPTED:
        raise ValidationError({"mentor": [_("This request has its mentor already.")]})
    if not mentor.is_active:
        raise ValidationError({"mentor": [_("This mentor does not take requests now.")]})
    request.mentor = mentor
    request.status = MentoringRequest.Status.WAITING
    request.answered_at = None
    request.save()
    audit.record(instance=request, action="update", actor=actor.user, changes={"mentor": str(mentor.pk)})
    _ask_mentor(request)
    return request


@transaction.atomic
def answer(*, request: MentoringRequest, accept: bool) -> MentoringRequest:
    """The mentor's answer from the link (in the request's tenant). Accepted: each side is e-mailed the other's
    contact."""
    if request.status != MentoringRequest.Status.WAITING:
        raise ValidationError({"status": [_("This request was answered already.")]})
    request.status = MentoringRequest.Status.ACCEPTED if accept else MentoringRequest.Status.DECLINED
    request.answered_at = timezone.now()
    request.save()
    audit.record(instance=request, action="update", actor=None, changes={"status": request.status})
    if accept:
        mentor, msme, requester = request.mentor, request.msme, request.requester
        msme_contact = ", ".join(
            part
            for part in (getattr(requester, "full_name", ""), msme.name, getattr(requester, "email", ""), msme.phone)
            if part
        )
        with translation.override(request.language):
            to_msme = _("%(mentor)s accepted to mentor you on: %(area)s. Write to them: %(email)s") % {
                "mentor": mentor.name,
                "area": request.get_area_display(),
                "email": mentor.email,
            }
            to_mentor = _("Thank you. The business's contact: %(contact)s") % {"contact": msme_contact}
            subject = _("Mentoring: you are in touch")
        messages = [
            outbox.Message(
                key=f"mentoring:accepted:{request.pk}:mentor",
                channel="email",
                address=mentor.email,
                subject=subject,
                body=to_mentor,
                language=request.language,
            )
        ]
        if requester is not None and requester.email:
            messages.append(
                outbox.Message(
                    key=f"mentoring:accepted:{request.pk}:msme",
                    channel="email",
                    address=requester.email,
                    subject=subject,
                    body=to_msme,
                    language=request.language,
                )
            )
        outbox.enqueue(messages)
    return request


@transaction.atomic
def mentor_create(*, actor: Actor, data: dict[str, Any]) -> Mentor:
    if not can(actor, "programmes.manage_mentoring"):
        raise PermissionDenied(_("Only agency staff register mentors."))
    errors = rules.mentor_errors(data)
    if errors:
        raise ValidationError(errors)
    mentor = Mentor.objects.create(**data)
    audit.record(instance=mentor, action="create", actor=actor.user, changes=snapshot(mentor))
    return mentor
