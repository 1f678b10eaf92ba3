from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.policies import requires
from apps.tenants.forms import TenantSwitchForm
from apps.tenants.selectors import memberships_for_user
from apps.tenants.services import tenant_switch


@requires("tenants.switch_tenant")
@require_http_methods(["GET", "POST"])
def switch_tenant(request: HttpRequest) -> HttpResponse:
    """Pick which of the user's agencies (tenants) to work in; kept in the session."""
    memberships = list(memberships_for_user(user=request.user))
    if request.method == "POST":
        form = TenantSwitchForm(request.POST)
        slug = form.cleaned_data["tenant"] if form.is_valid() else ""
        if slug and tenant_switch(request=request, slug=slug):
            name = next(m.tenant.name for m in memberships if m.tenant.slug == slug)
            messages.success(request, _("You are now working in %(tenant)s.") % {"tenant": name})
            target = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "home"
            return redirect(target)
        messages.error(request, _("You are not a member of that agency."))
        return render(request, "tenants/switch.html", {"memberships": memberships}, status=400)
    return render(request, "tenants/switch.html", {"memberships": memberships})
