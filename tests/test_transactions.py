"""One transaction per request and per tenant task (TenantMiddleware, tenant_task), as ATOMIC_REQUESTS
would: an exception that becomes an error response rolls back what the view wrote."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.roles import Role
from apps.tenants.context import get_active_tenant, tenant_context
from apps.tenants.tasks import tenant_task
from tests.factories import MsmeFactory, TenantFactory, user_with_role
from tests.tenancy_app.models import Widget

pytestmark = pytest.mark.urls(__name__)


def write_then(outcome: str) -> None:
    Widget.objects.create(name=f"written before {outcome}")


def raises_error(request: HttpRequest) -> HttpResponse:
    write_then("a 500")
    raise RuntimeError("the view failed")


def raises_denied(request: HttpRequest) -> HttpResponse:
    write_then("a 403")
    raise PermissionDenied


def succeeds(request: HttpRequest) -> HttpResponse:
    write_then("a 200")
    return HttpResponse("ok")


@api_view(["POST"])
def api_rejects(request: Request) -> Response:
    write_then("a 400")
    raise ValidationError({"name": ["refused after the write"]})


@api_view(["POST"])
def api_conflicts(request: Request) -> Response:
    Widget.objects.create(name="taken")
    Widget.objects.create(name="taken")  # tenant_id + name is unique
    return Response({})


def other_tenant(request: HttpRequest) -> HttpResponse:
    """Another tenant's rows, read in its context in the middle of the request (as self-registration
    does): only row-level security limits `_base_manager`, so this shows the scope was re-applied."""
    other = TenantFactory._meta.model.objects.get(slug=request.GET["slug"])
    seen = [sorted(Widget._base_manager.values_list("name", flat=True))]
    with tenant_context(other):
        seen.append(sorted(Widget._base_manager.values_list("name", flat=True)))
    seen.append(sorted(Widget._base_manager.values_list("name", flat=True)))
    return HttpResponse(repr(seen))


urlpatterns = [
    path("t/error/", raises_error),
    path("t/denied/", raises_denied),
    path("t/ok/", succeeds),
    path("t/api-rejects/", api_rejects),
    path("t/api-conflicts/", api_conflicts),
    path("t/other-tenant/", other_tenant),
    path("", include("tests.urls")),
]


@pytest.fixture
def staff_client(db, tenant_a) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user_with_role(Role.AGENCY_STAFF, tenant_a))
    return client


def _stored(tenant) -> list[str]:
    with tenant_context(tenant):
        return sorted(Widget.objects.values_list("name", flat=True))


def test_a_view_that_raises_leaves_nothing_written(staff_client, tenant_a):
    assert staff_client.get("/t/error/").status_code == 500
    assert staff_client.get("/t/denied/").status_code == 403
    assert staff_client.get("/t/ok/").status_code == 200
    assert _stored(tenant_a) == ["written before a 200"]


def test_an_api_error_response_leaves_nothing_written(staff_client, tenant_a):
    response = staff_client.post("/t/api-rejects/", {}, content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"name": ["refused after the write"]})
    assert _stored(tenant_a) == []


def test_an_integrity_error_in_an_api_view_is_a_409_and_rolls_back(staff_client, tenant_a):
    response = staff_client.post("/t/api-conflicts/", {}, content_type="application/json")
    assert response.status_code == 409
    assert "detail" in response.json()
    assert _stored(tenant_a) == []  # the first insert too
    assert staff_client.get("/t/ok/").status_code == 200  # the connection is usable afterwards


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
def test_entering_another_tenant_inside_a_request_reapplies_the_scope(staff_client, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        Widget.objects.create(name="loom")
    with tenant_context(tenant_b):
        Widget.objects.create(name="press")
    response = staff_client.get("/t/other-tenant/", {"slug": tenant_b.slug})
    assert response.content.decode() == repr([["loom"], ["press"], ["loom"]])


# --- Tasks -------------------------------------------------------------------------------------


@tenant_task(name="tests.transactions.write_then_fail")
def write_then_fail(tenant) -> None:
    Widget.objects.create(name="written by a failing task")
    raise RuntimeError("the task failed")


@tenant_task(name="tests.transactions.scope_of_a_run")
def scope_of_a_run(tenant) -> tuple[bool, str]:
    return connection.in_atomic_block, get_active_tenant().slug


@tenant_task(name="tests.transactions.commits_as_it_goes", commits_as_it_goes="test: each write on its own")
def commits_as_it_goes(tenant) -> bool:
    Widget.objects.create(name="committed at once")
    return connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_a_tenant_task_is_one_transaction(tenant_a):
    assert scope_of_a_run(tenant_a.pk) == (True, "aa")
    with pytest.raises(RuntimeError, match="the task failed"):
        write_then_fail(tenant_a.pk)
    with transaction.atomic():
        assert _stored(tenant_a) == []


@pytest.mark.django_db(transaction=True)
def test_a_task_that_commits_as_it_goes_runs_in_autocommit(tenant_a):
    assert commits_as_it_goes(tenant_a.pk) is False
    with transaction.atomic():
        assert _stored(tenant_a) == ["committed at once"]


@pytest.mark.django_db(transaction=True)
def test_a_beat_loop_gives_each_tenant_its_own_transaction(tenant_a, tenant_b):
    from apps.registry.tasks import fail_stale_import_jobs, purge_expired_import_files

    assert purge_expired_import_files() == 0
    assert fail_stale_import_jobs() == 0


# --- Streaming: read after the request's transaction ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_streamed_export_is_read_after_the_request_with_the_scope_applied(tenant_a, tenant_b):
    with transaction.atomic():
        user = user_with_role(Role.AGENCY_STAFF, tenant_a)
        with tenant_context(tenant_a):
            MsmeFactory.create_batch(3)
        with tenant_context(tenant_b):
            MsmeFactory.create_batch(2)
    client = Client()
    client.force_login(user)
    response = client.get("/registry/export.csv")
    assert response.status_code == 200
    assert not connection.in_atomic_block  # the request's transaction has ended
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1 + 3  # the header and tenant A's rows


def _committed_progress(job_pk) -> tuple[int, int]:
    """The job's counts as another connection sees them: only what has been committed."""
    import psycopg

    settings = connection.settings_dict
    with (
        psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            autocommit=True,
        ) as other,
        other.cursor() as cursor,
    ):
        cursor.execute("SELECT set_config('app.unscoped', 'on', false)")
        cursor.execute("SELECT rows_processed, created FROM registry_importjob WHERE id = %s", [job_pk])
        return cursor.fetchone()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads from a second PostgreSQL connection")
@pytest.mark.django_db(transaction=True)
def test_an_import_job_commits_its_progress_batch_by_batch(tenant_a, monkeypatch):
    """Its task opts out of the task-wide transaction: the job page polls what each batch committed."""
    from django.core.files.base import ContentFile

    from apps.registry.importing import jobs, service
    from apps.registry.tasks import run_import_job
    from tests.factories import ImportJobFactory

    rows = "".join(f"Enterprise {i},R{i},1079,3\n" for i in range(3))
    with transaction.atomic(), tenant_context(tenant_a):
        job = ImportJobFactory(
            status="queued",
            dry_run=False,
            file=ContentFile(f"name,registration_number,sector_isic,employees\n{rows}".encode(), name="m.csv"),
        )
    monkeypatch.setattr(service, "SQL_BATCH_SIZE", 1)
    seen = []
    real_import = jobs.msme_import

    def watched_import(**kwargs):
        progress = kwargs["progress"]

        def watched(rows_done, result):
            progress(rows_done, result)
            seen.append(_committed_progress(job.pk))

        return real_import(**{**kwargs, "progress": watched})

    monkeypatch.setattr(jobs, "msme_import", watched_import)
    assert run_import_job(tenant_a.pk, str(job.pk)) == "done"
    assert seen[:3] == [(1, 1), (2, 2), (3, 3)]
