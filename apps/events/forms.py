"""The events' forms: they parse the request; the rules and the services say what is valid."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin
from apps.events import rules
from apps.events.courses import course_choices
from apps.events.models import Event
from apps.guidance.topics import get_topic, localized, topic_slugs

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(available_timezones()) if "/" in name or name == "UTC"]


def topic_choices() -> list[tuple[str, str]]:
    language = get_language() or "en"
    choices = []
    for slug in topic_slugs():
        topic = get_topic(slug)
        choices.append((slug, localized(topic.title, language)[0] if topic is not None else slug))
    return sorted(choices, key=lambda pair: pair[1].casefold())


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's errors on the form: by field where the form has it, else for the whole form."""
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


class EventForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=rules.TITLE_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=rules.DESCRIPTION_MAX, widget=forms.Textarea({"rows": 5})
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"), help_text=_("The start and end are in this time zone, and shown in it.")
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_INPUT)
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("The link to join, for a webinar or a distance-learning course."),
    )
    course = forms.ChoiceField(
        label=_("Part of a course"),
        required=False,
        help_text=_("A session of a distance-learning course: its address becomes the online link."),
    )
    venue = forms.CharField(label=_("Venue"), required=False, max_length=200)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        max_value=rules.CAPACITY_MAX,
        help_text=_("Seats; empty for no limit. Registrations past it go to a waiting list."),
    )
    registration_open = forms.BooleanField(label=_("Registration open"), required=False, initial=True)
    topics = forms.MultipleChoiceField(
        label=_("Guidance topics"), required=False, widget=forms.SelectMultiple({"size": 6})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        self.fields["topics"].choices = topic_choices()
        self.fields["course"].choices = [("", "---------"), *course_choices()]

    @classmethod
    def initial_for(cls, event: Event) -> dict[str, Any]:
        zone = ZoneInfo(event.time_zone)
        initial = {name: getattr(event, name) for name in cls.base_fields if name != "course"}
        initial["starts_at"] = timezone.localtime(event.starts_at, zone).replace(tzinfo=None)
        initial["ends_at"] = timezone.localtime(event.ends_at, zone).replace(tzinfo=None)
        return initial

    def _in_zone(self, value: datetime | None) -> datetime | None:
        """The typed time, read in the event's time zone (the form field read it in the portal's)."""
        zone_name = self.cleaned_data.get("time_zone")
        if value is None or not zone_name:
            return value
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=ZoneInfo(zone_name))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("course") and not cleaned.get("online_url"):
            cleaned["online_url"] = cleaned["course"]
        for name in ("starts_at", "ends_at"):
            if name in cleaned:
                cleaned[name] = self._in_zone(cleaned[name])
        # The rules' messages for the fields that parsed, all at once (the service checks them again).
        problems = rules.event_errors(
            title=cleaned.get("title") or "",
            description=cleaned.get("description") or "",
            kind=cleaned.get("kind") or "",
            online_url=cleaned.get("online_url") or "",
            venue=cleaned.get("venue") or "",
            city=cleaned.get("city") or "",
            language=cleaned.get("language") or "",
            time_zone=cleaned.get("time_zone") or "",
            starts_at=cleaned.get("starts_at"),
            ends_at=cleaned.get("ends_at"),
            capacity=cleaned.get("capacity"),
            topics=list(cleaned.get("topics") or []),
            kinds=list(Event.Kind.values),
            topic_slugs=topic_slugs(),
        )
        for name, messages in problems.items():
            if name in self.fields and name not in self.errors and name in cleaned:
                self.add_error(name, messages)
        return cleaned


class RegisterOnBehalfForm(BootstrapFormMixin, forms.Form):
    registration_number = forms.CharField(
        label=_("MSME registration number"),
        max_length=64,
        help_text=_("As in the registry: the MSME registered on its behalf."),
    )
    name = forms.CharField(
        label=_("Who attends"),
        required=False,
        max_length=rules.NAME_MAX,
        help_text=_("Empty: the MSME's name."),
    )
    email = forms.EmailField(
        label=_("Their e-mail address"), required=False, help_text=_("Empty: the MSME's own address.")
    )


class FeedbackForm(BootstrapFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was it?"),
        choices=[(5, _("5 (excellent)")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 (poor)"))],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add?"),
        required=False,
        max_length=rules.COMMENT_MAX,
        widget=forms.Textarea({"rows": 4}),
    )
