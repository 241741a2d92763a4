"""System checks of the notifications app (registered in apps.py).

E001: the outbox writes with INSERT … ON CONFLICT … RETURNING (SQLite ≥ 3.35).
E002: every notice kind has its own subject, text and HTML in every language (or is declared
to use the default wording), so no notice silently prints the generic text.
"""

import sqlite3

from django.conf import settings
from django.core.checks import Error
from django.db import connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template

from . import kinds

MIN_SQLITE = (3, 35, 0)
PARTS = ("subject.txt", "txt", "html")


def sqlite_supports_returning(app_configs=None, databases=None, **kwargs) -> list[Error]:
    errors = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "sqlite":
            continue
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


def _candidates(kind: str, language: str, part: str) -> list[str]:
    """Where rendering.py looks for this part, short of the `default` fallback."""
    own = [f"notifications/{language}/{kind}.{part}"]
    # The source language may also live at the top of notifications/ (where it does today).
    return [*own, f"notifications/{kind}.{part}"] if language == settings.LANGUAGE_CODE else own


def _missing_files(kind: str) -> list[str]:
    missing = []
    for language, _name in settings.LANGUAGES:
        for part in PARTS:
            names = _candidates(kind, language, part)
            for name in names:
                try:
                    get_template(name)
                    break
                except TemplateDoesNotExist:
                    continue
                except TemplateSyntaxError as exc:
                    missing.append(f"{name} (does not compile: {exc})")
                    break
            else:
                missing.append(names[-1])
    return missing


def notice_kinds_have_templates(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    for kind in kinds.NoticeKind:
        if kind in kinds.USES_DEFAULT:
            continue
        missing = _missing_files(kind.value)
        if missing:
            errors.append(
                Error(
                    f"Notice kind {kind.value!r} lacks templates of its own: "
                    + ", ".join(f"templates/{name}" for name in missing)
                    + ". It would be sent with the generic 'default' wording.",
                    hint="Write the missing files (see dossier_action_needed.*), or add the "
                    "kind to notifications.kinds.USES_DEFAULT if the default wording is meant.",
                    obj=kind.value,
                    id="notifications.E002",
                )
            )
    return errors
