"""System check: the outbox writes with INSERT … ON CONFLICT … RETURNING (SQLite ≥ 3.35)."""

from django.core.checks import Error, register
from django.db import connections

MIN_SQLITE = (3, 35, 0)


@register("database")
def sqlite_supports_returning(app_configs=None, databases=None, **kwargs):
    errors = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "sqlite":
            continue
        import sqlite3

        version = sqlite3.sqlite_version_info
        if version < MIN_SQLITE:
            errors.append(
                Error(
                    f"SQLite {sqlite3.sqlite_version} is too old: the notification outbox needs "
                    "3.35 or newer (INSERT … RETURNING).",
                    hint="Use a Python built against a newer SQLite, or set DATABASE_URL to "
                    "PostgreSQL.",
                    id="notifications.E001",
                )
            )
    return errors
