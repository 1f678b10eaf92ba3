"""Grant the portal's runtime role what it needs, and no more (PostgreSQL).

Run as the owner of the tables (the role migrations run as). The runtime role must neither
own the tables nor have BYPASSRLS, so that row-level security applies to it.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = "Create (if needed) and grant the runtime database role used by the web and worker processes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", default="portal_app", help="runtime role name (default: portal_app)")
        parser.add_argument("--password", default=None, help="create the role with LOGIN and this password")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL; other databases have no row-level security.")
        role = options["role"]
        quoted = connection.ops.quote_name(role)
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None:
                login = "LOGIN PASSWORD %s" if options["password"] else "NOLOGIN"
                params = [options["password"]] if options["password"] else []
                cursor.execute(f"CREATE ROLE {quoted} {login} NOSUPERUSER NOBYPASSRLS", params)
            elif row[0] or row[1]:
                raise CommandError(f"Role {role} is a superuser or bypasses RLS: the wall would not apply to it.")
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quoted}")
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}")
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
            cursor.execute(
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}"
            )
            cursor.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}")
        self.stdout.write(f"granted {role}: connect the web and worker processes as this role")
