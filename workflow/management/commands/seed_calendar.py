"""manage.py seed_calendar 2027 2028: copy the holidays package's days into the admin table."""

from django.core.management.base import BaseCommand

from workflow.deadlines import seed_calendar


class Command(BaseCommand):
    help = "Chép ngày lễ, nghỉ bù, làm bù của các năm vào lịch làm việc để quản trị viên xác nhận."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", type=int)

    def handle(self, *args, years: list[int], **options):
        self.stdout.write(f"{seed_calendar(years)}")
