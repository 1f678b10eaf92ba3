"""`{% saved_filters %}`: the user's saved filters of the list page being shown, and the form to save its
current ones (apps.core.lists.offers_saved_filters). From the cache (one query when it has no entry);
nothing on a list that does not offer them, for a user outside a tenant (a WIPO division's staff), or for
a visitor."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from apps.accounts.selectors import saved_filters_of_list
from apps.accounts.services import SAVED_FILTER_NAME_MAX, SAVED_FILTERS_MAX
from apps.core.lists import page_query, saves_filters
from apps.core.policies import can

register = template.Library()
BOX = "includes/saved_filters.html"


@register.simple_tag(takes_context=True)
def saved_filters(context: template.Context) -> SafeString:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or not saves_filters(match.func):
        return mark_safe("")
    actor = getattr(request, "actor", None)
    if actor is None or not can(actor, "accounts.save_filters"):
        return mark_safe("")
    query = context.get("query")
    query = page_query(request) if query is None else query
    saved = saved_filters_of_list(user=request.user, list_name=match.view_name, request=request)
    may_save = bool(query) and len(saved) < SAVED_FILTERS_MAX
    if not saved and not may_save:
        return mark_safe("")  # nothing saved, nothing to save: no box (the unfiltered list, most often)
    box = {
        "saved": saved,
        "list_name": match.view_name,
        "list_path": request.path,
        "query": query,
        "may_save": may_save,
        "name_max": SAVED_FILTER_NAME_MAX,
    }
    # In the page's own context, as an inclusion tag renders (the context processors are not run again), with
    # its CSRF token for the forms.
    box_context = context.new(box)
    if context.get("csrf_token") is not None:
        box_context["csrf_token"] = context["csrf_token"]
    return mark_safe(context.template.engine.get_template(BOX).render(box_context))  # noqa: S308 (escaped by the template)
