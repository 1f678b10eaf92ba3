from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.forms import ApiTokenForm
from apps.accounts.models import ApiToken
from apps.accounts.services import api_token_create, api_token_revoke
from apps.core.policies import can, requires


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
