"""The agency staff's helpdesk settings: its queues (hours, agents, SLA targets, canned replies) and its
routing rules. A queue of another agency or of a division is not theirs to edit (404)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings as django_settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.policies import requires, rows
from apps.helpdesk import configuration
from apps.helpdesk.canned import PLACEHOLDERS
from apps.helpdesk.counselling import topic_choices
from apps.helpdesk.models import CannedReply, Queue, RoutingRule, Tier

RULE = configuration.RULE
WEEKDAYS = [
    (0, gettext_lazy("Mon")),
    (1, gettext_lazy("Tue")),
    (2, gettext_lazy("Wed")),
    (3, gettext_lazy("Thu")),
    (4, gettext_lazy("Fri")),
    (5, gettext_lazy("Sat")),
    (6, gettext_lazy("Sun")),
]


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class QueueForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=configuration.NAME_MAX)
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages"), choices=django_settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label=gettext_lazy("Topics"),
        required=False,
        help_text=gettext_lazy("None picked: any topic."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    time_zone = forms.CharField(
        label=gettext_lazy("Time zone"), max_length=64, help_text=gettext_lazy("For example Africa/Nairobi.")
    )
    country = forms.CharField(
        label=gettext_lazy("Country (public holidays)"),
        max_length=2,
        required=False,
        help_text=gettext_lazy("Two letters, for example KE; empty: no holidays."),
    )
    opens_at = forms.TimeField(label=gettext_lazy("Opens at"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(label=gettext_lazy("Closes at"), widget=forms.TimeInput(attrs={"type": "time"}))
    work_days = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Working days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_default = forms.BooleanField(
        label=gettext_lazy("Default queue (tickets no rule matches)"),
        required=False,
    )
    auto_assign = forms.BooleanField(label=gettext_lazy("Assign new tickets automatically"), required=False)
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False)

    def __init__(self, *args: Any, queue: Queue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        portal = dict(django_settings.LANGUAGES)
        # A language the queue already answers in stays on offer even if the pages are not in it.
        kept = [(code, code) for code in (queue.languages if queue else []) if code not in portal]
        self.fields["languages"].choices = [*django_settings.LANGUAGES, *kept]
        self.fields["topics"].choices = topic_choices(get_language() or "en")
        _style(self)


def _queue_initial(queue: Queue | None) -> dict[str, Any]:
    if queue is None:
        return {
            "languages": ["en"],
            "time_zone": "UTC",
            "opens_at": "09:00",
            "closes_at": "17:00",
            "work_days": [0, 1, 2, 3, 4],
            "auto_assign": True,
            "is_active": True,
        }
    return {
        field: getattr(queue, field)
        for field in (
            "name",
            "languages",
            "topics",
            "time_zone",
            "country",
            "opens_at",
            "closes_at",
            "work_days",
            "is_default",
            "auto_assign",
            "is_active",
        )
    }


class CannedForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=configuration.TITLE_MAX)
    body = forms.CharField(
        label=gettext_lazy("Text"), max_length=configuration.BODY_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class RuleForm(forms.Form):
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    tier = forms.ChoiceField(label=gettext_lazy("Service tier"), required=False)
    queue = forms.ChoiceField(label=gettext_lazy("Send to queue"))
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    def __init__(self, *args: Any, targets: list[Queue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Any topic")), *topic_choices(get_language() or "en")]
        self.fields["language"].choices = [("", _("Any language")), *django_settings.LANGUAGES]
        self.fields["tier"].choices = [("", _("Any tier")), *Tier.choices]
        self.fields["queue"].choices = [(str(q.pk), _target_label(q)) for q in targets]
        _style(self)


def _target_label(queue: Queue) -> str:
    if queue.division:
        return _("%(name)s (division: %(division)s)") % {"name": queue.name, "division": queue.get_division_display()}
    return queue.name


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def _message(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(message for problems in error.message_dict.values() for message in problems))


def _own_queue(request: HttpRequest, queue_pk: int) -> Queue:
    return get_object_or_404(rows(request.actor, RULE, Queue.objects.all()), pk=queue_pk)


def _own_rule(request: HttpRequest, rule_pk: int) -> RoutingRule:
    return get_object_or_404(RoutingRule.objects.select_related("queue"), pk=rule_pk, tenant_id=request.actor.tenant.pk)


# --- The overview and the rules ------------------------------------------------------------------------


def _index(request: HttpRequest, *, rule_form: RuleForm | None = None, failed_rule: Any = None, status: int = 200):
    actor = request.actor
    targets = list(configuration.rule_targets(actor))
    context = {
        "queues": list(configuration.queues(actor)),
        "rules": list(configuration.rules(actor)),
        "rule_form": rule_form if rule_form is not None and failed_rule is None else RuleForm(targets=targets),
        "failed_rule_form": rule_form if failed_rule is not None else None,
        "failed_rule": failed_rule,
        "target_choices": [(str(q.pk), _target_label(q)) for q in targets],
        "language_choices": django_settings.LANGUAGES,
        "tier_choices": Tier.choices,
        "topic_choices": topic_choices(get_language() or "en"),
    }
    return render(request, "helpdesk/settings/index.html", context, status=status)


@requires(RULE)
@require_http_methods(["GET", "HEAD"])
def settings_index(request: HttpRequest) -> HttpResponse:
    return _index(request)


def _save_rule(request: HttpRequest, rule: RoutingRule | None) -> HttpResponse:
    form = RuleForm(request.POST, targets=list(configuration.rule_targets(request.actor)))
    # The queue's choices come from the agency's targets: an unknown id is a form error, not a 500.
    if form.is_valid():
        data = form.cleaned_data
        try:
            configuration.rule_save(
                actor=request.actor,
                rule=rule,
                topic=data["topic"],
                language=data["language"],
                tier=data["tier"],
                queue_id=data["queue"],
                is_active=data["is_active"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The routing rule is saved."))
            return redirect("helpdesk:settings")
    return _index(request, rule_form=form, failed_rule=rule, status=400)


@requires(RULE)
@require_POST
def rule_new(request: HttpRequest) -> HttpResponse:
    return _save_rule(request, None)


@requires(RULE)
@require_POST
def rule_edit(request: HttpRequest, rule_pk: int) -> HttpResponse:
    rule = _own_rule(request, rule_pk)
    if "delete" in request.POST:
        configuration.rule_delete(actor=request.actor, rule=rule)
        messages.success(request, _("The routing rule is deleted."))
        return redirect("helpdesk:settings")
    return _save_rule(request, rule)


@requires(RULE)
@require_POST
def rule_move(request: HttpRequest, rule_pk: int) -> HttpResponse:
    rule = _own_rule(request, rule_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Move a rule up or down."))
        return redirect("helpdesk:settings")
    configuration.rule_move(actor=request.actor, rule=rule, up=direction == "up")
    return redirect("helpdesk:settings")


# --- A queue -------------------------------------------------------------------------------------------


def _queue_page(
    request: HttpRequest,
    queue: Queue | None,
    *,
    form: QueueForm | None = None,
    canned_form: CannedForm | None = None,
    failed_canned: Any = None,
    sla_errors: dict[str, list[str]] | None = None,
    sla_values: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"queue": queue, "form": form or QueueForm(initial=_queue_initial(queue), queue=queue)}
    if queue is not None:
        grid = configuration.sla_grid(queue)
        for row in grid:
            row["errors"] = (sla_errors or {}).get(row["key"], [])
            if sla_values is not None:
                row["first_response"] = sla_values.get(f"first__{row['key']}", "")
                row["resolution"] = sla_values.get(f"resolution__{row['key']}", "")
        working = queue.memberships.select_related("user").order_by("user__email")
        context.update(
            {
                "memberships": list(working),
                "candidates": list(
                    configuration.tenant_agents(request.actor).exclude(pk__in=working.values("user_id"))
                ),
                "sla": grid,
                "replies": list(queue.canned_replies.all()),
                "canned_form": canned_form or CannedForm(),
                "failed_canned": failed_canned,
                "placeholders": [f"{{{name}}}" for name in PLACEHOLDERS],
            }
        )
    return render(request, "helpdesk/settings/queue.html", context, status=status)


def _save_queue(request: HttpRequest, queue: Queue | None) -> HttpResponse:
    form = QueueForm(request.POST, queue=queue)
    if form.is_valid():
        try:
            saved = configuration.queue_save(actor=request.actor, queue=queue, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The queue is saved."))
            return redirect("helpdesk:settings-queue", queue_pk=saved.pk)
    return _queue_page(request, queue, form=form, status=400)


@requires(RULE)
@require_http_methods(["GET", "HEAD", "POST"])
def queue_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save_queue(request, None)
    return _queue_page(request, None)


def _sla(request: HttpRequest, queue: Queue) -> HttpResponse:
    values = {
        key: request.POST.get(key, "").strip() for key in request.POST if key.startswith(("first__", "resolution__"))
    }
    targets = {}
    for row in configuration.sla_grid(queue):
        key = row["key"]
        targets[(row["tier"].value, row["priority"].value)] = (
            values.get(f"first__{key}", ""),
            values.get(f"resolution__{key}", ""),
        )
    try:
        configuration.sla_targets_save(actor=request.actor, queue=queue, targets=targets)
    except ValidationError as error:
        messages.error(request, _("Some SLA targets are not valid: see below."))
        return _queue_page(request, queue, sla_errors=error.message_dict, sla_values=values, status=400)
    messages.success(request, _("The SLA targets are saved."))
    return redirect("helpdesk:settings-queue", queue_pk=queue.pk)


def _canned(request: HttpRequest, queue: Queue, action: str) -> HttpResponse:
    reply = None
    if reply_pk := request.POST.get("reply"):
        # ASCII digits only ("²".isdigit() is true too), and within a bigint.
        if not (reply_pk.isascii() and reply_pk.isdigit() and len(reply_pk) < 19):
            raise Http404
        reply = get_object_or_404(CannedReply, pk=int(reply_pk), queue=queue)
    if action == "canned-delete":
        if reply is None:
            raise Http404
        configuration.canned_reply_delete(actor=request.actor, queue=queue, reply=reply)
        messages.success(request, _("The canned reply is deleted."))
        return redirect("helpdesk:settings-queue", queue_pk=queue.pk)
    form = CannedForm(request.POST)
    if form.is_valid():
        try:
            configuration.canned_reply_save(actor=request.actor, queue=queue, reply=reply, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The canned reply is saved."))
            return redirect("helpdesk:settings-queue", queue_pk=queue.pk)
    return _queue_page(request, queue, canned_form=form, failed_canned=reply, status=400)


def _agents(request: HttpRequest, queue: Queue, action: str) -> HttpResponse:
    actor, post = request.actor, request.POST
    try:
        if action == "agent-add":
            configuration.queue_agent_add(actor=actor, queue=queue, user_id=post.get("user"), is_lead="is_lead" in post)
            messages.success(request, _("The agent now works the queue."))
        elif action == "agent-lead":
            configuration.queue_agent_set_lead(
                actor=actor, queue=queue, queue_agent_id=post.get("membership"), is_lead=post.get("is_lead") == "1"
            )
            messages.success(request, _("The queue's lead is updated."))
        else:
            configuration.queue_agent_remove(actor=actor, queue=queue, queue_agent_id=post.get("membership"))
            messages.success(request, _("The agent no longer works the queue."))
    except ValidationError as error:
        _message(request, error)
        return _queue_page(request, queue, status=400)
    return redirect("helpdesk:settings-queue", queue_pk=queue.pk)


@requires(RULE)
@require_http_methods(["GET", "HEAD", "POST"])
def queue_edit(request: HttpRequest, queue_pk: int) -> HttpResponse:
    queue = _own_queue(request, queue_pk)
    if request.method != "POST":
        return _queue_page(request, queue)
    action = request.POST.get("action", "queue")
    if action == "queue":
        return _save_queue(request, queue)
    if action == "sla":
        return _sla(request, queue)
    if action in ("canned-save", "canned-delete"):
        return _canned(request, queue, action)
    if action in ("agent-add", "agent-lead", "agent-remove"):
        return _agents(request, queue, action)
    messages.error(request, _("Unknown action."))
    return _queue_page(request, queue, status=400)


urlpatterns: list[URLPattern] = [
    path("settings/", settings_index, name="settings"),
    path("settings/queues/new/", queue_new, name="settings-queue-new"),
    path("settings/queues/<int:queue_pk>/", queue_edit, name="settings-queue"),
    path("settings/rules/new/", rule_new, name="settings-rule-new"),
    path("settings/rules/<int:rule_pk>/", rule_edit, name="settings-rule"),
    path("settings/rules/<int:rule_pk>/move/", rule_move, name="settings-rule-move"),
]
