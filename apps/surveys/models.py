"""Needs surveys: a survey, its versions (each a fixed list of questions and choices), and the MSMEs'
responses, one per survey and MSME.

Versioned like the diagnostic's questionnaire: a version that has responses is never edited. Changing the
questions of such a survey makes a new version; the responses given before keep pointing at the version
(and the questions and choices) they answered. The answers are rows with a choice key, a scale value or a
text, so that a GROUP BY counts them (the statistics aggregate them across tenants).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.registry.models import Msme
from apps.surveys import rules
from apps.tenants.fields import TenantForeignKey
from apps.tenants.models import TenantOwnedModel


class Survey(TenantOwnedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=rules.TITLE_MAX)
    introduction = models.TextField(_("introduction"), max_length=rules.INTRODUCTION_MAX, blank=True)
    # The language the survey is written in; the answer page's own words are in the MSME's language.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("current version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["tenant", "-created_at"], name="survey_tenant_recent"),
            models.Index(fields=["tenant", "status", "-created_at"], name="survey_tenant_status_recent"),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyVersion(TenantOwnedModel):
    survey = TenantForeignKey(Survey, on_delete=models.CASCADE, related_name="versions", verbose_name=_("survey"))
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    audit_parent = "survey"

    class Meta:
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "survey", "number"], name="survey_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"


class Question(TenantOwnedModel):
    class Kind(models.TextChoices):
        SINGLE = rules.SINGLE, _("Single choice")
        MULTIPLE = rules.MULTIPLE, _("Multiple choice")
        SCALE = rules.SCALE, _("Scale")
        TEXT = rules.TEXT, _("Short text")

    version = TenantForeignKey(
        SurveyVersion, on_delete=models.CASCADE, related_name="questions", verbose_name=_("version")
    )
    position = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=rules.QUESTION_TEXT_MAX)
    help_text = models.CharField(_("help text"), max_length=rules.HELP_TEXT_MAX, blank=True)
    required = models.BooleanField(_("required"), default=True)
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    scale_min_label = models.CharField(_("label of the lowest"), max_length=rules.SCALE_LABEL_MAX, blank=True)
    scale_max_label = models.CharField(_("label of the highest"), max_length=rules.SCALE_LABEL_MAX, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "version", "position"], name="survey_question_unique_position")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def scale_points(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Choice(TenantOwnedModel):
    question = TenantForeignKey(Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question"))
    position = models.PositiveSmallIntegerField(_("order"))
    label = models.CharField(_("choice"), max_length=rules.CHOICE_MAX)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "question", "position"], name="survey_choice_unique_position")
        ]

    def __str__(self) -> str:
        return self.label


class Response(TenantOwnedModel):
    """One MSME's answers to one survey: at most one per survey and MSME (a second submission is refused)."""

    survey = TenantForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey"))
    version = TenantForeignKey(
        SurveyVersion, on_delete=models.RESTRICT, related_name="responses", verbose_name=_("version")
    )
    msme = TenantForeignKey(Msme, on_delete=models.CASCADE, related_name="survey_responses", verbose_name=_("MSME"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    audit_parent = "msme"

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "survey", "msme"], name="survey_response_once_per_msme")
        ]
        indexes = [models.Index(fields=["tenant", "version", "submitted_at"], name="survey_response_version_at")]

    def __str__(self) -> str:
        # No MSME name: the label an erasure of the MSME leaves as it is.
        return f"{self.survey_id} · {self.submitted_at:%Y-%m-%d}"


class Answer(TenantOwnedModel):
    """One answer to one question: a choice (a multiple choice has a row per choice picked), a point of
    the scale, or a text."""

    response = TenantForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = TenantForeignKey(Question, on_delete=models.RESTRICT, related_name="answers", verbose_name=_("question"))
    choice = TenantForeignKey(
        Choice,
        on_delete=models.RESTRICT,
        related_name="answers",
        null=True,
        blank=True,
        verbose_name=_("choice"),
    )
    scale_value = models.SmallIntegerField(_("scale value"), null=True, blank=True)
    text = models.CharField(_("text"), max_length=rules.TEXT_ANSWER_MAX, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            # What the results count: per question, by choice or by scale value.
            models.Index(fields=["tenant", "question", "choice"], name="survey_answer_question_choice"),
            models.Index(fields=["tenant", "question", "scale_value"], name="survey_answer_question_scale"),
        ]
        constraints = [
            # One row per choice picked; one answer of any other kind per question.
            models.UniqueConstraint(
                fields=["tenant", "response", "question", "choice"], name="survey_answer_unique_choice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.choice_id or self.scale_value or self.text[:40]}"
