"""Grant the portal's runtime role what it needs, and no more (PostgreSQL).

Run as the owner of the tables (the role migrations run as). The runtime role must neither
own the tables nor have BYPASSRLS, so that row-level security applies to it. Idempotent: run it
after every `migrate` (docker-compose.yml's migrate service and `make run` do).
"""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = "Create (if needed) and grant the runtime database role used by the web and worker processes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", default="portal_app", help="runtime role name (default: portal_app)")
        password = parser.add_mutually_exclusive_group()
        password.add_argument("--password", default=None, help="the role can log in, with this password")
        password.add_argument(
            "--password-env",
            default=None,
            metavar="VARIABLE",
            help="as --password, read from this environment variable (not shown in the process list)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL; other databases have no row-level security.")
        role = options["role"]
        password = options["password"]
        if options["password_env"]:
            password = os.environ.get(options["password_env"], "")
            if not password:
                raise CommandError(f"--password-env: the environment variable {options['password_env']} is empty.")
        quoted = connection.ops.quote_name(role)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolbypassrls, rolsuper, EXISTS (SELECT 1 FROM pg_tables WHERE rowsecurity AND tableowner = %s) "
                "FROM pg_roles WHERE rolname = %s",
                [role, role],
            )
            row = cursor.fetchone()
            if row is None:
                login = "LOGIN PASSWORD %s" if password else "NOLOGIN"
                cursor.execute(f"CREATE ROLE {quoted} {login} NOSUPERUSER NOBYPASSRLS", [password] if password else [])
            elif row[0] or row[1]:
                raise CommandError(f"Role {role} is a superuser or bypasses RLS: the wall would not apply to it.")
            elif row[2]:
                raise CommandError(f"Role {role} owns the tables: it could switch row-level security off.")
            elif password:
                # The password in the configuration wins: changing it there and re-running is how it is rotated.
                cursor.execute(f"ALTER ROLE {quoted} LOGIN PASSWORD %s", [password])
            cursor.execute("SELECT current_database()")
            database = connection.ops.quote_name(cursor.fetchone()[0])
            # PUBLIC has these by default, but a hardened server may have revoked them (TEMPORARY: the
            # import's staging tables).
            cursor.execute(f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {quoted}")
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quoted}")
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}")
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
            cursor.execute(
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}"
            )
            cursor.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}")
        self.stdout.write(f"granted {role}: connect the web and worker processes as this role")
