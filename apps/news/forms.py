"""The staff's post form (the post's fields, then a title, summary and text per language) and the members'
comment form. What a valid post is lives in apps.news.rules; the services ask it, and the form shows its
answers beside the fields."""

from __future__ import annotations

from typing import Any

import pycountry
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin
from apps.news import rules
from apps.news.models import WIPO_REGIONS, Post
from apps.news.selectors import topic_choices
from apps.news.services import TEXT_FIELDS
from apps.registry.rules import subdivisions
from apps.tenants.models import Tenant


def language_name(code: str) -> str:
    names = dict(settings.LANGUAGES)
    if code in names:
        return str(names[code])
    language = pycountry.languages.get(alpha_2=code)
    return language.name if language else code


def region_choices(country: str) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", _("No particular region")), *WIPO_REGIONS]
    if country:
        choices += list(subdivisions(country))
    return choices


class PostForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Post.Kind.choices)
    topic = forms.ChoiceField(label=_("Topic"))
    region = forms.ChoiceField(label=_("Region"), required=False)
    closes_on = forms.DateField(
        label=_("Comments close on"),
        required=False,
        help_text=_("Consultations only: members comment until the end of this day."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    fallback_language = forms.ChoiceField(
        label=_("Fallback language"),
        help_text=_("Readers whose language the post is not written in read this one, with a note saying so."),
    )

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        self.languages = rules.post_languages(tenant.languages or [])
        self.country = tenant.country
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = topic_choices()
        self.fields["region"].choices = region_choices(tenant.country)
        self.fields["fallback_language"].choices = [(code, language_name(code)) for code in self.languages]
        for language in self.languages:
            name = language_name(language)
            self.fields[rules.text_field("title", language)] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name}, required=False, max_length=rules.TITLE_MAX
            )
            self.fields[rules.text_field("summary", language)] = forms.CharField(
                label=_("Summary (%(language)s)") % {"language": name},
                required=False,
                max_length=rules.SUMMARY_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[rules.text_field("body", language)] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": name},
                required=False,
                max_length=rules.BODY_MAX,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
            for key in TEXT_FIELDS:
                field = self.fields[rules.text_field(key, language)]
                field.widget.attrs["class"] = "form-control"
                field.widget.attrs["lang"] = language
                field.widget.attrs["dir"] = "auto"

    def language_blocks(self) -> list[dict[str, Any]]:
        """The per-language fields, grouped for the template."""
        return [
            {
                "code": language,
                "name": language_name(language),
                "fields": [self[rules.text_field(key, language)] for key in TEXT_FIELDS],
            }
            for language in self.languages
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        for name, problems in rules.post_errors(
            kind=data.get("kind", ""),
            topic=data.get("topic", ""),
            region=data.get("region", ""),
            closes_on=data.get("closes_on"),
            fallback_language=data.get("fallback_language", ""),
            texts=self.texts(),
            languages=self.languages,
            country=self.country,
        ).items():
            self.add_error(name if name in self.fields else None, problems)
        return data

    def texts(self) -> dict[str, dict[str, str]]:
        data = getattr(self, "cleaned_data", {})
        return {
            language: {key: data.get(rules.text_field(key, language), "") or "" for key in TEXT_FIELDS}
            for language in self.languages
        }

    def service_data(self) -> dict[str, Any]:
        return {
            "kind": self.cleaned_data["kind"],
            "topic": self.cleaned_data["topic"],
            "region": self.cleaned_data.get("region", ""),
            "closes_on": self.cleaned_data.get("closes_on"),
            "fallback_language": self.cleaned_data["fallback_language"],
            "texts": self.texts(),
        }


def post_initial(post: Post) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "kind": post.kind,
        "topic": post.topic,
        "region": post.region,
        "closes_on": post.closes_on,
        "fallback_language": post.fallback_language,
    }
    for text in post.texts.all():
        for key in TEXT_FIELDS:
            initial[rules.text_field(key, text.language)] = getattr(text, key)
    return initial


class CommentForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=rules.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Comments are shown once the agency has read them."),
    )
