"""A database upgraded to the release with tallies (or restored from an older dump) holds
awards and clocks but no tallies: `migrate` counts them, so the statistics page does not
show zeros for a full registry; a database whose tallies exist is left as it is."""

import pytest
from django.apps import apps
from django.db.models.signals import post_migrate

from registry.models import AwardTally
from registry.tallies import award_tally_differences
from workflow.deadlines import configured_calendar
from workflow.models import ClockTally
from workflow.tallies import clock_tally_differences

pytestmark = pytest.mark.django_db


def migrated() -> None:
    """What `migrate` sends for this app once its migrations are applied (the command itself
    cannot run inside the test's transaction on SQLite; the signal is the part under test)."""
    config = apps.get_app_config("reports")
    post_migrate.send(
        sender=config,
        app_config=config,
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )


def test_migrate_counts_the_tallies_of_a_database_that_has_none(seeded_year):
    assert AwardTally.objects.exists()
    assert ClockTally.objects.exists()
    AwardTally.objects.all().delete()  # as before the release that added them
    ClockTally.objects.all().delete()
    assert award_tally_differences() != []  # the page would show zeros

    migrated()

    assert award_tally_differences() == []
    assert clock_tally_differences(calendar_of=configured_calendar) == []


def test_migrate_leaves_existing_tallies_alone(seeded_year):
    kept = AwardTally.objects.order_by("pk").first()
    kept.count += 1  # a difference: check_invariants reports it, rebuild_tallies repairs it
    kept.save(update_fields=["count"])

    migrated()

    kept.refresh_from_db()
    assert len(award_tally_differences()) >= 1  # not silently rebuilt on every migrate
