"""`manage.py verify_audit`: walk the audit chain; exit 1 at the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from audit.services import verify_chain


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của nhật ký kiểm toán; báo mắt xích hỏng đầu tiên (mã thoát 1)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect",
            metavar="SEQ:HASH",
            help="a head printed by an earlier run: it must still be in the chain "
            "(catches rows cut off the end)",
        )

    def handle(self, *args, expect=None, **options):
        expected = None
        if expect:
            seq, _, digest = expect.partition(":")
            if not seq.isdigit() or len(digest) != 64:
                raise CommandError("--expect takes SEQ:HASH, e.g. 120:3f5a…")
            expected = (int(seq), digest)
        report = verify_chain(expect=expected)
        if not report.ok:
            self.stderr.write(
                f"BROKEN at row {report.broken_at}: {report.problem} "
                f"({report.rows} rows verified before it)"
            )
            raise SystemExit(1)
        self.stdout.write(f"OK {report.rows} rows (head {report.rows}:{report.last_hash})")
