"""manage.py seed_demo: the demo province, its people, the award catalogue. Idempotent."""

from django.core.management.base import BaseCommand

from councils.demo import seed_councils
from decisions.demo import seed_registry
from dossiers.catalogue import seed_catalogue
from dossiers.demo import seed_dossiers
from organisations.demo import DEMO_PASSWORD, seed_organisations
from workflow.deadlines import seed_calendar


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu (tỉnh Lạng Sơn, người dùng, danh mục khen thưởng). Chạy lại không đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Không in danh sách tài khoản.")

    def handle(self, *args, quiet: bool = False, **options):
        logins = seed_organisations()
        seed_catalogue()
        seed_calendar(range(2025, 2029))
        seed_dossiers()
        seed_councils()
        seed_registry()
        if not quiet:
            self.stdout.write(f"Mật khẩu chung của mọi tài khoản mẫu: {DEMO_PASSWORD}")
            for username, name, role in logins:
                self.stdout.write(f"  {username:<40} {name:<28} {role}")
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng."))
