"""`manage.py grant_app_role`: give the application's PostgreSQL role its privileges.

Run as the tables' owner (DATABASE_OWNER_URL, or a DATABASE_URL that is the owner) after
every `migrate` (which does it itself when DATABASE_OWNER_URL is set): new tables need it.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from audit.database import as_owner, grant_statements


def grant(role: str, *, create: bool = False, password: str = "") -> list[str]:
    """Apply the grants on the default database; returns the statements run."""
    quote = connection.ops.quote_name
    done = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            if not create:
                raise CommandError(f"role {role} does not exist (use --create)")
            statement = f"CREATE ROLE {quote(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
            if password:
                cursor.execute(f"{statement} PASSWORD %s", [password])
            else:
                cursor.execute(statement)
            done.append(statement)
        for statement in grant_statements(role, connection.settings_dict["NAME"], quote):
            cursor.execute(statement)
            done.append(statement)
    return done


class Command(BaseCommand):
    help = "Cấp quyền cho vai trò cơ sở dữ liệu của ứng dụng (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--role", default=settings.DATABASE_APP_ROLE)
        parser.add_argument("--create", action="store_true", help="create the role if missing")
        parser.add_argument("--password", default="", help="password for a created role")

    def handle(self, *args, role, create, password, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("SQLite: one role, nothing to grant.")
            return
        with as_owner():
            for statement in grant(role, create=create, password=password):
                self.stdout.write(statement)
