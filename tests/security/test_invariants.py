"""Issue 15: `manage.py check_invariants` finds what the services never do and a direct
write (or a race) would leave: a state without its audit row, a ballot receipt in a draft
meeting or without its choice, a hole or a relabelled number in the register, a broken
audit chain. A world made through the services has none."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from audit.database import maintenance
from councils import services as councils
from councils.demo import seed_councils
from councils.models import BallotReceipt, Council, Meeting, MeetingStatus
from decisions import services as decisions
from decisions.models import Decision
from dossiers.models import Dossier
from integrity.invariants import violations
from tests import factories as f
from tests.councils.conftest import chair_of, meeting_with, voters
from tests.decisions.helpers import decision_for, issue
from workflow.states import DossierStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(demo):
    """Through the services only: a commune meeting voted on (secret ballot), a dossier
    decided by a numbered decision, a voided number."""
    seed_councils()
    council = Council.objects.get(organisation__code="hop-thanh")
    voted = f.make_dossier_at_council(demo["th-hop-thanh"], level="intermediate", nominees=1)
    meeting = meeting_with(council, [voted])
    councils.open_meeting(meeting.pk, by=chair_of(council))
    (nominee,) = voted.active_nominees()
    for member in voters(council)[:3]:
        councils.cast_ballot(meeting.pk, by=member.user, nominee_id=nominee.pk, choice="agree")
    awaiting, draft, secretariat = decision_for(demo["so-y-te"], nominees=1)
    decision = issue(draft, by=f.user("lang-son.lanhdao"))
    decisions.void_number(demo["lang-son"].pk, by=secretariat, year=2027, reason="In hỏng")
    return {"meeting": meeting, "nominee": nominee, "decision": decision, "dossier": awaiting}


def _run() -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("check_invariants", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code), err.getvalue()
    return 0, out.getvalue()


def _checks() -> set[str]:
    return {v.check for v in violations()}


def test_a_world_made_through_the_services_has_no_violation(world):
    assert Dossier.objects.get(pk=world["dossier"].pk).status == DossierStatus.DECIDED
    assert violations() == []
    assert _run() == (0, "OK 0 violations\n")


def test_a_state_set_directly_is_found(world):
    Dossier.objects.filter(pk=world["dossier"].pk).update(status=DossierStatus.AWAITING_DECISION)
    code, report = _run()
    assert code == 1
    assert "[dossier_state]" in report
    assert "'awaiting_decision', last audit entry says 'decided'" in report


def test_a_deleted_ballot_receipt_is_found(world):
    BallotReceipt.objects.filter(meeting=world["meeting"]).first().delete()
    assert _checks() == {"receipts_vs_choices"}
    (found,) = violations()
    assert found.problem == "2 receipts, 3 choices"


def test_a_receipt_in_a_draft_meeting_is_found(world):
    Meeting.objects.filter(pk=world["meeting"].pk).update(status=MeetingStatus.DRAFT)
    assert _checks() == {"receipt_in_draft_meeting"}
    assert len(violations()) == 3


def _raw(sql: str, params=()) -> None:
    with maintenance(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_relabelled_decision_is_found(world):
    _raw(
        "UPDATE decisions_decision SET label = 'Số: 07/QĐ-UBND' WHERE id = %s",
        [world["decision"].pk],
    )
    assert Decision.objects.get(pk=world["decision"].pk).label == "Số: 07/QĐ-UBND"
    (found,) = violations()
    assert found.check == "decision_number"
    assert "does not match number 1" in found.problem


def test_a_hole_in_the_number_register_is_found(world):
    _raw("DELETE FROM decisions_registerednumber WHERE use = 'voided'")
    found = {v.problem for v in violations() if v.check == "number_register"}
    assert found == {"last number 2, register ends at 1"}
    decisions.void_number(
        world["decision"].issuer_id, by=f.user("lang-son.vanphong"), year=2027, reason="Hỏng"
    )
    found = {v.problem for v in violations() if v.check == "number_register"}
    assert found == {"numbers 2–2 missing before 3 (voided)"}


def test_a_paper_number_jump_is_not_a_hole(world):
    decisions.record_external_number(
        world["decision"].issuer_id,
        by=f.user("lang-son.vanphong"),
        number=9,
        issued_on=date(2027, 2, 1),
        note="Quyết định giấy",
    )
    assert violations() == []


def test_a_broken_audit_chain_is_found(world):
    _raw("UPDATE audit_auditevent SET reason = 'sửa' WHERE seq = 2")
    assert _checks() == {"audit_chain"}
