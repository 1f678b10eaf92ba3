"""On sign-in, a visitor's assessment kept in the session is claimed for the MSME the user acts for."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

logger = logging.getLogger(__name__)


@receiver(user_logged_in, dispatch_uid="diagnostics-claim-on-login")
def claim_on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from apps.diagnostics.session import claim_session_assessment_for_user

    try:
        claim_session_assessment_for_user(request, user)
    except Exception:  # signing in must not fail because of the diagnostic; the result stays in the session
        logger.exception("could not attach the session's diagnostic to the user's MSME")
