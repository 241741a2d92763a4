"""Council fixtures: the demo councils, and a meeting with dossiers put before it through
the real services (submit, forward, accept, send_to_council; then the agenda)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from councils import services
from councils.demo import seed_councils
from councils.models import Council, CouncilMember
from tests import factories as f

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
WHEN = datetime(2026, 11, 20, 8, 30, tzinfo=HANOI)


@pytest.fixture
def councils(demo):
    seed_councils()
    return {c.organisation.code: c for c in Council.objects.select_related("organisation")}


def voters(council: Council) -> list[CouncilMember]:
    return [m for m in council.members.select_related("user", "council") if m.votes()]


def meeting_with(council: Council, dossiers, *, title: str = "Xét khen thưởng năm 2025"):
    secretariat = f.user(f"{council.organisation.code}.vanphong")
    meeting = services.create_meeting(
        council.pk, by=secretariat, title=title, scheduled_for=WHEN, place="Phòng họp số 1"
    )
    for dossier in dossiers:
        services.add_to_agenda(meeting.pk, by=secretariat, dossier_id=dossier.pk)
    return meeting


def chair_of(council: Council):
    return f.user(f"{council.organisation.code}.chutichhd")


def secretariat_of(council: Council):
    return f.user(f"{council.organisation.code}.vanphong")
