"""/reminders/: a member's deadlines, reminder settings and calendar address; the calendar feed itself."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.policies import public, requires
from apps.outreach.links import absolute_url
from apps.registry.models import MsmeMember
from apps.registry.selectors import msme_deadlines
from apps.reminders import feed, selectors, services
from apps.reminders.forms import ReminderSettingsForm
from apps.reminders.models import LEAD_DAYS

MASK = "•" * 12


def masked_address(token_id: Any) -> str:
    """The address with its secret hidden: enough to recognise it, not to use it."""
    # Filled in after reverse(), which would percent-encode the dots.
    return absolute_url(reverse("reminders:feed", args=["TOKEN"])).replace("TOKEN", f"{token_id.hex[:8]}{MASK}")


def _page(
    request: HttpRequest,
    member: MsmeMember,
    *,
    form: ReminderSettingsForm | None = None,
    new_address: str = "",
    status: int = 200,
) -> HttpResponse:
    settings_row = selectors.settings_for(member=member)
    token = selectors.active_token(actor=request.actor, member=member)
    context = {
        "msme": member.msme,
        "deadlines": msme_deadlines(msme=member.msme, today=timezone.localdate()),
        "form": form or ReminderSettingsForm(instance=settings_row),
        "token": token,
        "masked_address": masked_address(token.pk) if token else "",
        "new_address": new_address,
        "reminders": selectors.recent_reminders(actor=request.actor),
        "lead_days": LEAD_DAYS,
    }
    return render(request, "reminders/index.html", context, status=status)


def _member_or_redirect(request: HttpRequest) -> MsmeMember | HttpResponse:
    member = selectors.member_for(user=request.user)
    if member is None:  # a member whose business is gone: registering it again is the way back
        return redirect("registry:my-msme")
    return member


@requires("reminders.manage_own")
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    member = _member_or_redirect(request)
    if isinstance(member, HttpResponse):
        return member
    return _page(request, member)


@requires("reminders.manage_own")
@require_POST
def settings_update(request: HttpRequest) -> HttpResponse:
    member = _member_or_redirect(request)
    if isinstance(member, HttpResponse):
        return member
    form = ReminderSettingsForm(request.POST, instance=selectors.settings_for(member=member))
    if not form.is_valid():
        return _page(request, member, form=form, status=400)
    services.reminder_settings_update(member=member, data=form.service_data(), actor=request.user)
    messages.success(request, _("Your reminder settings are saved."))
    return redirect("reminders:index")


@requires("reminders.manage_own")
@require_POST
def calendar_create(request: HttpRequest) -> HttpResponse:
    """Make (or make again) the member's calendar address and show it, this once."""
    member = _member_or_redirect(request)
    if isinstance(member, HttpResponse):
        return member
    _token, secret_token = services.calendar_token_create(member=member, actor=request.user)
    address = absolute_url(reverse("reminders:feed", args=[secret_token]))
    response = _page(request, member, new_address=address)
    response["Cache-Control"] = "no-store"  # the address is shown once: no copy in the browser's cache
    return response


@requires("reminders.manage_own")
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    member = _member_or_redirect(request)
    if isinstance(member, HttpResponse):
        return member
    if services.calendar_token_revoke(member=member, actor=request.user):
        messages.success(request, _("The calendar address is revoked: calendar apps can no longer read it."))
    return redirect("reminders:index")


@public
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The member's deadlines as an iCalendar feed; the secret address is the credential (no session)."""
    return feed.answer(request, token)
