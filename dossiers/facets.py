"""The dossier list's filter choices: the years, campaigns, award forms and units of the
dossiers a user sees, kept in Django's cache under the user AND the data's version.

The choices never offer a value that would find nothing (dossiers.forms.SearchForm), so they
come from the visible dossiers themselves: at 100 000 dossiers that is a scan of every
visible row (four of them, 40–120 ms, before issue 18's second part). Now:

- the four sets are read in ONE pass (`SELECT DISTINCT year, campaign, award form, unit`:
  a few dozen combinations) and kept under `version_for(user)`;
- the version is one statement answered by indexes without reading rows: the newest
  `updated_at` (the list's `dossier_updated_idx`), the highest dossier id, and the count and
  highest id of the user's own grants (their visibility). Every write that can change a
  choice moves one of them: a new dossier (id), an edit or a transition — which is also how
  a dossier becomes visible to the next level — (`updated_at`, auto_now on every save;
  no service changes these columns with `.update()`), a role given or taken (the grants);
- the labels (campaign, form and unit names) are NOT kept: the form reads them from their
  small tables by the kept ids on every request, so a renamed campaign shows at once.

Not covered by the version: a dossier deleted through the admin (the app never deletes
one); and a race of two writers, where the one with the older `updated_at` commits last
while a page reads in between (the maximum does not move when it commits). Either way the
choices are wrong for at most TIMEOUT seconds, and only the choices: the list's rows are
always read afresh.
"""

import hashlib

from django.core.cache import caches
from django.db import connection
from django.db.models import QuerySet

from organisations.models import OrganisationUserObjectPermission

from .models import Dossier

CACHE_ALIAS = "default"
TIMEOUT = 2 * 60
PREFIX = "dossiers:facets:v1"


def version_for(user) -> tuple:
    """What the user's choices are computed from, in one statement of index look-ups."""
    dossiers = connection.ops.quote_name(Dossier._meta.db_table)
    grants = connection.ops.quote_name(OrganisationUserObjectPermission._meta.db_table)
    # Table names from the models, quoted; the user's id is a parameter.
    sql = (
        f"SELECT (SELECT MAX(updated_at) FROM {dossiers}),"  # noqa: S608
        f" (SELECT MAX(id) FROM {dossiers}),"
        f" (SELECT COUNT(*) FROM {grants} WHERE user_id = %s),"
        f" (SELECT MAX(id) FROM {grants} WHERE user_id = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk])
        return tuple(cursor.fetchone())


def compute(visible: QuerySet[Dossier]) -> dict[str, list]:
    """The distinct values of the visible dossiers, in one query."""
    years, campaigns, awards, units = set(), set(), set(), set()
    combos = visible.order_by().values_list("year", "campaign_id", "award_type_id", "proposer_id")
    for year, campaign, award, unit in combos.distinct():
        years.add(year)
        if campaign is not None:
            campaigns.add(campaign)
        awards.add(award)
        units.add(unit)
    return {
        "years": sorted(years, reverse=True),
        "campaigns": sorted(campaigns),
        "awards": sorted(awards),
        "units": sorted(units),
    }


def facets_for(user, visible: QuerySet[Dossier]) -> dict[str, list]:
    """`compute(visible)`, kept under the user and `version_for(user)`."""
    if not getattr(user, "is_authenticated", False):
        return compute(visible)
    version = version_for(user)
    digest = hashlib.sha256(repr((user.pk, version)).encode()).hexdigest()
    key = f"{PREFIX}:{digest}"
    cache = caches[CACHE_ALIAS]
    found = cache.get(key)
    if found is None:
        found = compute(visible)
        cache.set(key, found, TIMEOUT)
    return found
