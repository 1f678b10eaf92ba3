from django.apps import AppConfig


class TenancyAppConfig(AppConfig):
    """A tenant-owned model with pages and API routes, installed only in tests.

    It exercises the tenancy machinery (scoped manager, RLS, the isolation sweep) before the
    portal's own tenant-owned apps exist, and keeps doing so as a known-good reference after.
    """

    name = "tests.tenancy_app"
    label = "tenancy_app"
