"""Render page 1 of the decision, its attached list, the council minutes and a certificate
as PNG under docs/ (pdftoppm -png -r 80), from real rows on a throw-away SQLite database.

    .venv/bin/python bench/render_samples.py            # writes docs/*-page1.png

Needs LibreOffice and poppler-utils (see docs/signing.md). Not a benchmark: `make bench`
runs bench/bench_*.py only.
"""

import contextlib
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="kh-samples-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'samples.sqlite3'}"


def png(pdf: bytes, name: str, page: int = 1) -> None:
    source = WORK / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(source),
            str(ROOT / "docs" / name),
        ],
        check=True,
    )
    print("docs/" + name + ".png")


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", "--quiet", "--force")  # a throw-away database

    from core.errors import DomainError
    from councils import services as council_services
    from councils.minutes import build_minutes
    from councils.models import Council, Meeting
    from decisions.certificates import certificates_pdf
    from decisions.models import SignedDecision
    from decisions.pdf import docx_to_pdf, first_page_with
    from decisions.signing import signed_path
    from organisations.models import Organisation
    from tests import factories as f
    from tests.councils.conftest import chair_of, meeting_with, secretariat_of, voters
    from tests.decisions.helpers import decision_for, issue

    unit = Organisation.objects.get(code="th-hop-thanh")
    with override_settings(KHENTHUONG_SIGN_ON_ISSUE=True):
        from django.db import transaction

        with transaction.atomic():
            _dossier, draft, _secretariat = decision_for(unit, nominees=4)
            # Signed today: a decision bears its signing day, and the signature's time
            # (taken after commit) must agree with it.
            decision = issue(draft, by=f.user("lang-son.lanhdao"), on=date.today())  # noqa: DTZ011
    signed = signed_path(SignedDecision.objects.get(decision=decision)).read_bytes()
    png(signed, "decision-pdf-page1")
    annex = (first_page_with(signed, "DANH SÁCH") or 0) + 1
    png(signed, "decision-annex-page1", page=annex)
    png(certificates_pdf(decision), "certificate-page1")

    council = Council.objects.get(organisation__code="hop-thanh")
    dossier = f.make_dossier_at_council(unit, level="intermediate", nominees=3, year=2024)
    members = voters(council)
    meeting = meeting_with(council, [dossier])
    council_services.record_attendance(meeting.pk, by=secretariat_of(council), absent={})
    council_services.open_meeting(meeting.pk, by=chair_of(council))
    for nominee in dossier.active_nominees():
        for member in members:
            with contextlib.suppress(DomainError):  # a recused member
                council_services.cast_ballot(
                    meeting.pk, by=member.user, nominee_id=nominee.pk, choice="agree"
                )
    council_services.close_meeting(meeting.pk, by=chair_of(council), note="Thống nhất.")
    png(docx_to_pdf(build_minutes(Meeting.objects.get(pk=meeting.pk))), "minutes-pdf-page1")


if __name__ == "__main__":
    main()
