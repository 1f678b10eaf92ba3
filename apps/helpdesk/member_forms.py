"""The MSME's forms: a new ticket, a reply, a rating. Their checks are the rules' (apps.helpdesk.rules) and
the uploads' (apps.helpdesk.uploads), so a page says what the service and the API say."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from apps.core.forms import BootstrapFormMixin
from apps.guidance.topics import all_topics, localized, topic_slugs
from apps.helpdesk import rules, uploads
from apps.helpdesk.models import Priority, Rating

# An MSME may ask for these; "urgent" is for agents to set.
MEMBER_PRIORITIES = (Priority.LOW, Priority.NORMAL, Priority.HIGH)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to `rules.MAX_ATTACHMENTS` files, each checked by its content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) > rules.MAX_ATTACHMENTS:
            raise ValidationError(_("Attach at most %(max)d files.") % {"max": rules.MAX_ATTACHMENTS})
        errors = []
        for upload in files:
            super().clean(upload, initial)
            try:
                uploads.check_upload(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


def _slugs(value: str) -> list[str]:
    """Known guidance slugs from a comma-separated hidden input (anything else is dropped)."""
    known = set(topic_slugs())
    return list(dict.fromkeys(slug for slug in value.split(",") if slug in known))


def _apply(form: forms.Form, errors: dict[str, list[str]]) -> None:
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class TicketForm(BootstrapFormMixin, forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": rules.SUBJECT_MAX, "autocomplete": "off"}),
        help_text=gettext_lazy("A few words: what your question is about."),
    )
    body = forms.CharField(
        label=gettext_lazy("Your question"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 7, "maxlength": rules.BODY_MAX}),
    )
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Answer me in"), choices=settings.LANGUAGES, required=False)
    priority = forms.ChoiceField(
        label=gettext_lazy("How urgent is it?"),
        choices=[(value.value, value.label) for value in MEMBER_PRIORITIES],
        initial=Priority.NORMAL,
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Files"),
        help_text=gettext_lazy(
            "Up to 5 files of 10 MB at most: PDF, images, text, CSV, Office or OpenDocument documents."
        ),
    )
    # What the MSME was shown and opened while typing (kept up to date by helpdesk-suggest.js), and
    # whether it has seen the suggestions (then the form is not shown again before it is sent).
    suggested = forms.CharField(required=False, widget=forms.HiddenInput)
    read = forms.CharField(required=False, widget=forms.HiddenInput)
    confirmed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or settings.LANGUAGE_CODE
        self.fields["topic"].choices = [("", _("I am not sure")), *self._topic_choices(language)]
        codes = {code for code, _name in settings.LANGUAGES}
        self.fields["language"].initial = language if language in codes else settings.LANGUAGE_CODE

    @staticmethod
    def _topic_choices(language: str) -> list[tuple[str, str]]:
        return [(topic.slug, localized(topic.title, language)[0]) for topic in all_topics()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["language"] = data.get("language") or self.fields["language"].initial
        _apply(
            self,
            rules.ticket_errors(
                subject=data.get("subject", ""),
                body=data.get("body", ""),
                topic=data.get("topic", ""),
                language=data["language"],
            ),
        )
        data["suggested"] = _slugs(data.get("suggested", ""))
        data["read"] = _slugs(data.get("read", ""))
        return data


class ReplyForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(label=gettext_lazy("Your reply"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(
        label=gettext_lazy("Files"),
        help_text=gettext_lazy(
            "Up to 5 files of 10 MB at most: PDF, images, text, CSV, Office or OpenDocument documents."
        ),
    )


class RatingForm(BootstrapFormMixin, forms.Form):
    # A CharField: the rule, not the widget, says what a valid rating is.
    rating = forms.CharField(
        label=gettext_lazy("Did the answer help you?"),
        widget=forms.RadioSelect(choices=Rating.choices),
        required=False,
    )
    comment = forms.CharField(
        label=gettext_lazy("Anything to add? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": rules.COMMENT_MAX}),
    )
