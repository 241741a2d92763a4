"""A too-old SQLite is named at start-up, not discovered when the first notice is written."""

import sqlite3

from django.db import connection

from notifications import checks


def test_old_sqlite_is_refused_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.31.1")
    errors = checks.sqlite_supports_returning(databases=["default"])
    if connection.vendor == "sqlite":
        assert [e.id for e in errors] == ["notifications.E001"]
        assert "3.31.1" in errors[0].msg
    else:
        assert errors == []  # PostgreSQL is not concerned


def test_current_sqlite_passes():
    assert checks.sqlite_supports_returning(databases=["default"]) == []
