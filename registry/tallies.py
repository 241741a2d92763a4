"""The award tallies (registry.AwardTally): the statistics' counts, kept as the awards are
written (issue 16; docs/statistics.md, "Performance").

Every writer of registry entries calls `add_awards` (or `remove_award` on a revocation) in
its own transaction, so a tally never disagrees with the entries it sums: record_awards,
revoke_award and import_award here, interchange.services.import_past_awards. Bulk loaders
(reports.demo, bench/volume.py) call `rebuild_award_tallies` after their load instead.

The rows a writer adds are computed by the same grouped query the rebuild and the check
run (`_grouped`), over the rows just written: one rule, three uses.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from .models import AwardTally, RegistryEntry, RegistryStatus, SubjectKind

# dossiers.Gender.FEMALE, by value: the registry imports no dossier code (issue 11).
FEMALE = "female"
KEY = (
    "unit_id",
    "by_issuer",
    "issuer_id",
    "decision_date",
    "whole_month",
    "award_code",
    "award_name",
    "subject_kind",
    "awarding_kind",
    "campaign_id",
)
COUNTED = ("count", "women", "direct", "known", "prize", "prized")


def _grouped(entries: QuerySet) -> list[dict]:
    """`entries` summed by the tally's key: what their tally rows hold (KEY + COUNTED),
    a row per day and a row per month (AwardTally.whole_month).

    An entry with neither unit nor issuer is in no organisation's figures: no row."""
    individual = Q(subject_kind=SubjectKind.INDIVIDUAL)
    rows = (
        entries.annotate(
            t_unit=Coalesce("organisation_id", "issuer_id"),
            t_by_issuer=ExpressionWrapper(Q(organisation__isnull=True), BooleanField()),
            t_campaign=F("nominee__dossier__campaign_id"),
        )
        .exclude(t_unit=None)
        .values(
            "t_unit",
            "t_by_issuer",
            "issuer_id",
            "decision_date",
            "award_code",
            "award_name",
            "subject_kind",
            "awarding_kind",
            "t_campaign",
        )
        .annotate(
            t_count=Count("pk"),
            t_women=Count("pk", filter=individual & Q(nominee__gender=FEMALE)),
            t_direct=Count("pk", filter=individual & Q(nominee__is_direct_worker=True)),
            t_known=Count("pk", filter=individual & Q(nominee__isnull=False)),
            t_prize=Sum("prize_amount"),
            t_prized=Count("prize_amount"),
        )
        .order_by()
    )
    days = [
        {
            "unit_id": r["t_unit"],
            "by_issuer": bool(r["t_by_issuer"]),
            "issuer_id": r["issuer_id"],
            "decision_date": r["decision_date"],
            "award_code": r["award_code"],
            "award_name": r["award_name"],
            "subject_kind": r["subject_kind"],
            "awarding_kind": r["awarding_kind"],
            "campaign_id": r["t_campaign"],
            "count": r["t_count"],
            "women": r["t_women"],
            "direct": r["t_direct"],
            "known": r["t_known"],
            "prize": r["t_prize"] or 0,
            "prized": r["t_prized"],
            "whole_month": False,
        }
        for r in rows
    ]
    return days + _months_of(days)


def _months_of(days: list[dict]) -> list[dict]:
    """The day groups summed again per month (see AwardTally.whole_month)."""
    months: dict[tuple, dict] = {}
    for group in days:
        month = {**group, "decision_date": group["decision_date"].replace(day=1)}
        month["whole_month"] = True
        key = tuple(month[name] for name in KEY)
        if key in months:
            for name in COUNTED:
                months[key][name] += group[name]
        else:
            months[key] = month
    return list(months.values())


def _apply(groups: list[dict], sign: int) -> None:
    for group in groups:
        key = {name: group[name] for name in KEY}
        deltas = {name: sign * group[name] for name in COUNTED}
        # One row of the key gets the delta (a key may have two rows: see AwardTally).
        pk = AwardTally.objects.filter(**key).values_list("pk", flat=True).first()
        changed = pk is not None and AwardTally.objects.filter(pk=pk).update(
            **{name: F(name) + delta for name, delta in deltas.items()}
        )
        if not changed:  # no row yet, or it was just emptied and deleted by another writer
            AwardTally.objects.create(**key, **deltas)
        elif sign < 0:
            AwardTally.objects.filter(pk=pk, count=0).delete()


def add_awards(entry_ids: Iterable[int]) -> None:
    """Count the valid entries just written (in the writer's transaction)."""
    ids = list(entry_ids)
    if ids:
        entries = RegistryEntry.objects.filter(pk__in=ids, status=RegistryStatus.VALID)
        _apply(_grouped(entries), +1)


def remove_award(entry_id: int) -> None:
    """Stop counting one entry (revoked, in the revoking transaction)."""
    _apply(_grouped(RegistryEntry.objects.filter(pk=entry_id)), -1)


def _lock_tallies() -> None:
    # A writer that already touched a tally row holds a ROW EXCLUSIVE lock: the rebuild
    # waits for it to commit, then counts its entries; a writer arriving later waits for the
    # rebuild and adds to the new rows. Either way nothing is counted twice or missed.
    # SQLite has one writer at a time already.
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(AwardTally._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")


@transaction.atomic
def rebuild_award_tallies() -> int:
    """Recount every tally from the valid entries (after a bulk load); returns the rows."""
    _lock_tallies()
    AwardTally.objects.all().delete()
    groups = _grouped(RegistryEntry.objects.filter(status=RegistryStatus.VALID))
    AwardTally.objects.bulk_create((AwardTally(**g) for g in groups), batch_size=5000)
    return len(groups)


def award_tally_differences() -> list[tuple[tuple, dict, dict]]:
    """Keys whose tally differs from a recount of the entries: (key, expected, found)."""
    expected = {
        tuple(g[name] for name in KEY): {name: g[name] for name in COUNTED}
        for g in _grouped(RegistryEntry.objects.filter(status=RegistryStatus.VALID))
    }
    found: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(COUNTED, 0))
    for row in AwardTally.objects.values(*KEY, *COUNTED).iterator():
        sums = found[tuple(row[name] for name in KEY)]
        for name in COUNTED:
            sums[name] += row[name]
    zero = dict.fromkeys(COUNTED, 0)
    return [
        (key, expected.get(key, zero), found.get(key, zero))
        for key in sorted(set(expected) | set(found), key=repr)
        if expected.get(key, zero) != found.get(key, zero)
    ]
