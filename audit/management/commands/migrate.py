"""`migrate` as the tables' owner when DATABASE_OWNER_URL is set, then the app role's grants.

The application itself connects as a role that may not alter the schema or rewrite the
audit trail; migrations need the owner. Without DATABASE_OWNER_URL this is Django's migrate.
"""

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connection

from audit.database import as_owner

from .grant_app_role import grant


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        if options.get("database", "default") != "default":
            return super().handle(*args, **options)
        app_role = connection.settings_dict.get("USER")
        with as_owner() as switched:
            result = super().handle(*args, **options)
            if switched and app_role and app_role != settings.DATABASE_OWNER.get("USER"):
                grant(app_role)
        return result
