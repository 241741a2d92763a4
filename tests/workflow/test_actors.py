"""Who may act in each state, and who is told when a dossier gets there (workflow.actors).

A school's Bằng khen dossier (Trường Tiểu học Hợp Thành → Xã Hợp Thành → tỉnh Lạng Sơn) is
taken to every state through the real services; then every demo user with a role is asked
which transitions they may fire, and the notices the step into the state wrote are read back.
"""

import pytest
from django.contrib.auth import get_user_model

from core.errors import TransitionRefused
from notifications.models import OutboxMessage
from organisations.roles import Role
from tests import factories as f
from workflow import services as transitions
from workflow.actors import ACTORS
from workflow.flows import TASK_NODES, open_task
from workflow.states import DossierStatus as S

pytestmark = pytest.mark.django_db

SCHOOL = "th-hop-thanh"
PROPOSER = "th-hop-thanh.thiduakhenthuong"
HEAD = "th-hop-thanh.thutruong"
COMMUNE_CLERK = "hop-thanh.vanphong"
COMMUNE_HEAD = "hop-thanh.thutruong"
COMMUNE_CHAIR = "hop-thanh.chutichhd"
PROVINCE_CLERK = "lang-son.vanphong"
SIGNER = "lang-son.lanhdao"


class _Mark:
    """The last outbox row before the step into the state under test."""

    pk = 0


def _mark() -> None:
    _Mark.pk = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _draft(demo):
    dossier = f.make_draft(demo[SCHOOL], nominees=2)
    _mark()
    return dossier


def _unit_review(demo):
    dossier = _draft(demo)
    _mark()
    transitions.submit_dossier(dossier.pk, by=f.user(PROPOSER))
    return dossier


def _commune_appraisal(demo):
    dossier = _unit_review(demo)
    _mark()
    transitions.approve_dossier(dossier.pk, by=f.user(HEAD))
    return dossier


def _commune_appraisal_received(demo):
    dossier = _commune_appraisal(demo)
    _mark()
    transitions.accept_dossier(dossier.pk, by=f.user(COMMUNE_CLERK))
    return dossier


def _commune_council(demo):
    dossier = _commune_appraisal_received(demo)
    _mark()
    transitions.send_to_council(dossier.pk, by=f.user(COMMUNE_CLERK))
    return dossier


def _province_appraisal(demo):
    dossier = f.make_dossier_at_council(demo[SCHOOL], level="intermediate", nominees=2)
    _mark()
    return f.pass_council(dossier)


def _province_council(demo):
    dossier = _province_appraisal(demo)
    clerk = f.user(PROVINCE_CLERK)
    transitions.accept_dossier(dossier.pk, by=clerk)
    _mark()
    transitions.send_to_council(dossier.pk, by=clerk)
    return dossier


def _awaiting_decision(demo):
    dossier = f.make_dossier_at_council(demo[SCHOOL], nominees=2)
    _mark()
    return f.pass_council(dossier)


def _returned(demo):
    dossier = _commune_appraisal(demo)
    _mark()
    transitions.return_for_supplement(dossier.pk, by=f.user(COMMUNE_CLERK), reason="Thiếu biên bản")
    return dossier


def _withdrawn(demo):
    dossier = _commune_appraisal(demo)
    _mark()
    transitions.withdraw_dossier(dossier.pk, by=f.user(PROPOSER), reason="Đơn vị rút đề nghị")
    return dossier


def _not_approved(demo):
    dossier = _commune_appraisal_received(demo)
    _mark()
    transitions.reject_dossier(dossier.pk, by=f.user(COMMUNE_CLERK), reason="Chưa đủ tiêu chuẩn")
    return dossier


# state -> (how to get there, {username: transitions they may fire now}, who the step told:
# {username: notice kind}, besides the proposing unit's filer, who is told of every step).
CASES = {
    "draft": (_draft, S.DRAFT, {PROPOSER: {"submit", "withdraw"}, HEAD: {"withdraw"}}, {}),
    "unit_review": (
        _unit_review,
        S.UNIT_REVIEW,
        {HEAD: {"approve_at_unit", "return_for_supplement", "withdraw"}, PROPOSER: {"withdraw"}},
        {HEAD: "dossier_action_needed"},
    ),
    "commune_appraisal": (
        _commune_appraisal,
        S.INTERMEDIATE_APPRAISAL,
        {
            COMMUNE_CLERK: {"accept_complete", "return_for_supplement", "reject"},
            PROPOSER: {"withdraw"},
            HEAD: {"withdraw"},
        },
        {COMMUNE_CLERK: "dossier_action_needed"},
    ),
    "commune_appraisal_received": (
        _commune_appraisal_received,
        S.INTERMEDIATE_APPRAISAL,
        {
            COMMUNE_CLERK: {"send_to_intermediate_council", "return_for_supplement", "reject"},
            PROPOSER: {"withdraw"},
            HEAD: {"withdraw"},
        },
        {},
    ),
    "commune_council": (
        _commune_council,
        S.INTERMEDIATE_COUNCIL,
        {
            COMMUNE_CHAIR: {"conclude_council", "reject"},
            COMMUNE_CLERK: {"conclude_council", "reject"},
        },
        {COMMUNE_CLERK: "dossier_for_council"},
    ),
    "province_appraisal": (
        _province_appraisal,
        S.PROVINCIAL_APPRAISAL,
        {
            PROVINCE_CLERK: {"accept_complete", "return_for_supplement", "reject"},
            PROPOSER: {"withdraw"},
            HEAD: {"withdraw"},
        },
        {PROVINCE_CLERK: "dossier_action_needed"},
    ),
    "province_council": (
        _province_council,
        S.PROVINCIAL_COUNCIL,
        {
            "lang-son.chutichhd": {"conclude_council", "reject"},
            PROVINCE_CLERK: {"conclude_council", "reject"},
        },
        {PROVINCE_CLERK: "dossier_for_council"},
    ),
    "awaiting_decision": (
        _awaiting_decision,
        S.AWAITING_DECISION,
        {SIGNER: {"decide"}, PROVINCE_CLERK: {"decide"}},
        {SIGNER: "dossier_action_needed", PROVINCE_CLERK: "dossier_action_needed"},
    ),
    "returned": (
        _returned,
        S.RETURNED,
        {PROPOSER: {"resubmit", "withdraw"}, HEAD: {"withdraw"}},
        {},
    ),
    "withdrawn": (_withdrawn, S.WITHDRAWN, {}, {COMMUNE_CLERK: "dossier_withdrawn"}),
    "not_approved": (_not_approved, S.NOT_APPROVED, {}, {}),
}


def test_every_state_has_a_case_and_an_actor_row():
    reached = {state for _, state, _, _ in CASES.values()}
    assert reached | {S.DECIDED} == set(S.values)
    assert set(ACTORS) == set(S.values)


def _role_holders():
    return list(get_user_model().objects.filter(memberships__isnull=False).distinct())


@pytest.mark.parametrize("case", sorted(CASES))
def test_who_may_act_and_who_is_told(demo, case):
    build, state, may, told = CASES[case]
    dossier = build(demo)
    dossier.refresh_from_db()
    assert dossier.status == state

    actions = {}
    for person in _role_holders():
        names = set(transitions.available_actions(dossier, person))
        if names:
            actions[person.username] = names
    assert actions == may

    # The viewflow task open now is the node of the same actor group (None when final).
    task = open_task(dossier)
    expected_actor = ACTORS[state].acts
    assert (TASK_NODES[task.flow_task] if task else None) == expected_actor

    rows = OutboxMessage.objects.filter(pk__gt=_Mark.pk).select_related("recipient")
    asked = {r.recipient.username: r.template for r in rows if r.recipient.username != PROPOSER}
    assert asked == told


def test_the_communes_unit_head_cannot_return_a_units_dossier_at_commune_appraisal(demo, client):
    """Returning at the commune is its secretariat's step; the commune's own unit head (who
    heads the commune as a proposing unit) gets neither the step nor its button."""
    dossier = _commune_appraisal(demo)
    commune_head = f.user(COMMUNE_HEAD)
    assert "return_for_supplement" not in transitions.available_actions(dossier, commune_head)

    with pytest.raises(TransitionRefused) as refused:
        transitions.return_for_supplement(dossier.pk, by=commune_head, reason="Thiếu biên bản")
    assert refused.value.code == "no_permission"
    dossier.refresh_from_db()
    assert dossier.status == S.INTERMEDIATE_APPRAISAL

    client.force_login(commune_head)
    page = client.get(f"/ho-so/{dossier.pk}/")
    assert page.status_code == 200  # he sees dossiers routed to his commune
    assert b"return_for_supplement" not in page.content
    # The page names who acts instead: the commune's secretariat.
    text = page.content.decode()
    assert "Người xử lý tiếp" in text
    assert f"{Role.SECRETARIAT.label} – Xã Hợp Thành" in text
