"""Tallies for a database that has awards but none yet (connected to `post_migrate`)."""

from registry.models import AwardTally, RegistryEntry
from registry.tallies import rebuild_award_tallies
from workflow.deadlines import configured_calendar
from workflow.models import ClockTally, StageDeadline
from workflow.tallies import rebuild_clock_tallies


def fill_empty_tallies(sender, using="default", **kwargs) -> None:
    """After `migrate`: a database that holds awards or finished clocks but no tallies (one
    upgraded to the release that added them, or restored from a dump taken before) gets them
    counted now, so the statistics page never shows zeros for a registry that is full. A
    database whose tallies exist is left alone (two EXISTS look-ups); differences found later
    are `check_invariants`' job and `rebuild_tallies`' repair."""
    if using != "default":
        return
    if not AwardTally.objects.exists() and RegistryEntry.objects.exists():
        rebuild_award_tallies()
    finished = StageDeadline.objects.filter(closed_at__isnull=False)
    if not ClockTally.objects.exists() and finished.exists():
        rebuild_clock_tallies(calendar_of=configured_calendar)
