"""The success stories' forms: the agency's story, and the public list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.countries import country_choices
from apps.core.forms import BootstrapFormMixin
from apps.guidance.topics import get_topic, localized, topic_slugs
from apps.registry.models import IpAsset, IsicCode
from apps.stories import rules

BLANK = [("", "---------")]


def sector_choices() -> list[tuple[str, str]]:
    sections = IsicCode.objects.filter(level=IsicCode.Level.SECTION).order_by("code").values_list("code", "title")
    return [(code, f"{code}: {title}") for code, title in sections]


def topic_choices() -> list[tuple[str, str]]:
    language = get_language() or "en"
    choices = []
    for slug in topic_slugs():
        topic = get_topic(slug)
        choices.append((slug, localized(topic.title, language)[0] if topic is not None else slug))
    return sorted(choices, key=lambda pair: pair[1].casefold())


class StoryForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=rules.TITLE_MAX)
    sector_section = forms.ChoiceField(label=_("Sector"))
    country = forms.ChoiceField(label=_("Country"))
    ip_used = forms.MultipleChoiceField(
        label=_("IP the business used"), choices=IpAsset.Type.choices, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label=_("Guidance topics it shows"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("The story is shown on these topics' pages."),
    )
    summary = forms.CharField(label=_("Summary"), max_length=rules.SUMMARY_MAX)
    body = forms.CharField(
        label=_("What the business did and what changed"),
        max_length=rules.BODY_MAX,
        widget=forms.Textarea({"rows": 8}),
        help_text=_("The problem, the IP it used, and the results: sales, exports, investment, jobs."),
    )
    msme_name = forms.CharField(
        label=_("Name the business"),
        max_length=rules.NAME_MAX,
        required=False,
        help_text=_("Only with the business's written consent; leave it empty to keep it anonymous."),
    )
    language = forms.ChoiceField(label=_("Language of the story"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector_section"].choices = BLANK + sector_choices()
        self.fields["country"].choices = BLANK + country_choices()
        self.fields["topics"].choices = topic_choices()
        if not self.is_bound:
            self.initial.setdefault("country", country)
            self.initial.setdefault("language", get_language())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            for name, problems in rules.story_errors(data).items():
                self.add_error(name if name in self.fields else None, problems)
        return data


class StoryFilterForm(BootstrapFormMixin, forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    ip = forms.ChoiceField(label=_("IP used"), required=False, choices=BLANK + list(IpAsset.Type.choices))
    topic = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = BLANK + sector_choices()
        self.fields["country"].choices = BLANK + country_choices()
        self.fields["topic"].choices = BLANK + topic_choices()
