"""`manage.py check_invariants`: every cross-app invariant; exit 1 if any is broken."""

from django.core.management.base import BaseCommand

from integrity.invariants import violations


class Command(BaseCommand):
    help = "Kiểm tra các bất biến dữ liệu (trạng thái hồ sơ, phiếu bầu, sổ số, chuỗi kiểm toán)."

    def handle(self, *args, **options):
        found = violations()
        for violation in found:
            self.stderr.write(str(violation))
        if found:
            self.stderr.write(f"{len(found)} violations")
            raise SystemExit(1)
        self.stdout.write("OK 0 violations")
