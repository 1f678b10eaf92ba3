"""Make the runtime database role ready and print the URL the web server and Celery should use.

`make run` migrates and seeds as DATABASE_URL's user (the tables' owner), runs this, and serves as
the URL it prints, so that row-level security applies to the running portal. APP_DATABASE_URL, when
set, is that URL (its user is granted, its password set); otherwise it is DATABASE_URL with the user
swapped for `--role` and a new random password set on the role. Before printing, it logs in as
that URL and refuses one that row-level security would not apply to. Off PostgreSQL it prints
DATABASE_URL unchanged: there is no row-level security to keep.
"""

from __future__ import annotations

import os
import secrets
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import dj_database_url
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connection, connections

from apps.tenants.checks import inspect_role


def with_user(url: str, user: str, password: str) -> str:
    """`url` with its user and password replaced; host, port, database and options kept."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"))


class Command(BaseCommand):
    help = "Create and grant the runtime database role, and print the database URL to serve with."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", default="portal_app", help="runtime role when APP_DATABASE_URL is not set")

    def handle(self, *args: Any, **options: Any) -> None:
        owner_url = os.environ.get("DATABASE_URL", "")
        if connection.vendor != "postgresql":
            self.stderr.write("Not PostgreSQL: no row-level security, serving with DATABASE_URL as it is.")
            self.stdout.write(owner_url)
            return
        url = os.environ.get("APP_DATABASE_URL", "")
        if not url:
            url = with_user(owner_url, options["role"], secrets.token_urlsafe(24))
        parts = urlsplit(url)
        role, password = unquote(parts.username or ""), unquote(parts.password or "")
        if not role:
            raise CommandError("APP_DATABASE_URL names no user.")
        try:
            call_command("grant_app_role", role=role, password=password or None, stdout=self.stderr)
        except CommandError as exc:
            raise CommandError(f"{exc} Set APP_DATABASE_URL to a role the tables' owner can grant.") from exc
        self._check_login(url)
        self.stderr.write(f"The web server and Celery connect as {role}: row-level security applies to it.")
        self.stdout.write(url)

    def _check_login(self, url: str) -> None:
        settings_dict = {**connection.settings_dict, **dj_database_url.parse(url)}
        runtime = connections[DEFAULT_DB_ALIAS].__class__(settings_dict, alias="runtime")
        try:
            inspection = inspect_role(runtime)
        except Exception as exc:
            raise CommandError(
                f"Could not connect as {settings_dict['USER']}: {exc}. Set APP_DATABASE_URL to a URL that can "
                "(e.g. when the server only lets that operating-system user in through its socket)."
            ) from exc
        finally:
            runtime.close()
        if not inspection.enforced:
            raise CommandError(
                f"{inspection.role} {' and '.join(inspection.reasons)}: row-level security would not apply to it."
            )
