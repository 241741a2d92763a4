"""manage.py requeue_stale: hand unsent notices to Celery again (after a broker outage)."""

from django.core.management.base import BaseCommand

from notifications import tasks


class Command(BaseCommand):
    help = "Gửi lại cho Celery các thông báo chưa gửi thư (ví dụ sau khi Redis ngừng hoạt động)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, default=300, help="Chỉ các thông báo tạo trước N giây."
        )

    def handle(self, *args, older_than: int = 300, **options):
        # Runs the beat task's body here, in this process; only the hand-over needs the broker.
        count = tasks.requeue_stale(older_than_seconds=older_than)
        self.stdout.write(f"{count}")
