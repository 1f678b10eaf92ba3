"""The access matrix's rule for the Django admin (see tests/access/__init__.py).

The admin's routes come from the registered ModelAdmins, so they are covered by a rule rather
than a row each: every role but the platform admin is sent to sign in (302: the admin's login,
which hands over to the portal's sign-in); the platform admin gets the page. A new ModelAdmin is
covered as it is registered; a route of a kind the rule does not know fails the ratchet.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from tests.access.data import (
    ADMIN,
    AGENCY,
    ANALYST,
    ANONYMOUS,
    DIVISION_AGENT,
    HELPDESK,
    MSME_OTHER,
    MSME_OWN,
    AccessData,
)
from tests.access.spec import Spec, first_row, pattern_model
from tests.test_isolation_sweep import Route

NOT_ADMIN = (ANONYMOUS, MSME_OWN, MSME_OTHER, HELPDESK, AGENCY, ANALYST, DIVISION_AGENT)


def _row(admin_status: int, others: int = 302) -> dict[str, int]:
    return {**dict.fromkeys(NOT_ADMIN, others), ADMIN: admin_status}


# The admin's own routes (not a model's).
TABLE: dict[str, dict[str, int]] = {
    "admin:index": _row(200),
    # Signed in without staff rights: refused (403), never a second sign-in form; the anonymous
    # visitor and the platform admin are sent to the portal's sign-in / the admin's index.
    "admin:login": {**_row(302, 403), ANONYMOUS: 302},
    "admin:logout": _row(200),  # POST-only (Django 5+): the "signed out" page (the matrix signs back in)
    "admin:password_change": _row(200),
    "admin:password_change_done": _row(200),
    "admin:autocomplete": _row(403),  # no term, no model: refused, even to the admin
    "admin:jsi18n": _row(200),
    "admin:view_on_site": _row(404),  # an MSME has no get_absolute_url: nothing to show on the site
    "admin:app_list": _row(200),
    "admin/(?P<url>.*)$": _row(404),  # an unknown admin path: 404 for staff, sign-in for the rest
}
POST_ONLY: set[str] = {"admin:logout"}
ARGS: dict[str, dict[str, str]] = {
    "admin:app_list": {"app_label": "registry"},
    "admin/(?P<url>.*)$": {"url": "no-such-page/"},
}

# Model routes the platform admin may not open, each with why (everything else: 200).
REFUSED_TO_ADMIN: dict[str, int] = {
    # The audit trail is written by the services, never by hand.
    "admin:tenants_auditevent_add": 403,
    # Overlays are an agency's own, written on its overlay page in its tenant.
    "admin:guidance_topicoverlay_add": 403,
    # The search index is rebuilt from the content files.
    "admin:guidance_guidancesearchdocument_add": 403,
    # Tenant-owned models with no service behind a write are read-only in the admin (TenantOwnedReadOnlyAdmin):
    # members are linked by registration, jobs made by uploads, assessments by the diagnostic, audit by services.
    "admin:registry_msmemember_add": 403,
    "admin:registry_msmemember_delete": 403,
    "admin:registry_importjob_add": 403,
    "admin:registry_importjob_delete": 403,
    "admin:tenants_auditevent_delete": 403,
    "admin:diagnostics_assessment_add": 403,
    "admin:diagnostics_assessment_delete": 403,
    # The statistics' counts are written by the rollups alone.
    **{
        f"admin:dashboards_{model}_{action}": 403
        for model in ("rollupstate", "msmecount", "activitycount", "msmecountsnapshot")
        for action in ("add", "delete")
    },
    # The helpdesk's tenant-owned rows are written by its pages, API and e-mail (TenantOwnedReadOnlyAdmin).
    **{
        f"admin:helpdesk_{model}_{kind}": 403
        for model in (
            "ticket",
            "message",
            "attachment",
            "ticketlink",
            "requestertier",
            "counsellingslot",
            "counsellingsession",
        )
        for kind in ("add", "delete")
    },
    # Events are run by the agency's staff on their pages (TenantOwnedReadOnlyAdmin).
    **{
        f"admin:events_{model}_{kind}": 403
        for model in ("event", "registration", "feedback")
        for kind in ("add", "delete")
    },
    # Programme requests are sent and worked on the programmes' pages and API (TenantOwnedReadOnlyAdmin).
    # WIPO GREEN's listings and introductions are written by their members' pages and API.
    **{
        f"admin:programmes_{model}_{kind}": 403
        for model in (
            "programmerequest",
            "greentechnology",
            "greenneed",
            "greenconnection",
            "mentor",
            "mentoringrequest",
            "intermediary",
            "partnershipoffer",
            "partnershiprequest",
        )
        for kind in ("add", "delete")
    },
    # Stories are written by their agencies; the admin reviews them (publishes or returns), never adds or deletes.
    "admin:stories_story_add": 403,
    "admin:stories_story_delete": 403,
    # Refused e-mail is recorded by the mail reader, for review only.
    "admin:helpdesk_refusedemail_add": 403,
    "admin:helpdesk_refusedemail_delete": 403,
    # Overlays can be corrected in the admin (save_overlay), not deleted there.
    "admin:guidance_topicoverlay_delete": 403,
    # Reminders: the log is the job's, settings and calendar addresses each member's own (TenantOwnedReadOnlyAdmin).
    **{
        f"admin:reminders_{model}_{kind}": 403
        for model in ("reminderdelivery", "remindersettings", "calendartoken")
        for kind in ("add", "delete")
    },
    # A survey is made and edited through its services (no delete service); its versions, questions and
    # answers are written by its pages and its answer link only (TenantOwnedReadOnlyAdmin).
    "admin:surveys_survey_delete": 403,
    **{
        f"admin:surveys_{model}_{kind}": 403
        for model in ("surveyversion", "question", "choice", "response", "answer")
        for kind in ("add", "delete")
    },
    # The news is written on the agency's pages: the admin deletes a post (post_delete), and writes nothing else.
    "admin:news_post_add": 403,
    **{
        f"admin:news_{model}_{kind}": 403
        for model in ("posttext", "comment", "follow", "notice")
        for kind in ("add", "delete")
    },
    # Outreach's rows are written by its pages, API and sending tasks, the outbox's by the services that send
    # (TenantOwnedReadOnlyAdmin).
    **{
        f"admin:outreach_{model}_{kind}": 403
        for model in ("segment", "campaign", "campaignmessage", "delivery", "outboxmessage")
        for kind in ("add", "delete")
    },
}

_MODEL_ROUTE = re.compile(r"^admin:(?P<app>\w+?)_(?P<model>[a-z0-9]+)_(?P<kind>changelist|add|history|delete|change)$")
_OBJECT_REDIRECT = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/\(\?P<object_id>\.\+\)/\\Z$")


def rule(route: Route, data: AccessData | None) -> Spec | None:
    if "admin" not in route.namespaces and not route.regex.startswith("admin/"):
        return None
    if route.name in TABLE:
        kwargs = dict(ARGS.get(route.name, {}))
        if route.name == "admin:view_on_site" and data is not None:
            kwargs = {
                "content_type_id": str(ContentType.objects.get_for_model(data.msme).pk),
                "object_id": str(data.msme.pk),
            }
        return Spec(route.name, TABLE[route.name], kwargs, method="post" if route.name in POST_ONLY else "get")
    model = pattern_model(route.pattern)
    if route.name == "admin:auth_user_password_change":  # the user admin's "change password" form
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        return Spec(route.name, _row(200), _object_kwargs(route, user_model, data, param="id"))
    match = _MODEL_ROUTE.match(route.name)
    if match and model is not None:
        status = REFUSED_TO_ADMIN.get(route.name, 200)
        return Spec(route.name, _row(status), _object_kwargs(route, model, data))
    match = _OBJECT_REDIRECT.match(route.name)
    if match:
        # /admin/<app>/<model>/<id>/: the old change URL, redirected to <id>/change/.
        model = apps.get_model(match["app"], match["model"])
        return Spec(route.name, _row(302), _object_kwargs(route, model, data))
    return None


def _object_kwargs(route: Route, model, data: AccessData | None, param: str = "object_id") -> dict[str, str]:
    if param not in route.params or data is None:
        return {}
    row = first_row(model)
    return {param: str(row.pk)} if row is not None else {}
