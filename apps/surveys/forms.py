"""The survey's forms: the survey itself, its questions (a formset), and an MSME's answers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin
from apps.surveys import rules
from apps.surveys.models import Question


class SurveyForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=rules.TITLE_MAX)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=rules.INTRODUCTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown above the questions: why you ask, and how long it takes."),
    )
    language = forms.ChoiceField(
        label=_("Written in"),
        choices=settings.LANGUAGES,
        help_text=_("The page around the questions is shown in each MSME's own language."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "title" in data:
            for name, messages in rules.survey_errors(
                title=data["title"], introduction=data.get("introduction", "")
            ).items():
                self.add_error(name, messages)
        return data


class QuestionForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Question"), max_length=rules.QUESTION_TEXT_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices, initial=rules.SINGLE)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    help_text = forms.CharField(label=_("Help text"), max_length=rules.HELP_TEXT_MAX, required=False)
    choices = forms.CharField(
        label=_("Choices, one per line"),
        required=False,
        # Room for the most choices at their longest, and no more.
        max_length=rules.CHOICES_MAX * (rules.CHOICE_MAX + 2),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For single and multiple choice questions."),
    )
    scale_min = forms.IntegerField(label=_("Scale from"), initial=1, required=False)
    scale_max = forms.IntegerField(label=_("Scale to"), initial=5, required=False)
    scale_min_label = forms.CharField(label=_("Label of the lowest"), max_length=rules.SCALE_LABEL_MAX, required=False)
    scale_max_label = forms.CharField(label=_("Label of the highest"), max_length=rules.SCALE_LABEL_MAX, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        if data.get("scale_min") is None:
            data["scale_min"] = 1
        if data.get("scale_max") is None:
            data["scale_max"] = 5
        data["choices"] = rules.clean_choices((data.get("choices") or "").splitlines())
        for name, messages in rules.question_errors(data).items():
            self.add_error(name if name in self.fields else None, messages)
        return data

    def question(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class BaseQuestionFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        # Added after the form's own fields were styled: styled here.
        if "ORDER" in form.fields:
            form.fields["ORDER"].widget.attrs["class"] = "form-control form-control-sm w-auto"
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def questions(self) -> list[dict[str, Any]]:
        """The questions kept (not deleted, not left blank), in the order given."""
        kept = [
            form for form in self.forms if form.has_changed() and form.is_valid() and not self._should_delete_form(form)
        ]
        if self.can_order:
            kept.sort(key=lambda form: form.cleaned_data.get("ORDER") or 10_000)
        return [form.question() for form in kept]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        for messages in rules.questions_errors(self.questions()).values():
            raise forms.ValidationError(messages)


QuestionFormSet = forms.formset_factory(
    QuestionForm,
    formset=BaseQuestionFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=rules.QUESTIONS_MAX,
    validate_max=True,
    absolute_max=rules.QUESTIONS_MAX + 5,
)


def question_initial(question: Question) -> dict[str, Any]:
    return {
        "text": question.text,
        "kind": question.kind,
        "required": question.required,
        "help_text": question.help_text,
        "choices": "\n".join(choice.label for choice in question.choices.all()),
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "scale_min_label": question.scale_min_label,
        "scale_max_label": question.scale_max_label,
        "ORDER": question.position,
    }


class AnswerForm(forms.Form):
    """One field per question, named by the question's id. Whether a question is answered, and within
    its bounds, is services.clean_answers' to say (the same messages as everywhere)."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[str(question.pk)] = self._field(question)

    @staticmethod
    def _field(question: Question) -> forms.Field:
        attrs = {"required": "required"} if question.required and question.kind != rules.MULTIPLE else {}
        if question.kind in rules.CHOICE_KINDS:
            choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
            if question.kind == rules.SINGLE:
                return forms.ChoiceField(
                    choices=choices,
                    required=False,
                    widget=forms.RadioSelect(attrs={**attrs, "class": "form-check-input"}),
                )
            return forms.MultipleChoiceField(
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            )
        if question.kind == rules.SCALE:
            points = [(str(point), str(point)) for point in question.scale_points]
            return forms.ChoiceField(
                choices=points, required=False, widget=forms.RadioSelect(attrs={**attrs, "class": "btn-check"})
            )
        return forms.CharField(
            required=False,
            max_length=rules.TEXT_ANSWER_MAX,
            widget=forms.Textarea(attrs={**attrs, "rows": 3, "class": "form-control"}),
        )

    def rows(self) -> list[tuple[Question, forms.BoundField]]:
        return [(question, self[str(question.pk)]) for question in self.questions]


def version_number(raw: str | None, *, last: int) -> int | None:
    """The version number asked for in a query string (None: the current one).

    ValidationError unless a whole number from 1 to `last`: unbounded, it reaches the database as an
    integer that may not fit the column.
    """
    if raw is None or raw == "":
        return None
    return forms.IntegerField(min_value=1, max_value=last).clean(raw)
