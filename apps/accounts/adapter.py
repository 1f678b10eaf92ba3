"""How allauth writes to users: in the user's language, as a branded HTML e-mail beside the text one."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpRequest, HttpResponseBase
from django.template.loader import render_to_string
from django.utils import translation

from apps.accounts.mail import SendLater
from apps.accounts.services import language_for_email

BRANDED_HTML_TEMPLATE = "account/email/branded_message.html"


class PortalAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # A user who chose a language reads their e-mails in it, whatever the language of the page that
        # sent them (an agency clerk's page, a password reset asked for in another browser).
        language = language_for_email(email, translation.get_language() or settings.LANGUAGE_CODE)
        # Rendered here, sent by a worker (apps.accounts.mail): the page never waits on the mail server.
        self._send_later = True
        try:
            with translation.override(language):
                super().send_mail(template_prefix, email, context)
        finally:
            self._send_later = False

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        message = super().render_mail(template_prefix, email, context, headers)
        if isinstance(message, EmailMultiAlternatives) and not message.alternatives:
            language = translation.get_language() or settings.LANGUAGE_CODE
            html = render_to_string(
                BRANDED_HTML_TEMPLATE,
                {
                    "subject": message.subject,
                    "body": message.body,
                    "language": language,
                    "direction": "rtl" if translation.get_language_bidi() else "ltr",
                },
            )
            message.attach_alternative(html, "text/html")
        if getattr(self, "_send_later", False):
            return SendLater(message)  # type: ignore[return-value]  # what send_mail then sends: queued
        return message


def set_language_cookie(response: HttpResponseBase, language: str) -> None:
    """The cookie Django's LocaleMiddleware reads: the pages that follow are in `language`."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )


def remember_language_at_sign_in(
    sender: object, request: HttpRequest, response: HttpResponseBase | None = None, user: Any = None, **kwargs: Any
) -> None:
    """allauth's user_logged_in: the pages after sign-in are in the language the user chose in their profile."""
    language = getattr(user, "language", "")
    if language and response is not None and hasattr(response, "set_cookie"):
        set_language_cookie(response, language)
        translation.activate(language)
