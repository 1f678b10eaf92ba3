"""The signed per-MSME answer link of a survey, which needs no sign-in, and the "survey" link kind of
campaigns (registered in apps.surveys.apps).

The token holds the tenant, the survey and the MSME, signed with the portal's key and a salt of its own
(an unsubscribe token is no survey token), and expires after SURVEYS_LINK_MAX_AGE_DAYS. Whatever is wrong
with it (forged, expired, a survey or MSME that is gone), the answer page refuses it the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from apps.outreach.links import absolute_url
from apps.registry.models import Msme
from apps.surveys import selectors
from apps.surveys.models import Survey

SALT = "apps.surveys.answer-link"


@dataclass(frozen=True)
class AnswerToken:
    tenant_id: int
    survey_id: uuid.UUID
    msme_id: uuid.UUID


def answer_token(survey: Survey, msme: Msme) -> str:
    return signing.dumps([survey.tenant_id, survey.pk.hex, msme.pk.hex], salt=SALT, compress=True)


def read_token(token: str) -> AnswerToken | None:
    """The token's ids, or None when it is forged, damaged or expired."""
    max_age = settings.SURVEYS_LINK_MAX_AGE_DAYS * 24 * 3600
    try:
        tenant_id, survey_id, msme_id = signing.loads(token, salt=SALT, max_age=max_age)
        return AnswerToken(int(tenant_id), uuid.UUID(survey_id), uuid.UUID(msme_id))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def answer_url(survey: Survey, msme: Msme) -> str:
    """The absolute signed link at which `msme` answers `survey` without signing in."""
    return absolute_url(reverse("surveys:answer", args=[answer_token(survey, msme)]))


def preview_url(survey: Survey) -> str:
    """The absolute address of the survey's preview, for agency staff (a campaign's preview or test send)."""
    return absolute_url(reverse("surveys:preview", args=[survey.pk]))


def open_survey_choices() -> list[tuple[str, str]]:
    """The active tenant's open surveys, as a campaign's link choices."""
    return [(str(pk), title) for pk, title in selectors.open_surveys().values_list("pk", "title")[:200]]


def url_for(value: str, msme: Msme | None) -> str:
    """The link a campaign's message carries: `msme`'s signed link, or the preview when `msme` is None;
    "" when the survey is gone."""
    survey = _survey(value)
    if survey is None:
        return ""
    return preview_url(survey) if msme is None else answer_url(survey, msme)


def urls_for(value: str) -> Callable[[Any], str]:
    """`url_for(value, ·)` for a batch of MSMEs: the survey read once, each MSME's link signed for it."""
    survey = _survey(value)
    if survey is None:
        return _nothing
    # The answer URL reversed once, each MSME's token put in the place of this stand-in: a token is URL-safe
    # base64, ":" and ".", which reverse() writes as they are.
    before, after = absolute_url(reverse("surveys:answer", args=[_TOKEN_SLOT])).rsplit(_TOKEN_SLOT, 1)
    signer = signing.TimestampSigner(salt=SALT)
    head = [survey.tenant_id, survey.pk.hex]

    def url(msme: Any) -> str:
        if msme is None:
            return preview_url(survey)
        return f"{before}{signer.sign_object([*head, msme.pk.hex], compress=True)}{after}"

    return url


_TOKEN_SLOT = "TOKEN"


def _survey(value: str) -> Survey | None:
    try:
        return Survey.objects.filter(pk=uuid.UUID(str(value))).first()
    except ValueError:
        return None


def _nothing(msme: Any) -> str:
    return ""
