"""`manage.py rebuild_tallies`: recount the statistics' tallies from the awards and clocks.

For rows written in bulk, around the services that keep the tallies (a restore, a load by
SQL such as bench/volume.py), or to repair what `check_invariants` reports. Safe while the
services write: each table is locked while it is recounted (registry.tallies).
"""

from django.core.management.base import BaseCommand

from registry.tallies import rebuild_award_tallies
from workflow.deadlines import configured_calendar
from workflow.tallies import rebuild_clock_tallies


class Command(BaseCommand):
    help = "Tính lại số liệu tổng hợp của trang thống kê từ sổ khen thưởng và thời hạn xử lý."

    def handle(self, *args, **options):
        awards = rebuild_award_tallies()
        clocks = rebuild_clock_tallies(calendar_of=configured_calendar)
        self.stdout.write(f"award tallies: {awards} rows; clock tallies: {clocks} rows")
