"""manage.py seed_demo: the demo province, its people, the award catalogue. Idempotent."""

from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

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
        # The demo dossiers' notices stay in the app (the bell); their e-mails go to an
        # in-memory box, never to the console or a real mail server.
        # One transaction: all or nothing, and its after-commit deliveries run here.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            with transaction.atomic():
                logins = seed_organisations()
                seed_catalogue()
                seed_calendar(range(2025, 2029))
                seed_dossiers()
                seed_councils()
                seed_registry()
            held = len(mail.outbox)
        if held:
            self.stdout.write(
                f"{held} thư thông báo của hồ sơ mẫu không được gửi đi (chỉ hiện trong ứng dụng)."
            )
        if not quiet:
            self.stdout.write(f"Mật khẩu chung của mọi tài khoản mẫu: {DEMO_PASSWORD}")
            for username, name, role in logins:
                self.stdout.write(f"  {username:<40} {name:<28} {role}")
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng."))
