"""A visitor's assessment kept in the session is claimed for the MSME the user acts for: on sign-in, and
when they register their own business (apps.registry.signals)."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from apps.diagnostics.session import claim_session_assessment, claim_session_assessment_for_user
from apps.registry.models import Msme
from apps.registry.signals import msme_self_registered

logger = logging.getLogger(__name__)


@receiver(user_logged_in, dispatch_uid="diagnostics-claim-on-login")
def claim_on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    try:
        claim_session_assessment_for_user(request, user)
    except Exception:  # signing in must not fail because of the diagnostic; the result stays in the session
        logger.exception("could not attach the session's diagnostic to the user's MSME")


@receiver(msme_self_registered, dispatch_uid="diagnostics-claim-on-self-registration")
def claim_on_self_registration(sender: Any, msme: Msme, request: HttpRequest, **kwargs: Any) -> None:
    # Inside the registration's transaction: a failure here undoes the registration, as when it was
    # called from the view.
    claim_session_assessment(request, msme)
