"""manage.py sweep_deadlines: the beat task by hand (cron without Celery beat). Idempotent."""

from django.core.management.base import BaseCommand

from workflow.deadlines import sweep_deadlines


class Command(BaseCommand):
    help = "Gửi lời nhắc hạn đến ngày và báo quá hạn; chạy lại không gửi trùng."

    def handle(self, *args, **options):
        self.stdout.write(f"{sweep_deadlines()}")
