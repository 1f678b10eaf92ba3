"""The campaign form and its message per language (a formset): thin adapters of apps.outreach.rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from apps.core.forms import BootstrapFormMixin
from apps.outreach import rules
from apps.outreach.languages import language_choices, language_name, message_language
from apps.outreach.links import link_kinds
from apps.outreach.models import Campaign, Segment
from apps.registry import rules as registry_rules
from apps.tenants.models import Tenant

LINK_SEPARATOR = ":"


def link_choices() -> list[tuple[Any, Any]]:
    """One select for kind and target: '' or '<kind>:<value>', grouped by kind (no script needed)."""
    groups: list[tuple[Any, Any]] = [("", gettext_lazy("No link"))]
    for kind in link_kinds():
        options = [(f"{kind.key}{LINK_SEPARATOR}{value}", label) for value, label in kind.choices()]
        if options:
            groups.append((str(kind.label), options))
    return groups


class CampaignForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=160)
    segment = forms.ModelChoiceField(
        label=gettext_lazy("Segment"),
        queryset=Segment.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every MSME of the registry"),
    )
    fallback_language = forms.ChoiceField(
        label=gettext_lazy("Fallback language"),
        choices=settings.LANGUAGES,
        help_text=gettext_lazy("For MSMEs whose language has no message."),
    )
    link = forms.ChoiceField(label=gettext_lazy("Link to"), required=False, help_text=gettext_lazy("Fills {link}."))
    scheduled_for = forms.DateTimeField(
        label=gettext_lazy("Send at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("Empty: a draft, sent when you press Send."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = Segment.objects.order_by("name")
        self.fields["link"].choices = link_choices()

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        kind, _sep, value = (data.pop("link") or "").partition(LINK_SEPARATOR)
        return {**data, "link_kind": kind, "link_value": value}


def campaign_initial(campaign: Campaign) -> dict[str, Any]:
    link = f"{campaign.link_kind}{LINK_SEPARATOR}{campaign.link_value}" if campaign.link_kind else ""
    return {
        "name": campaign.name,
        "segment": campaign.segment_id,
        "fallback_language": campaign.fallback_language,
        "link": link,
        "scheduled_for": campaign.scheduled_for,
    }


class MessageForm(BootstrapFormMixin, forms.Form):
    """The message in one language; left blank, that language has none. The formset's last form has no
    language yet: its language is chosen from every one the registry accepts."""

    language = forms.CharField(label=gettext_lazy("Language"), required=False, widget=forms.HiddenInput)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=rules.SUBJECT_MAX, required=False)
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=rules.BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Placeholders: {msme} (the MSME's name), {link}, {agency}."),
    )
    short_text = forms.CharField(
        label=gettext_lazy("SMS and WhatsApp text"),
        max_length=rules.SHORT_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Empty: the message, cut short."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.initial.get("language"):
            self.fields["language"].widget = forms.Select(
                choices=[("", "—"), *language_choices()], attrs={"class": "form-select"}
            )

    def clean_language(self) -> str:
        # The registry's rule and words: a message may be in any language an MSME may prefer.
        value = (self.cleaned_data.get("language") or "").strip()
        if value and message_language(value) is None:
            raise forms.ValidationError(registry_rules.language_error(value) or "")
        return value.lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("body") and not data.get("language"):
            self.add_error("language", gettext_lazy("Pick a language from the list."))
        if (data.get("subject") or data.get("short_text")) and not data.get("body"):
            self.add_error("body", gettext_lazy("Write the message, or leave this language empty."))
        if data.get("body") and not data.get("subject"):
            self.add_error("subject", gettext_lazy("Write the subject, or leave this language empty."))
        return data

    @property
    def language_name(self) -> str:
        code = self.initial.get("language")
        return language_name(code) if code else str(gettext_lazy("Another language"))

    def is_written(self) -> bool:
        return bool(self.cleaned_data.get("body"))


# A message per language the registry accepts at most (and one more form, the empty "another language" one).
MessageFormSet = forms.formset_factory(
    MessageForm,
    extra=1,
    max_num=len(registry_rules.LANGUAGES) + 1,
    absolute_max=len(registry_rules.LANGUAGES) + 1,
    validate_max=True,
)


def _shown_languages(campaign: Campaign | None, tenant: Tenant | None) -> list[str]:
    """A form each for the portal's languages, the agency's (Swahili, say) and those the campaign has."""
    codes = [code for code, _name in settings.LANGUAGES]
    codes += [message_language(code) or "" for code in (tenant.languages or [] if tenant is not None else [])]
    if campaign is not None:
        codes += [m.language for m in campaign.messages.all()]
    return list(dict.fromkeys(code for code in codes if code))


def message_formset(data: Any = None, *, campaign: Campaign | None = None, tenant: Tenant | None = None) -> Any:
    """A form per language shown, filled from the campaign's messages, and one for another language."""
    existing = {m.language: m for m in campaign.messages.all()} if campaign else {}
    initial = []
    for code in _shown_languages(campaign, tenant):
        message = existing.get(code)
        values = {"language": code}
        if message is not None:
            values.update({"subject": message.subject, "body": message.body, "short_text": message.short_text})
        initial.append(values)
    return MessageFormSet(data, initial=initial, prefix="messages", form_kwargs={"empty_permitted": True})


def written_messages(formset: Any) -> list[dict[str, Any]]:
    return [
        {name: form.cleaned_data.get(name, "") for name in ("language", "subject", "body", "short_text")}
        for form in formset.forms
        if form.cleaned_data and form.is_written()
    ]
