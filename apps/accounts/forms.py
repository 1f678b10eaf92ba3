from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

NEVER = "never"
DEFAULT_EXPIRY = "90"


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “CRM synchronisation”."),
    )
    expires_in = forms.ChoiceField(
        label=_("Expires"),
        choices=[("30", _("in 30 days")), ("90", _("in 90 days")), ("365", _("in a year")), (NEVER, _("never"))],
        initial=DEFAULT_EXPIRY,
        required=False,
        help_text=_("A token that expires limits the harm if its key leaks."),
    )

    def lifetime(self) -> timedelta | None:
        """How long the new token is valid; None: until revoked."""
        value = self.cleaned_data["expires_in"] or DEFAULT_EXPIRY
        return None if value == NEVER else timedelta(days=int(value))


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        required=False,
        help_text=_("How the portal and the people who answer you address you."),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("The language of my browser")), *settings.LANGUAGES],
        required=False,
        help_text=_("The language of the pages and of the e-mails the portal sends you."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
