"""manage.py seed_demo: the demo province, its people, the award catalogue. Idempotent."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from campaigns.demo import seed_campaigns
from councils.demo import council_logins, seed_councils
from decisions.demo import seed_registry
from demo.models import DemoAccount
from dossiers.catalogue import seed_catalogue
from dossiers.demo import seed_dossiers
from organisations.demo import DEMO_PASSWORD, seed_organisations
from reports.demo import seed_statistics
from workflow.deadlines import seed_calendar


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu (tỉnh Lạng Sơn, người dùng, danh mục khen thưởng). Chạy lại không đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Không in danh sách tài khoản.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Chạy cả khi DEBUG tắt (máy chủ thật): chỉ dùng cho máy trình diễn.",
        )

    def handle(self, *args, quiet: bool = False, force: bool = False, **options):
        # The demo accounts share one password that this command prints: on a real server
        # they would be open doors. Off DEBUG, only an explicit --force seeds them.
        if not settings.DEBUG and not force:
            raise CommandError(
                "Từ chối tạo dữ liệu mẫu: DEBUG đang tắt (máy chủ thật?). Dữ liệu mẫu tạo hàng "
                "chục tài khoản với mật khẩu chung công khai. Nếu đây là máy trình diễn, chạy "
                "lại với --force; mỗi tài khoản mẫu phải đổi mật khẩu ở lần đăng nhập đầu."
            )
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
                seed_statistics()  # a year of decided awards (reports.demo)
                logins += seed_campaigns()  # a campaign and a cluster (campaigns.demo)
                members = council_logins()
                _mark_demo_accounts([username for username, _name, _role in logins + members])
            held = len(mail.outbox)
        if held:
            self.stdout.write(
                f"{held} thư thông báo của hồ sơ mẫu không được gửi đi (chỉ hiện trong ứng dụng)."
            )
        if not quiet:
            self.stdout.write(
                f"Mật khẩu chung của mọi tài khoản mẫu: {DEMO_PASSWORD} "
                "(phải đổi ở lần đăng nhập đầu tiên)"
            )
            for username, name, role in logins:
                self.stdout.write(f"  {username:<40} {name:<28} {role}")
            # A council meeting needs most of its members' votes (Decree 98/2023 art. 30
            # §7: 80 % or 90 % of all members), so the journey needs these log-ins too.
            self.stdout.write("Thành viên Hội đồng Thi đua – Khen thưởng (bỏ phiếu tại phiên họp):")
            for username, name, seat in members:
                self.stdout.write(f"  {username:<40} {name:<28} {seat}")
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng."))


def _mark_demo_accounts(usernames: list[str]) -> None:
    """Each account on the published password must change it at its first password log-in."""
    for user in get_user_model().objects.filter(username__in=usernames):
        DemoAccount.objects.get_or_create(user=user)
