"""The Celery app, configured from Django settings (CELERY_* names)."""

import os
from typing import Any

from celery import Celery
from celery.signals import beat_init, worker_init
from django.core.exceptions import ImproperlyConfigured

from apps.tenants.checks import require_rls_role
from portal.env import settings_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _require_rls_role(**kwargs: Any) -> None:
    """The worker and beat refuse to start (production) as a database role that row-level security skips."""
    try:
        require_rls_role()
    except ImproperlyConfigured as exc:
        # Celery logs and carries on past an exception from a signal handler; SystemExit stops the process.
        raise SystemExit(f"Refusing to start: {exc}") from exc
