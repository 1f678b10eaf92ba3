"""Registry pages: agency staff manage their tenant's MSMEs; MSME members keep their own register."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.fragments import cached_fragment
from apps.core.lists import choice_labels, list_page, offers_saved_filters, related_column, rows_html, url_maker
from apps.core.policies import can, requires
from apps.registry import rules, selectors, services
from apps.registry.deadlines import deadlines_for_assets
from apps.registry.export import csv_rows
from apps.registry.forms import (
    ChooseAgencyForm,
    ImportUploadForm,
    IpAssetForm,
    MaturityForm,
    MsmeForm,
)
from apps.registry.importing import columns, rejected, sample, undo
from apps.registry.importing.jobs import import_job_create, import_job_polls, import_undo_polls
from apps.registry.importing.reader import FileRejected
from apps.registry.models import ImportJob, IpAsset, Msme
from apps.registry.signals import msme_self_registered
from apps.tenants.context import iterate_in_tenant, tenant_context
from apps.tenants.files import serve_private_file

PAGE_SIZE = 25
# One row of the registry list (templates/registry/msme_list.html): the MSME's link, name, registration
# number, size, ISIC code, sector title (twice), region code and name, maturity, the status badge's
# colour and label, and a pending MSME's box to select it for verification (MSME_SELECT). Rendered by
# apps.core.lists.rows_html, which escapes every value.
# What the rows read (_msme_list), as tuples in this order: building model instances and compiling the query
# that makes them was a third of the list's own time.
MSME_ROW_COLUMNS = (
    "id",
    "name",
    "registration_number",
    "size_class",
    "sector_isic_id",
    "sector_title",
    "region",
    "maturity_level",
    "verification",
)
MSME_ROW = (
    "<tr>"
    '<td class="portal-minw-name"><a href="{}"><bdi>{}</bdi></a></td>'
    '<td class="text-nowrap"><bdi>{}</bdi></td>'
    "<td>{}</td>"
    '<td class="portal-minw-sector"><bdi>{}</bdi> <span class="d-block small text-body-secondary text-truncate'
    ' text-start portal-sector-title" title="{}" lang="en" dir="ltr">{}</span></td>'
    '<td class="text-nowrap"><bdi title="{}">{}</bdi></td>'
    '<td class="text-nowrap">{}</td>'
    '<td><span class="badge text-bg-{}">{}</span></td>'
    '<td class="text-center">{}</td>'
    "</tr>"
)
_VERIFICATION = MSME_ROW_COLUMNS.index("verification")
# The last cell of a pending MSME's row: its box in the bulk verification form (msme_verify_many).
MSME_SELECT = '<input class="form-check-input" type="checkbox" name="msme" value="{}" aria-label="{}">'


def _msme_for_request(request: HttpRequest, pk: str, rule: str = "registry.view_msme") -> Msme:
    """The MSME, if the rule gives this actor its row (else 404): agency staff any of their tenant's,
    members only their own."""
    return get_object_or_404(selectors.msmes_visible(request.actor, rule=rule), pk=pk)


@requires("registry.browse")
@offers_saved_filters
def msme_list(request: HttpRequest) -> HttpResponse:
    context = list_page(request, _msme_list, per_page=PAGE_SIZE, keep_query=True)
    rows = list(context["page"].object_list)  # read once (the page's one query): the rows, and what they offer
    context["rows_html"] = rows_html(MSME_ROW, _msme_rows(rows, request.tenant.country))
    # The bulk verification's form, button and "select all" box only where a row of this page can be verified.
    context["bulk_verify"] = any(row[_VERIFICATION] == Msme.Verification.PENDING for row in rows)
    context["filters_html"] = _msme_filters_html(request, context)
    return render(request, "registry/msme_list.html", context, status=400 if context["filterset"].errors else 200)


def _msme_filters_html(request: HttpRequest, context: dict[str, Any]) -> SafeString:
    """The filter form (apps.core.lists.list_filters_html), whose region select lists the regions of the agency's
    country by name: cached per country as well as per language and query string."""
    country = request.tenant.country
    filterset = context["filterset"]
    regions = rules.region_names(country, get_language() or "en")
    # Unfiltered, nothing is selected: the form is neither built nor cleaned to learn that.
    selected = "" if filterset.unfiltered else getattr(filterset.form, "cleaned_data", {}).get("region", "")
    if selected and regions and selected not in dict(regions):  # a code of none of them, shown as given
        regions = ((selected, selected), *regions)
    form_context = {**context, "region_choices": regions, "region_selected": selected}
    template = "registry/_msme_filters.html"
    if filterset.errors:
        return mark_safe(render_to_string(template, form_context))  # noqa: S308 (a template's output, escaped by it)
    return cached_fragment(
        template, (request.path, country, context["query"]), lambda: render_to_string(template, form_context)
    )


def _msme_list(*, filters: dict[str, object]) -> tuple[object, QuerySet[Msme]]:
    """The selector's list as tuples of MSME_ROW_COLUMNS, with the sector's title read by a subquery
    (apps.core.lists.related_column) rather than through the selector's join."""
    filterset, queryset = selectors.msme_list(filters=filters)
    queryset = queryset.select_related(None).annotate(sector_title=related_column(Msme, "sector_isic__title"))
    return filterset, queryset.values_list(*MSME_ROW_COLUMNS)


def _msme_rows(rows: Iterable[tuple[Any, ...]], country: str) -> Iterator[tuple[object, ...]]:
    """The values of MSME_ROW for rows of MSME_ROW_COLUMNS, in the active language; regions by their name in
    the agency's country (their code when it has no such region)."""
    sizes = choice_labels(Msme, "size_class")
    levels = choice_labels(Msme, "maturity_level")
    regions = dict(rules.region_names(country, get_language() or "en"))
    url = url_maker("registry:detail", uuid_keys=True)
    badges = {"pending": ("warning", _("Pending"))}
    verified = ("success", _("Verified"))
    select = _("Select %(name)s")
    for key, name, number, size, sector, title, region, level, verification in rows:
        pending = verification == Msme.Verification.PENDING
        yield (
            url(key),
            name,
            number,
            sizes.get(size, size),
            sector,
            title,
            title,
            region,
            regions.get(region, region) or "—",
            levels.get(level, level) or "—",
            *badges.get(verification, verified),
            format_html(MSME_SELECT, key, select % {"name": name}) if pending else "",
        )


@requires("registry.browse")
def msme_export_csv(request: HttpRequest) -> HttpResponse:
    filterset, queryset = selectors.msme_list(filters=request.GET)
    if filterset.errors:
        problems = "\n".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
        return HttpResponseBadRequest(
            _("The export was not made; correct these filters:") + "\n" + problems,
            content_type="text/plain; charset=utf-8",
        )
    writer = csv.writer(_Echo())
    rows = iterate_in_tenant(request.tenant, csv_rows(queryset.iterator(chunk_size=2000)))
    # The byte order mark tells spreadsheets (Excel) that the file is UTF-8: without it, Arabic or
    # accented names come out garbled.
    lines = itertools.chain(["\ufeff"], (writer.writerow(row) for row in rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="msmes-{request.tenant.slug}-{stamp}.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


@requires("registry.create_msme")
@require_http_methods(["GET", "POST"])
def msme_create(request: HttpRequest) -> HttpResponse:
    form = MsmeForm(request.POST or None, tenant=request.tenant, actor=request.user)
    if request.method == "POST" and form.is_valid():
        msme = services.msme_create(tenant=request.tenant, data=form.service_data(), actor=request.user)
        messages.success(request, _("%(name)s was added to the registry.") % {"name": msme.name})
        return redirect("registry:detail", pk=msme.pk)
    return render(request, "registry/msme_form.html", {"form": form}, status=400 if form.errors else 200)


@requires("registry.view_msme", per_object=True)
def msme_detail(request: HttpRequest, pk: str) -> HttpResponse:
    msme = _msme_for_request(request, pk)
    # Read once: the register, its deadlines and the plan's summary (the template passes them on) all show them.
    assets = list(selectors.msme_assets(msme=msme))
    return render(
        request,
        "registry/msme_detail.html",
        {
            "msme": msme,
            "assets": assets,
            "deadlines": deadlines_for_assets(assets, today=timezone.localdate()),
            "maturity_form": MaturityForm(
                initial={"maturity_level": msme.maturity_level, "maturity_assessed_at": msme.maturity_assessed_at}
            ),
        },
    )


@requires("registry.edit_msme", per_object=True)
@require_http_methods(["GET", "POST"])
def msme_edit(request: HttpRequest, pk: str) -> HttpResponse:
    msme = _msme_for_request(request, pk, "registry.edit_msme")
    form = MsmeForm(request.POST or None, instance=msme, tenant=request.tenant, actor=request.user)
    if request.method == "POST" and form.is_valid():
        was_verified = msme.verification == Msme.Verification.VERIFIED
        services.msme_update(msme=msme, data=form.service_data(), actor=request.user)
        messages.success(request, _("The changes were saved."))
        if was_verified and msme.verification == Msme.Verification.PENDING:
            messages.info(request, _("As the business's identity changed, the agency will verify it again."))
        return redirect("registry:detail", pk=msme.pk)
    if request.method == "POST":
        msme.refresh_from_db()
    return render(request, "registry/msme_form.html", {"form": form, "msme": msme}, status=400 if form.errors else 200)


@requires("registry.verify_msme")
@require_POST
def msme_verify(request: HttpRequest, pk: str) -> HttpResponse:
    msme = _msme_for_request(request, pk, "registry.verify_msme")
    services.msme_verify(msme=msme, actor=request.user)
    messages.success(request, _("%(name)s is verified.") % {"name": msme.name})
    return redirect("registry:detail", pk=msme.pk)


# The list's query string a bulk action sends back to (its hidden `back` field): longer is not a list's.
BACK_QUERY_MAX = 2000


@requires("registry.verify_msme")
@require_POST
def msme_verify_many(request: HttpRequest) -> HttpResponse:
    """The list's checked MSMEs verified in one go, then back to the same filtered page of the list."""
    back = request.POST.get("back", "")
    target = reverse("registry:index")
    # Parsed and encoded again: only a query string of the list's own page, never another address.
    if back and len(back) <= BACK_QUERY_MAX and (query := QueryDict(back).urlencode()):
        target += "?" + query
    ids = request.POST.getlist("msme")
    if not ids:
        messages.error(request, _("Select the MSMEs to verify first."))
        return redirect(target)
    try:
        count = services.msme_verify_many(ids=ids, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(target)
    messages.success(
        request,
        ngettext("%(count)d MSME was verified.", "%(count)d MSMEs were verified.", count) % {"count": count},
    )
    return redirect(target)


@requires("registry.set_maturity")
@require_POST
def msme_set_maturity(request: HttpRequest, pk: str) -> HttpResponse:
    msme = _msme_for_request(request, pk, "registry.set_maturity")
    form = MaturityForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("registry:detail", pk=msme.pk)
    services.msme_set_maturity(
        msme=msme,
        level=form.cleaned_data["maturity_level"],
        assessed_on=form.cleaned_data["maturity_assessed_at"],
        actor=request.user,
    )
    messages.success(request, _("The IP maturity level was saved."))
    return redirect("registry:detail", pk=msme.pk)


@requires("registry.export_msme")
def msme_export_json(request: HttpRequest, pk: str) -> JsonResponse:
    msme = _msme_for_request(request, pk, "registry.export_msme")
    response = JsonResponse(services.msme_export(msme=msme), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="msme-{msme.pk}.json"'
    return response


@requires("registry.erase_msme")
@require_http_methods(["GET", "POST"])
def msme_erase(request: HttpRequest, pk: str) -> HttpResponse:
    msme = _msme_for_request(request, pk, "registry.erase_msme")
    if request.method == "POST":
        services.msme_erase(msme=msme, actor=request.user)
        messages.success(request, _("The MSME's personal data was erased; its statistics are kept."))
        return redirect("registry:detail", pk=msme.pk)
    return render(request, "registry/msme_confirm.html", {"msme": msme, "action": "erase"})


@requires("registry.delete_msme")
@require_http_methods(["GET", "POST"])
def msme_delete(request: HttpRequest, pk: str) -> HttpResponse:
    msme = _msme_for_request(request, pk, "registry.delete_msme")
    if request.method == "POST":
        name = msme.name
        services.msme_delete(msme=msme, actor=request.user)
        messages.success(request, _("%(name)s was deleted.") % {"name": name})
        return redirect("registry:index")
    return render(request, "registry/msme_confirm.html", {"msme": msme, "action": "delete"})


@requires("registry.edit_msme", per_object=True)
@require_http_methods(["GET", "POST"])
def asset_form(request: HttpRequest, pk: str, asset_pk: str | None = None) -> HttpResponse:
    msme = _msme_for_request(request, pk, "registry.edit_msme")
    asset = get_object_or_404(IpAsset, pk=asset_pk, msme=msme) if asset_pk else None
    form = IpAssetForm(request.POST or None, instance=asset)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if asset is None:
            services.asset_create(msme=msme, data=data, actor=request.user)
        else:
            services.asset_update(asset=asset, data=data, actor=request.user)
        messages.success(request, _("The IP asset was saved."))
        return redirect("registry:detail", pk=msme.pk)
    return render(
        request,
        "registry/asset_form.html",
        {"form": form, "msme": msme, "asset": asset},
        status=400 if form.errors else 200,
    )


@requires("registry.edit_msme", per_object=True)
@require_http_methods(["GET", "POST"])
def asset_delete(request: HttpRequest, pk: str, asset_pk: str) -> HttpResponse:
    msme = _msme_for_request(request, pk, "registry.edit_msme")
    asset = get_object_or_404(IpAsset, pk=asset_pk, msme=msme)
    if request.method == "POST":
        services.asset_delete(asset=asset, actor=request.user)
        messages.success(request, _("The IP asset was removed."))
        return redirect("registry:detail", pk=msme.pk)
    return render(request, "registry/asset_confirm_delete.html", {"msme": msme, "asset": asset})


@requires("registry.view_own_msme")
def my_msme(request: HttpRequest) -> HttpResponse:
    msme = selectors.msme_for_user(user=request.user)
    if msme is None:
        return redirect("registry:register")
    return redirect("registry:detail", pk=msme.pk)


@requires("registry.self_register", per_object=True)
@require_http_methods(["GET", "POST"])
def self_register(request: HttpRequest) -> HttpResponse:
    """Step 1: pick the country's agency. Step 2: the business's details (pending until verified)."""
    if not can(request.actor, "registry.self_register"):
        messages.info(request, _("Staff accounts cannot register a business."))
        return redirect("home")
    if request.actor.membership is not None and selectors.msme_for_user(user=request.user) is not None:
        return redirect("registry:my-msme")
    agency_form = ChooseAgencyForm(request.POST if "choose" in request.POST else request.GET or None)
    tenant = agency_form.cleaned_data["tenant"] if agency_form.is_valid() else None
    if tenant is None:
        return render(request, "registry/register_agency.html", {"form": agency_form})
    with tenant_context(tenant):
        form = MsmeForm(request.POST if "register" in request.POST else None, tenant=tenant, actor=request.user)
        if "register" in request.POST and form.is_valid():
            with transaction.atomic():
                msme = services.msme_self_register(user=request.user, tenant=tenant, data=form.service_data())
                msme_self_registered.send(sender=Msme, msme=msme, request=request)
            messages.success(
                request, _("Your business is registered. %(agency)s will verify it.") % {"agency": tenant.name}
            )
            return redirect("registry:my-msme")
        return render(
            request,
            "registry/register_business.html",
            {"form": form, "tenant": tenant},
            status=400 if form.errors else 200,
        )


@requires("registry.import_msmes")
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    # Bound on every POST: a POST carrying only the file has an empty request.POST.
    form = ImportUploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_job_create(
            tenant=request.tenant,
            upload=form.cleaned_data["file"],
            on_duplicate=form.cleaned_data["on_duplicate"],
            dry_run=True,
            actor=request.user,
        )
        return redirect("registry:import-job", pk=job.pk)
    jobs = ImportJob.objects.select_related("created_by").defer("errors")[:10]
    return render(
        request,
        "registry/import_upload.html",
        {
            "form": form,
            "jobs": jobs,
            "required": columns.REQUIRED,
            "optional": columns.OPTIONAL,
            "column_rules": sample.sample_rules(country=request.tenant.country, today=timezone.localdate()),
            "limits": {
                "upload_mb": settings.IMPORT_MAX_UPLOAD_MB,
                "rows": settings.IMPORT_MAX_ROWS,
                "columns": settings.IMPORT_MAX_COLUMNS,
                "cell": settings.IMPORT_MAX_CELL_CHARS,
                "errors": settings.IMPORT_MAX_ERRORS,
                "minutes": settings.IMPORT_TIME_LIMIT // 60,
            },
        },
        status=400 if form.errors else 200,
    )


@requires("registry.import_msmes")
def import_job(request: HttpRequest, pk: str) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("created_by", "undone_by"), pk=pk)
    errors = Paginator(job.errors, 50).get_page(request.GET.get("page"))
    template = "registry/_import_status.html" if request.headers.get("HX-Request") else "registry/import_job.html"
    undo_polling = import_undo_polls(job=job)
    context = {
        "job": job,
        "errors": errors,
        "polling": import_job_polls(job=job) or undo_polling,
        "undo_polling": undo_polling,
        **_import_created(request, job),
    }
    return render(request, template, context)


def _import_created(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    """The MSMEs a finished import created, a page at a time, each with why an undo would keep it (three queries,
    however many); and whether it can be undone."""
    context: dict[str, Any] = {"rejected_file": rejected.has_rejected_file(job) and job.failed > 0}
    if not undo.undoable(job) or not (job.created or job.undone_at or job.undo_status):
        return context
    created = undo.created_msmes(event_id=undo.import_event_id(job)).only("name", "registration_number")
    page = Paginator(undo.with_keep_reasons(created), PAGE_SIZE).get_page(request.GET.get("created"))
    context["created_section"], context["created_page"] = True, page
    context["created_rows"] = [(msme, undo.keep_reasons(msme)) for msme in page.object_list]
    return context


@requires("registry.import_msmes")
def import_file(request: HttpRequest, pk: str) -> FileResponse:
    """The uploaded file, for the tenant's agency staff only (the scoped manager 404s other tenants' jobs)."""
    job = get_object_or_404(ImportJob, pk=pk)
    if not job.file:
        raise Http404(_("The uploaded file has been deleted."))
    try:
        return serve_private_file(job.file, filename=job.file_name)
    except FileNotFoundError:
        # A row from before files were private, or a file removed by hand.
        raise Http404(_("The uploaded file has been deleted.")) from None


@requires("registry.import_msmes")
@require_POST
def import_confirm(request: HttpRequest, pk: str) -> HttpResponse:
    """Run the previewed file for real."""
    preview = get_object_or_404(ImportJob, pk=pk, dry_run=True, status=ImportJob.Status.DONE)
    try:
        stored = preview.file.open("rb") if preview.file else None
    except FileNotFoundError:  # a row from before files were private
        stored = None
    if stored is None:
        messages.error(request, _("The uploaded file has been deleted. Upload it again to import it."))
        return redirect("registry:import-job", pk=preview.pk)
    with stored:
        job = import_job_create(
            tenant=request.tenant,
            upload=File(stored, name=preview.file_name),
            on_duplicate=preview.on_duplicate,
            dry_run=False,
            actor=request.user,
        )
    return redirect("registry:import-job", pk=job.pk)


@requires("registry.import_msmes")
def import_sample(request: HttpRequest, kind: str) -> HttpResponse:
    """A file to start an import from: the columns and two example rows (the workbook also says what each column
    takes)."""
    country = request.tenant.country
    if kind == "xlsx":
        content = sample.sample_xlsx(country=country, today=timezone.localdate())
        content_type = sample.XLSX_CONTENT_TYPE
    else:
        content, content_type = sample.sample_csv(country=country), sample.CSV_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"msme-import-sample.{kind}")
    return response


@requires("registry.import_msmes")
def import_rejected(request: HttpRequest, pk: str) -> StreamingHttpResponse:
    """The rows the job rejected, as a CSV file to correct and import again (its "error" column is read past)."""
    job = get_object_or_404(ImportJob, pk=pk)
    if not rejected.has_rejected_file(job):
        raise Http404(_("This import has no file of rejected rows: it has not finished, or its file was deleted."))
    try:
        made = rejected.rejected_file(job, country=request.tenant.country)
    except (FileNotFoundError, FileRejected):
        raise Http404(_("The uploaded file has been deleted.")) from None
    # Read as it is sent, after the view has returned: each step in the tenant, as the stored file's own download.
    lines = iterate_in_tenant(request.tenant, made.lines)
    response = StreamingHttpResponse(lines, content_type=sample.CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, made.file_name)
    response["Cache-Control"] = "private, no-store"
    return response


@requires("registry.import_msmes")
@require_POST
def import_undo(request: HttpRequest, pk: str) -> HttpResponse:
    """Undo an import: a POST without `confirm` shows what it would remove and keep; with it, removes."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    if not undo.undoable(job):
        messages.error(request, _("Only a finished import can be undone: a preview stores nothing."))
        return redirect("registry:import-job", pk=job.pk)
    if undo.undo_in_progress(job):
        messages.error(
            request, _("This import is already being undone. Wait until it is done: its page shows the progress.")
        )
        return redirect("registry:import-job", pk=job.pk)
    if request.POST.get("confirm") != "yes":
        return render(request, "registry/import_undo.html", {"job": job, "preview": undo.undo_preview(job)})
    in_request = undo.undo_runs_in_request(undo.created_msmes(event_id=undo.import_event_id(job)).count())
    try:
        if not in_request:
            # Too many for a request: a task removes them, and the job's page shows its progress, then the outcome
            # (a broker that is down fails the undo at once, with the reason, before anything is removed).
            services.import_undo_queue(job=job, actor=request.user)
            return redirect("registry:import-job", pk=job.pk)
        done = services.import_undo(job=job, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("registry:import-job", pk=job.pk)
    messages.success(
        request,
        ngettext(
            "The import was undone: %(count)d MSME was removed.",
            "The import was undone: %(count)d MSMEs were removed.",
            done.removed,
        )
        % {"count": done.removed},
    )
    if done.kept:
        messages.warning(
            request,
            ngettext(
                "%(count)d MSME was kept, as it changed after the import: it is listed below with the reason.",
                "%(count)d MSMEs were kept, as they changed after the import: they are listed below with the reasons.",
                done.kept,
            )
            % {"count": done.kept},
        )
    return redirect("registry:import-job", pk=job.pk)
