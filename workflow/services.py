"""Every change of a dossier's state: one verb each, called by views, flows, tasks alike.

Each service: lock the row, check permission then conditions, fire the django-fsm
transition, save, write the audit row, move the stage pointer and clocks, and queue
notices in the outbox (rows in this transaction; delivery only after commit).
A refusal raises TransitionRefused before anything is written.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from core.errors import DomainError, TransitionRefused
from dossiers.models import Dossier, DossierStage, Nominee, NomineeOutcome, Outcome
from dossiers.posting import open_posting_on_approval
from notifications import outbox
from registry.checks import refuse_if_held
from webhooks import outbox as webhook_outbox

from . import deadlines
from .actors import PROPOSING_UNIT, told_on_arrival
from .conditions import VERIFIED, shared_facts
from .flows import sync_process
from .rulesets import award_type_in, pinned_snapshot, plan_route, rule_set_on
from .states import APPRAISAL_STATE, COUNCIL_STATE, DossierStatus, StageTier


def _lock(dossier_id: int, *, reread: bool = False) -> Dossier:
    # select_for_update serialises concurrent actors on PostgreSQL: the second waits, then
    # sees the new state and is refused as a conflict instead of firing twice.
    # After the wait PostgreSQL re-reads only the locked row; the joined ones (the current
    # stage of select_related) still come from the snapshot taken before it. A transition
    # whose guard reads the stage, not the status, passes `reread`: the lock is taken
    # alone and everything is read by a second statement, after the wait.
    query = Dossier.objects.select_related("current_stage__organisation", "proposer", "award_type")
    if reread:
        list(Dossier.objects.select_for_update().filter(pk=dossier_id).values_list("pk"))
        return query.get(pk=dossier_id)
    return query.select_for_update(of=("self",)).get(pk=dossier_id)


def _check(dossier: Dossier, method, by) -> None:
    """Refuse unless `method` may fire now for `by`; says which rule failed.

    Permission is checked before conditions so that a user with no rights on the dossier
    learns nothing about its contents (missing documents, nominees).
    """
    meta = method._django_fsm
    transition = meta.get_transition(dossier.status)
    if transition is None:
        raise TransitionRefused.conflict(dossier)
    if not transition.has_perm(dossier, by):
        raise TransitionRefused.no_permission()
    with shared_facts(dossier):
        failed = [cond.message for cond in transition.conditions if not cond(dossier)]
    if failed:
        raise TransitionRefused.unmet(failed)
    setattr(dossier, VERIFIED, frozenset(transition.conditions))


def _fire(
    dossier: Dossier,
    name: str,
    *,
    by,
    note: str = "",
    data=None,
    args: dict | None = None,
    checked: bool = False,
    moves_on: bool = False,
) -> None:
    """Fire a transition, save, audit, and let the viewflow process follow.

    `checked`: the caller already ran _check (and may since have changed what a condition
    reads). `moves_on`: the caller points the dossier at its next stage afterwards and
    calls _enter, which then syncs the process (the next task's actors depend on it).
    """
    method = getattr(dossier, name)
    if not checked:
        _check(dossier, method, by)
    previous = dossier.status
    try:
        method(**(args or {}))
    finally:
        dossier.__dict__.pop(VERIFIED, None)  # good for this one transition only
    dossier.save()
    stage = dossier.current_stage
    record_event(
        dossier,
        action=name,
        actor=by,
        from_state=previous,
        to_state=dossier.status,
        reason=note,
        data={"stage": stage.organisation.name if stage else "", **(data or {})},
    )
    # Webhook outbox rows in this transaction: the organisations' systems hear every step.
    webhook_outbox.dossier_transition(dossier, action=name, from_state=previous)
    if not moves_on:
        sync_process(dossier, by=by)


def available_actions(dossier: Dossier, user) -> list[str]:
    """Names of transitions `user` may fire on `dossier` now (pages show these buttons)."""
    names = []
    with shared_facts(dossier):
        for transition in dossier.get_available_status_transitions():
            if not transition.has_perm(dossier, user):
                continue
            if all(cond(dossier) for cond in transition.conditions):
                names.append(transition.name)
    return names


def _next_stage(dossier: Dossier) -> DossierStage | None:
    return dossier.stages.filter(position__gt=dossier.current_stage.position).first()


def _target(stage: DossierStage | None) -> str:
    """The state a dossier takes on entering `stage` (None: past the last, the decision)."""
    return DossierStatus.AWAITING_DECISION if stage is None else _resume_state(stage)


def _enter(dossier: Dossier, stage: DossierStage | None, *, by) -> None:
    """Point the dossier at `stage` after the transition fired (conditions read the old
    one), then let the process open the task of the people who act there.
    """
    if stage is not None:
        stage.entered_at = timezone.now()
        stage.save(update_fields=["entered_at"])
        dossier.current_stage = stage
        dossier.save(update_fields=["current_stage", "updated_at"])
    sync_process(dossier, by=by)


def _complete_current(dossier: Dossier) -> None:
    stage = dossier.current_stage
    stage.completed_at = timezone.now()
    stage.save(update_fields=["completed_at"])
    deadlines.close_deadlines(dossier)


def _notify(dossier: Dossier, users: Iterable, *, template: str, key: str, **context) -> None:
    outbox.enqueue(
        recipients=users,
        template=template,
        dedupe_key=f"dossier:{dossier.pk}:{key}",
        context={
            "dossier_id": dossier.pk,
            "reference": dossier.reference,
            "title": dossier.title,
            "status": str(dossier.get_status_display()),
            "url": reverse("dossiers:detail", args=[dossier.pk]),
            **context,
        },
    )


def _notify_proposers(dossier: Dossier, *, template: str, key: str, **context) -> None:
    """Tell the proposing unit's filers (who follow their dossier) what happened to it."""
    _notify(
        dossier,
        PROPOSING_UNIT.users(dossier),
        template=template,
        key=key,
        **context,
    )


def _notify_next_actors(dossier: Dossier, key: str) -> None:
    """Ask whoever workflow.actors names for the new state to act; tell the proposers."""
    stage = dossier.current_stage
    _notify(
        dossier,
        told_on_arrival(dossier),
        template="dossier_action_needed",
        key=key,
        stage=stage.organisation.name,
    )
    _notify_proposers(
        dossier,
        template="dossier_status_changed",
        key=f"{key}:proposer",
        stage=stage.organisation.name,
    )


@transaction.atomic
def submit_dossier(dossier_id: int, *, by) -> Dossier:
    """The proposer sends a draft to the unit head; the route is planned with today's rules.

    Side effects: stage rows (route resolved from the proposer's place in the tree), the
    transition, an audit row, notices to the unit heads.
    """
    dossier = _lock(dossier_id)
    _check(dossier, dossier.submit, by)
    today = timezone.localdate()
    planned = plan_route(dossier.award_type, dossier.proposer, on=today)
    dossier.stages.all().delete()
    stages = DossierStage.objects.bulk_create(
        DossierStage(
            dossier=dossier,
            position=p.position,
            tier=p.tier,
            organisation=p.organisation,
            rules=p.rules,
        )
        for p in planned
    )
    _fire(dossier, "submit", by=by, checked=True, moves_on=True)
    _enter(dossier, stages[0], by=by)
    _notify_next_actors(dossier, f"submitted:{dossier.round}")
    return dossier


@transaction.atomic
def approve_dossier(dossier_id: int, *, by, note: str = "") -> Dossier:
    """The unit head approves the unit's dossier and sends it to the first receiving level.

    After the last stage of a unit-level award (e.g. Lao động tiên tiến) it awaits the
    unit head's own decision.
    """
    return _send_on(dossier_id, "approve_at_unit", by=by, note=note)


@transaction.atomic
def forward_dossier(dossier_id: int, *, by, note: str = "") -> Dossier:
    """Send the dossier on from where it stands: from unit review (as approve_dossier) or
    from an appraised stage that has no council vote. Pages call the explicit verbs, so a
    user racing another sees a conflict rather than a permission error.
    """
    status = Dossier.objects.values_list("status", flat=True).get(pk=dossier_id)
    name = "approve_at_unit" if status == DossierStatus.UNIT_REVIEW else "forward"
    return _send_on(dossier_id, name, by=by, note=note)


def _send_on(dossier_id: int, name: str, *, by, note: str) -> Dossier:
    dossier = _lock(dossier_id)
    _check(dossier, getattr(dossier, name), by)
    following = _next_stage(dossier)
    _complete_current(dossier)
    _fire(
        dossier,
        name,
        by=by,
        note=note,
        args={"to": _target(following)},
        checked=True,
        moves_on=True,
    )
    if name == "approve_at_unit":
        # The unit's approved list is published for its award form's window (posting-prize).
        open_posting_on_approval(dossier, by=by)
    _enter(dossier, following, by=by)
    _notify_next_actors(
        dossier, f"entered:{dossier.current_stage_id}:{dossier.status}:{dossier.round}"
    )
    return dossier


@transaction.atomic
def accept_dossier(dossier_id: int, *, by, received_on: date | None = None) -> Dossier:
    """Record that the complete dossier arrived at this stage: its clock starts.

    On the first such receipt the dossier is pinned to the rule set in force that day
    (domain §1: the default anchor), and the stages still ahead are re-planned under it.
    accept_complete keeps the state (target=None): only the stage's receipt date tells a
    second, concurrent acceptance that it comes too late, so the stage is read after the
    lock (`reread`); 20 simultaneous acceptances fire once (tests/security/test_idempotency.py).
    """
    dossier = _lock(dossier_id, reread=True)
    _check(dossier, dossier.accept_complete, by)
    received_on = received_on or timezone.localdate()
    stage = dossier.current_stage
    if dossier.rule_set_id is None:
        _pin_rule_set(dossier, received_on)
        stage.refresh_from_db()
    _fire(
        dossier,
        "accept_complete",
        by=by,
        data={"received_on": received_on.isoformat()},
        checked=True,
    )
    stage.received_complete_on = received_on
    stage.save(update_fields=["received_complete_on"])
    deadlines.open_deadline(stage, start=received_on)
    _notify_proposers(
        dossier,
        template="dossier_received_complete",
        key=f"accepted:{stage.pk}:{dossier.round}",
        stage=stage.organisation.name,
        received_on=received_on.strftime("%d/%m/%Y"),
    )
    return dossier


def _pin_rule_set(dossier: Dossier, day: date) -> None:
    rule_set = rule_set_on(day)
    award_type = award_type_in(rule_set, dossier.award_type.code)
    if award_type is None:
        raise DomainError(
            "award_not_in_rule_set",
            _(
                "Hình thức “%(award)s” không còn trong bộ quy tắc %(rs)s (%(basis)s) áp dụng "
                "từ ngày hồ sơ đầy đủ."
            )
            % {"award": dossier.award_type.name, "rs": rule_set.code, "basis": rule_set.name},
            field="award_type",
        )
    current = dossier.current_stage
    planned = plan_route(award_type, dossier.proposer, on=day)
    ahead = [p for p in planned if p.tier != StageTier.UNIT]
    # Stages already visited stay as they were; the current one keeps its row (and history).
    dossier.stages.filter(position__gt=current.position).delete()
    current.rules = next(
        (p.rules for p in ahead if p.organisation.pk == current.organisation_id), current.rules
    )
    current.save(update_fields=["rules"])
    position = current.position
    for p in ahead:
        if p.organisation.pk == current.organisation_id or p.tier == current.tier:
            continue
        position += 1
        DossierStage.objects.create(
            dossier=dossier,
            position=position,
            tier=p.tier,
            organisation=p.organisation,
            rules=p.rules,
        )
    dossier.award_type = award_type
    dossier.rule_set = rule_set
    dossier.rule_set_pinned_on = day
    # From here on the dossier is judged by this snapshot (Dossier.eligibility_rules,
    # required_documents; stage limits and vote rules by DossierStage.rules), never by
    # the live rule set an administrator may edit.
    dossier.rules_snapshot = pinned_snapshot(rule_set, award_type, planned)


def _resume_state(stage: DossierStage) -> str:
    if stage.tier == StageTier.UNIT:
        return DossierStatus.UNIT_REVIEW
    return APPRAISAL_STATE[StageTier(stage.tier)]


def _require_reason(reason: str, label) -> None:
    if not (reason or "").strip():
        raise DomainError(
            "reason_required", _("%(field)s: bắt buộc nhập.") % {"field": label}, field="reason"
        )


@transaction.atomic
def return_for_supplement(
    dossier_id: int, *, by, reason: str, missing: Iterable[str] = ()
) -> Dossier:
    """Send the dossier back to the proposer to complete it; the stage clock stops.

    Resubmission resumes at the stage that returned it (current_stage keeps pointing at
    it), and its clock restarts from zero (domain §4). Every round stays in the history.
    """
    _require_reason(reason, _("Lý do trả lại"))
    dossier = _lock(dossier_id)
    _check(dossier, dossier.return_for_supplement, by)
    stage = dossier.current_stage
    deadlines.close_deadlines(dossier)
    if stage.received_complete_on:
        stage.received_complete_on = None
        stage.save(update_fields=["received_complete_on"])
    _fire(
        dossier,
        "return_for_supplement",
        by=by,
        checked=True,
        note=reason,
        data={"missing": list(missing), "round": dossier.round},
        args={"reason": reason},
    )
    _notify_proposers(
        dossier,
        template="dossier_returned",
        key=f"returned:{stage.pk}:{dossier.round}",
        reason=reason,
        stage=stage.organisation.name,
    )
    return dossier


@transaction.atomic
def resubmit_dossier(dossier_id: int, *, by, note: str = "") -> Dossier:
    """The proposer sends the supplemented dossier back to the stage that returned it."""
    dossier = _lock(dossier_id)
    _check(dossier, dossier.resubmit, by)
    stage = dossier.current_stage
    stage.entered_at = timezone.now()
    stage.save(update_fields=["entered_at"])
    _fire(dossier, "resubmit", by=by, note=note, args={"to": _resume_state(stage)}, checked=True)
    _notify_next_actors(dossier, f"resubmitted:{dossier.round}")
    return dossier


@transaction.atomic
def send_to_council(dossier_id: int, *, by) -> Dossier:
    """After appraisal, put the dossier before this stage's council."""
    dossier = _lock(dossier_id)
    name = (
        "send_to_intermediate_council"
        if dossier.status == DossierStatus.INTERMEDIATE_APPRAISAL
        else "send_to_provincial_council"
    )
    _fire(dossier, name, by=by)
    stage = dossier.current_stage
    _notify(
        dossier,
        told_on_arrival(dossier),
        template="dossier_for_council",
        key=f"council:{stage.pk}:{dossier.round}",
        stage=stage.organisation.name,
    )
    return dossier


def _record_outcome(dossier: Dossier, nominee: Nominee, outcome: str, note: str) -> None:
    stage = dossier.current_stage
    NomineeOutcome.objects.update_or_create(
        nominee=nominee, stage=stage, defaults={"outcome": outcome, "note": note}
    )
    if outcome == Outcome.FAILED:
        nominee.dropped_at = stage
        nominee.drop_reason = note
        nominee.save(update_fields=["dropped_at", "drop_reason"])


@transaction.atomic
def record_council_result(
    dossier_id: int, *, by, outcomes: dict[int, str], note: str = ""
) -> Dossier:
    """Apply a council's result, nominee by nominee, and move the dossier on.

    `outcomes` maps nominee id to an Outcome. Nominees who failed stop here; if any
    passed, the dossier goes to the next stage (or awaits the decision at the last one);
    if none passed, it ends as not approved. Called by councils.services.close_meeting.
    """
    dossier = _lock(dossier_id)
    if dossier.status not in COUNCIL_STATE.values():
        raise TransitionRefused.conflict(dossier)
    _check(dossier, dossier.conclude_council, by)
    active = {n.pk: n for n in dossier.active_nominees()}
    unknown = set(outcomes) - set(active)
    missing = set(active) - set(outcomes)
    if unknown or missing:
        raise DomainError(
            "outcomes_mismatch",
            _("Kết quả phải có đúng một dòng cho mỗi người còn đang được xét."),
            field="outcomes",
        )
    passed = [pk for pk, outcome in outcomes.items() if outcome != Outcome.FAILED]
    # Decree 152/2025 art. 4 §4: a held nominee cannot go on, whatever the council found;
    # one it did not pass is simply stopped, so only the passed ones are checked.
    refuse_if_held([active[pk] for pk in passed])
    for nominee_id, outcome in outcomes.items():
        _record_outcome(dossier, active[nominee_id], Outcome(outcome), note)
    following = _next_stage(dossier) if passed else None
    state = _target(following) if passed else DossierStatus.NOT_APPROVED
    _complete_current(dossier)
    _fire(
        dossier,
        "conclude_council",
        by=by,
        note=note,
        args={"to": state},
        checked=True,
        moves_on=True,
        data={"passed": len(passed), "failed": len(outcomes) - len(passed)},
    )
    _enter(dossier, following, by=by)

    if passed:
        _notify_next_actors(dossier, f"council:{dossier.current_stage_id}:{dossier.status}")
    else:
        _notify_proposers(
            dossier,
            template="dossier_not_approved",
            key="not_approved",
            reason=note,
        )
    return dossier


@transaction.atomic
def reject_dossier(dossier_id: int, *, by, reason: str) -> Dossier:
    """End the dossier as not approved at this stage (appraisal or council), with a reason."""
    _require_reason(reason, _("Lý do không đề nghị"))
    dossier = _lock(dossier_id)
    _check(dossier, dossier.reject, by)
    _complete_current(dossier)
    _fire(dossier, "reject", by=by, note=reason, args={"reason": reason}, checked=True)
    _notify_proposers(
        dossier,
        template="dossier_not_approved",
        key="not_approved",
        reason=reason,
    )
    return dossier


@transaction.atomic
def mark_decided(dossier_id: int, *, by, decision_label: str, decision_url: str = "") -> Dossier:
    """The award decision was issued (called by the decision service); the proposing unit's
    notice carries the decision's own link (`decision_url`) beside the dossier's."""
    dossier = _lock(dossier_id)
    _check(dossier, dossier.decide, by)
    dossier.current_stage.completed_at = timezone.now()
    dossier.current_stage.save(update_fields=["completed_at"])
    _fire(
        dossier,
        "decide",
        by=by,
        note=decision_label,
        data={"decision": decision_label},
        checked=True,
    )
    _notify_proposers(
        dossier,
        template="dossier_decided",
        key="decided",
        decision=decision_label,
        decision_url=decision_url,
    )
    return dossier


@transaction.atomic
def withdraw_dossier(dossier_id: int, *, by, reason: str) -> Dossier:
    """The proposing unit withdraws its dossier (before any council has voted on it)."""
    _require_reason(reason, _("Lý do rút hồ sơ"))
    dossier = _lock(dossier_id)
    _check(dossier, dossier.withdraw, by)
    deadlines.close_deadlines(dossier)
    _fire(dossier, "withdraw", by=by, note=reason, args={"reason": reason}, checked=True)
    stage = dossier.current_stage
    if stage is not None and stage.tier != StageTier.UNIT:
        _notify(
            dossier,
            told_on_arrival(dossier),
            template="dossier_withdrawn",
            key="withdrawn",
            reason=reason,
        )
    return dossier
