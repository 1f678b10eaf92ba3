from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.adapter import set_language_cookie
from apps.accounts.forms import ApiTokenForm, ProfileForm
from apps.accounts.models import ApiToken
from apps.accounts.selectors import saved_filters as saved_filters_of
from apps.accounts.services import (
    SAVED_FILTER_QUERY_MAX,
    api_token_create,
    api_token_revoke,
    profile_update,
    saved_filter_create,
    saved_filter_delete,
    saved_filter_query,
    user_has_totp,
)
from apps.core.lists import saves_filters
from apps.core.policies import authorize, can, requires
from apps.tenants.selectors import memberships_for_user


@requires("accounts.edit_profile")
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The user's account: name and language here; e-mail, password, two-factor and tokens linked."""
    user = request.user
    initial = {"full_name": user.full_name, "language": user.language}
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        profile_update(user=user, full_name=form.cleaned_data["full_name"], language=form.cleaned_data["language"])
        language = form.cleaned_data["language"]
        if language:
            translation.activate(language)
        messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        if language:
            set_language_cookie(response, language)
        else:  # the browser's language again: a cookie from an earlier choice would keep the old one
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response
    context = {
        "form": form,
        "emails": EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
        "has_totp": user_has_totp(user),
        "memberships": memberships_for_user(user=user),
    }
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)


@requires("accounts.manage_api_tokens")
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens: list, create (the key is shown once), revoke."""
    new_key = None
    mfa_missing = not can(request.actor, "accounts.create_api_token")
    form = ApiTokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and mfa_missing:
        status = 403
    elif request.method == "POST" and form.is_valid():
        _token, new_key = api_token_create(
            user=request.user, membership=request.membership, name=form.cleaned_data["name"], lifetime=form.lifetime()
        )
        form = ApiTokenForm()
    elif form.errors:
        status = 400
    tokens = ApiToken.objects.filter(user=request.user).select_related("membership__tenant")
    context = {"form": form, "tokens": tokens, "new_key": new_key, "mfa_missing": mfa_missing}
    return render(request, "accounts/api_tokens.html", context, status=status)


# The service revokes the user's own tokens only: another's is a 404 (it does not exist for them).
@requires("accounts.manage_api_tokens", per_object=True)
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: str) -> HttpResponse:
    if not api_token_revoke(user=request.user, token_id=token_id):
        raise Http404(_("No such active token."))
    messages.success(request, _("The token was revoked. Programs using it can no longer sign in."))
    return redirect("accounts:api-tokens")


def _saved_filters_list(request: HttpRequest, list_name: str) -> str:
    """The path of the list page named `list_name`, once the actor may open it and it offers saved filters;
    a name of no such list is a 400, a list the actor may not open a 403."""
    try:
        path = reverse(list_name)
        view = resolve(path).func
    except (NoReverseMatch, Resolver404, ValueError):
        view = None
    if view is None or not saves_filters(view):
        raise BadRequest(_("This list does not keep saved filters."))
    authorize(request.actor, view.policy)
    return path


def _back_to(path: str, query: str) -> HttpResponse:
    query = saved_filter_query(query) if len(query) <= SAVED_FILTER_QUERY_MAX else ""
    return redirect(f"{path}?{query}" if query else path)


@requires("accounts.save_filters")
@require_POST
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    """Save the list's current filters under a name, then back to the list so filtered."""
    list_name, query = request.POST.get("list", ""), request.POST.get("query", "")
    path = _saved_filters_list(request, list_name)
    try:
        saved = saved_filter_create(
            user=request.user, list_name=list_name, name=request.POST.get("name", ""), query=query
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back_to(path, query)
    messages.success(request, _("These filters were saved as “%(name)s”.") % {"name": saved.name})
    return _back_to(path, saved.query)


@requires("accounts.save_filters", per_object=True)
@require_POST
def saved_filter_delete_view(request: HttpRequest, saved_filter_pk: str) -> HttpResponse:
    """Delete one of the user's saved filters, then back to its list as it was shown."""
    authorize(request.actor, "accounts.save_filters")  # signed in, in a tenant: then their own rows only
    saved = get_object_or_404(saved_filters_of(user=request.user), pk=saved_filter_pk)
    path = _saved_filters_list(request, saved.list_name)
    saved_filter_delete(saved=saved)
    messages.success(request, _("The saved filters “%(name)s” were deleted.") % {"name": saved.name})
    return _back_to(path, request.POST.get("query", ""))
