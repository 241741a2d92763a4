"""The statistics' figures, kept in Django's cache under the filters AND the data's version.

The figures are summed from the tallies (registry.AwardTally, workflow.ClockTally: a few
thousand rows for a province's year, kept by the services that write the awards and close
the clocks), so computing them is cheap (docs/statistics.md, "Performance"). They are still
kept, with the HTML drawn from them (summary, tables, charts and the report forms' previews:
templates/reports/_figures.html, kept by `cached_html` under `page_key`), because drawing
that HTML is most of a request once the SQL is small: a warm request reads the version, the
report forms in force and the campaigns' figures (both part of the key), and draws only the
frame and the filter form.

The version is, in one statement:

- registry entries: the highest id, how many among the RECENT newest ids, how many revoked
  and the last revocation time;
- stage clocks: the highest id, how many among the RECENT newest ids, how many still open;
- calendar entries (the working days the stage times are counted on): how many, the last edit;
- the tallies: their highest ids (a rebuild gives every row a new id).

Counts as well as maxima, because maxima alone miss a race: two transactions take ids 100
and 101, 101 commits first and a page keeps its figures under "max 101"; when 100 commits
the maximum is still 101, but the count of recent ids has moved. Awards are only added or
revoked (never un-revoked, never deleted: registry.services), clocks only opened or closed
(workflow.deadlines: closing sets `closed_at`, never back to empty), so every commit moves
one of these numbers one way: a figure a change touches cannot be served from before it.
Counting the whole tables would cost 10-20 ms each at 175 000 rows; counting the newest
RECENT ids, the revoked and the open clocks reads small index ranges (a transaction would
have to stay open while 10 000 later rows are written for its row to go unseen). `today`
is part of the key too (a clock still open becomes overdue by the calendar alone).

Not covered by the version (they change no award or clock row): renaming or moving an
organisation, editing a decided dossier's campaign or a nominee's gender after the award.
Entries live at most TIMEOUT seconds, which bounds how long such an edit stays unseen.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date

from django.core.cache import caches
from django.db import connection
from django.utils.safestring import SafeString

from organisations.models import Organisation
from registry.models import AwardTally, RegistryEntry
from workflow.models import CalendarEntry, ClockTally, StageDeadline

from .figures import (
    AwardFigures,
    Filters,
    StageFigures,
    latest_award_year,
    tallied_award_figures,
    tallied_stage_figures,
)
from .models import ReportForm

CACHE_ALIAS = "default"
TIMEOUT = 15 * 60
# Rows counted among the newest ids (see the module doc).
RECENT = 10_000
PREFIX = "reports:figures:v1"


def data_version() -> tuple:
    """What the figures are computed from, summed up in one statement (see the module doc);
    each part is answered by an index, none reads the table's rows."""
    registry = connection.ops.quote_name(RegistryEntry._meta.db_table)
    clocks = connection.ops.quote_name(StageDeadline._meta.db_table)
    calendar = connection.ops.quote_name(CalendarEntry._meta.db_table)
    award_tallies = connection.ops.quote_name(AwardTally._meta.db_table)
    clock_tallies = connection.ops.quote_name(ClockTally._meta.db_table)
    recent = int(RECENT)
    # Table names from the models, quoted, and an int: no user input reaches this statement.
    sql = (
        f"SELECT (SELECT MAX(id) FROM {registry}),"  # noqa: S608
        f" (SELECT COUNT(*) FROM {registry}"
        f"   WHERE id > (SELECT COALESCE(MAX(id), 0) FROM {registry}) - {recent}),"
        f" (SELECT COUNT(*) FROM {registry} WHERE revoked_at IS NOT NULL),"
        f" (SELECT MAX(revoked_at) FROM {registry} WHERE revoked_at IS NOT NULL),"
        f" (SELECT MAX(id) FROM {clocks}),"
        f" (SELECT COUNT(*) FROM {clocks}"
        f"   WHERE id > (SELECT COALESCE(MAX(id), 0) FROM {clocks}) - {recent}),"
        f" (SELECT COUNT(*) FROM {clocks} WHERE closed_at IS NULL),"
        f" (SELECT COUNT(*) FROM {calendar}),"
        f" (SELECT MAX(updated_at) FROM {calendar}),"
        # A rebuild (manage.py rebuild_tallies) rewrites the tallies without touching an
        # award or a clock: its rows take new ids.
        f" (SELECT MAX(id) FROM {award_tallies}),"
        f" (SELECT MAX(id) FROM {clock_tallies})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _key(kind: str, filters: Filters, version: tuple, *extra) -> str:
    org = filters.organisation
    asked = (
        org.pk,
        org.path,
        filters.date_from,
        filters.date_to,
        filters.campaign_id,
        filters.award_code,
        filters.level,
        *extra,
    )
    digest = hashlib.sha256(repr((asked, version)).encode()).hexdigest()
    return f"{PREFIX}:{kind}:{digest}"


def _cached(key: str, compute):
    cache = caches[CACHE_ALIAS]
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, TIMEOUT)
    return found


def page_key(
    filters: Filters,
    *,
    today: date,
    version: tuple,
    report_forms: Iterable[ReportForm],
    movements: Mapping[str, int],
    shown: tuple = (),
) -> str:
    """The key of the page's rendered figures (templates/reports/_figures.html: summary,
    tables, charts and the report forms' previews): the figures' parts (filters, data
    version, today), and what else that HTML is drawn from:

    - the report forms in force, every field a preview shows (`report_forms_version`): an
      edit made in the admin, by a migration or by SQL changes the key, no timestamp needed;
    - the campaigns' figures themselves (form 0601.N, reports.movements: one small query,
      a row per campaign launched in the period), which change with any edit of a campaign
      that the form would show, its scope and its launching body's level included;
    - `shown`: the rest the HTML prints (the language, the organisation's name, the query
      of the export links).
    """
    return _key(
        "page",
        filters,
        version,
        today,
        report_forms_version(report_forms),
        movements_version(movements),
        shown,
    )


def report_forms_version(report_forms: Iterable[ReportForm]) -> tuple:
    """Every field of the forms in force that their previews and links show (a few rows)."""
    return tuple(
        (
            f.pk,
            f.code,
            f.title,
            f.legal_basis,
            f.valid_from,
            f.valid_to,
            f.layout_confirmed,
            f.note,
            json.dumps(f.layout, sort_keys=True, ensure_ascii=False),
        )
        for f in report_forms
    )


def movements_version(movements: Mapping[str, int]) -> tuple:
    """The campaigns' figures, as kept in the key (sorted: a dict's order is no figure)."""
    return tuple(sorted(movements.items()))


def cached_html(key: str, render: Callable[[], str]) -> SafeString:
    """HTML kept under `key` (page_key), drawn by `render` when it is not."""
    return SafeString(_cached(key, lambda: str(render())))


def cached_award_figures(filters: Filters, *, version: tuple) -> AwardFigures:
    return _cached(_key("awards", filters, version), lambda: tallied_award_figures(filters))


def cached_stage_figures(filters: Filters, *, today: date, version: tuple) -> StageFigures:
    return _cached(
        _key("stages", filters, version, today), lambda: tallied_stage_figures(filters, today=today)
    )


def cached_latest_award_year(organisation: Organisation, *, version: tuple) -> int | None:
    """reports.figures.latest_award_year (the year the page opens on), under the version."""
    digest = hashlib.sha256(repr((organisation.pk, organisation.path, version)).encode())
    key = f"{PREFIX}:latest-year:{digest.hexdigest()}"
    # 0 stands for "no award yet": the cache cannot tell a kept None from a miss.
    return _cached(key, lambda: latest_award_year(organisation) or 0) or None
