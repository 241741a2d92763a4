"""What the dossier page shows, gathered for its template: reads only, no state changes.

The page explains itself (issue 12): the route as a stepper, the eligibility verdicts with
each nominee's prior awards, the council's results, the decisions, and the actions the user
may take now, each with what it does in plain words. dossiers.views.dossier_detail calls
`page_context`; the confirmation page of an irreversible action reads `ACTION_TEXTS`.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from core.errors import DomainError
from councils.models import NomineeResult
from decisions.queries import decisions_visible_to
from registry.checks import verdicts
from registry.identity import nominee_subject_key
from registry.queries import registry_visible_to
from registry.services import can_override
from workflow.actors import who_acts
from workflow.models import StageDeadline
from workflow.rulesets import plan_route
from workflow.stage_rules import StageRules
from workflow.states import FINAL_STATES, DossierStatus, StageTier

from .models import Dossier
from .queries import latest_documents, planned_route_organisations


@dataclass(frozen=True)
class ActionText:
    label: object  # the button and the box's heading
    hint: object  # what it does, one sentence
    consequence: object = ""  # irreversible steps: what the confirmation page warns of
    reason_label: object = ""


COUNCIL = ActionText(
    _("Trình Hội đồng TĐKT"),
    _("Đưa hồ sơ đã thẩm định ra Hội đồng Thi đua – Khen thưởng xét, bỏ phiếu."),
)
ACTION_TEXTS: dict[str, ActionText] = {
    "submit": ActionText(
        _("Gửi hồ sơ"),
        _(
            "Gửi hồ sơ cho thủ trưởng đơn vị duyệt. Sau khi gửi, hồ sơ không sửa được nữa, "
            "trừ khi bị trả lại để bổ sung."
        ),
    ),
    "approve_at_unit": ActionText(
        _("Duyệt và gửi lên cấp trên"),
        _("Thủ trưởng đơn vị đồng ý danh sách; hồ sơ được gửi tới cấp tiếp nhận tiếp theo."),
    ),
    "forward": ActionText(
        _("Chuyển tiếp"), _("Gửi hồ sơ đã thẩm định lên cấp tiếp theo của quy trình.")
    ),
    "accept_complete": ActionText(
        _("Tiếp nhận: hồ sơ đầy đủ"),
        _("Ghi nhận hồ sơ đã đủ thành phần; thời hạn xử lý của cấp này bắt đầu tính."),
    ),
    "return_for_supplement": ActionText(
        _("Trả lại để bổ sung"),
        _(
            "Trả hồ sơ về đơn vị đề nghị, nêu rõ cần bổ sung gì. Thời hạn dừng lại; khi đơn vị "
            "gửi lại đủ, thời hạn tính lại từ đầu."
        ),
        reason_label=_("Cần bổ sung những gì"),
    ),
    "resubmit": ActionText(
        _("Gửi lại sau khi bổ sung"), _("Gửi lại hồ sơ đã bổ sung cho cấp đã trả lại.")
    ),
    "send_to_intermediate_council": COUNCIL,
    "send_to_provincial_council": COUNCIL,
    "reject": ActionText(
        _("Không đề nghị"),
        _("Kết thúc hồ sơ: cấp này không đề nghị khen thưởng, có nêu lý do."),
        _(
            "Hồ sơ kết thúc với trạng thái “Không được đề nghị” và không được xét tiếp ở cấp "
            "nào. Đơn vị đề nghị được thông báo lý do. Thao tác này không thể hoàn tác: muốn "
            "đề nghị lại, đơn vị phải lập hồ sơ mới."
        ),
        reason_label=_("Lý do không đề nghị"),
    ),
    "withdraw": ActionText(
        _("Rút hồ sơ"),
        _("Đơn vị đề nghị rút lại đề nghị khen thưởng này, có nêu lý do."),
        _(
            "Hồ sơ kết thúc với trạng thái “Đã rút” và không được xét tiếp. Cấp đang giữ hồ "
            "sơ được thông báo. Thao tác này không thể hoàn tác: muốn đề nghị lại, đơn vị "
            "phải lập hồ sơ mới."
        ),
        reason_label=_("Lý do rút hồ sơ"),
    ),
}

STEP_STATES = {
    "done": (_("Đã xong"), "green"),
    "current": (_("Đang xử lý"), "blue"),
    "ahead": (_("Chưa đến"), "grey"),
    "stopped": (_("Dừng tại đây"), "red"),
    "skipped": (_("Không thực hiện"), "grey"),
}


def actions_for(dossier: Dossier, names, actions: dict) -> list[dict]:
    """One box per action the user may take now, in the order of `actions` (the view's
    table: name -> (service, needs reason, irreversible)); irreversible ones link to their
    confirmation page instead of posting."""
    boxes = []
    for name, (_service, needs_reason, irreversible) in actions.items():
        if name not in names:
            continue
        text = ACTION_TEXTS[name]
        url = reverse("dossiers:act", args=[dossier.pk, name])
        boxes.append(
            {
                "name": name,
                "label": text.label,
                "hint": text.hint,
                "url": url,
                "confirm_url": url if irreversible else "",
                "needs_reason": needs_reason and not irreversible,
                "reason_label": text.reason_label,
                "needs_date": name == "accept_complete",
            }
        )
    return boxes


def _step(*, title, organisation, state: str, what, notes=(), deadline=None) -> dict:
    label, colour = STEP_STATES[state]
    return {
        "title": title,
        "organisation": organisation,
        "state": state,
        "state_label": label,
        "colour": colour,
        "what": what,
        "notes": [n for n in notes if n],
        "deadline": deadline,
    }


def _work_of(tier: str, rules: StageRules, *, last: bool):
    if tier == StageTier.UNIT:
        return _("Lập hồ sơ; thủ trưởng đơn vị duyệt danh sách.")
    if rules.has_council and last:
        return _("Tiếp nhận, thẩm định; Hội đồng TĐKT xét; trình quyết định.")
    if rules.has_council:
        return _("Tiếp nhận, thẩm định; Hội đồng TĐKT xét; trình cấp trên.")
    return (
        _("Tiếp nhận, thẩm định; trình quyết định.")
        if last
        else _("Tiếp nhận, thẩm định; trình cấp trên.")
    )


def _limit_note(rules: StageRules, dossier: Dossier, tier: str):
    days = rules.limit_days_for(simplified=dossier.simplified)
    if tier == StageTier.UNIT or not days:
        return ""
    return _("Thời hạn: %(n)s ngày làm việc, tính từ ngày làm việc sau ngày nhận đủ hồ sơ.") % {
        "n": days
    }


def _decision_step(dossier: Dossier, *, state: str) -> dict:
    return _step(
        title=_("Quyết định khen thưởng"),
        organisation=dossier.award_type.deciding_authority,
        state=state,
        what=_("Người có thẩm quyền ký quyết định; kết quả được ghi vào sổ khen thưởng."),
    )


def route_steps(dossier: Dossier, stages: list) -> tuple[list[dict], str]:
    """The stepper: the dossier's own stages once submitted (each done / current / ahead,
    with its clock), then the decision; before submission, the route planned today.
    Returns (steps, explanation); the explanation says why there is no route."""
    status = dossier.status
    if not stages:
        if status != DossierStatus.DRAFT:
            return [], str(_("Hồ sơ đã kết thúc trước khi được gửi đi: chưa qua bước nào."))
        try:
            planned = plan_route(dossier.award_type, dossier.proposer, on=timezone.localdate())
        except DomainError as error:
            return [], str(error)
        steps = [
            _step(
                title=p.organisation.name,
                organisation=StageTier(p.tier).label,
                state="current" if i == 0 else "ahead",
                what=_work_of(
                    p.tier, StageRules.from_snapshot(p.rules), last=i == len(planned) - 1
                ),
                notes=[_limit_note(StageRules.from_snapshot(p.rules), dossier, p.tier)],
            )
            for i, p in enumerate(planned)
        ]
        return [*steps, _decision_step(dossier, state="ahead")], ""

    clocks: dict[int, StageDeadline] = {}
    for clock in StageDeadline.objects.filter(dossier=dossier).order_by("opened_at", "pk"):
        clocks[clock.stage_id] = clock  # the latest round's clock of each stage
    final = status in FINAL_STATES
    awaiting = status == DossierStatus.AWAITING_DECISION
    steps = []
    for index, stage in enumerate(stages):
        if stage.completed_at or status == DossierStatus.DECIDED:
            state = "done"
        elif stage.pk == dossier.current_stage_id:
            state = "stopped" if final else "current"
        else:
            state = "skipped" if final else "ahead"
        rules = stage.stage_rules
        notes = []
        if stage.received_complete_on:
            notes.append(
                _("Nhận đủ hồ sơ ngày %(day)s.")
                % {"day": stage.received_complete_on.strftime("%d/%m/%Y")}
            )
        if stage.completed_at:
            done_on = timezone.localtime(stage.completed_at).strftime("%d/%m/%Y")
            notes.append(_("Xong ngày %(day)s.") % {"day": done_on})
        if state == "current" and status == DossierStatus.RETURNED:
            notes.append(_("Đã trả lại đơn vị để bổ sung: thời hạn dừng, tính lại khi nhận đủ."))
        elif state == "current" and not stage.received_complete_on and index > 0:
            notes.append(_("Chưa tiếp nhận đầy đủ: thời hạn chưa bắt đầu tính."))
        if state in ("ahead", "current") and not stage.received_complete_on:
            notes.append(_limit_note(rules, dossier, stage.tier))
        clock = clocks.get(stage.pk)
        steps.append(
            _step(
                title=stage.organisation.name,
                organisation=StageTier(stage.tier).label,
                state=state,
                what=_work_of(stage.tier, rules, last=index == len(stages) - 1),
                notes=notes,
                deadline=clock if clock and clock.closed_at is None else None,
            )
        )
    if status == DossierStatus.DECIDED:
        decision_state = "done"
    elif awaiting:
        decision_state = "current"
    else:
        decision_state = "skipped" if final else "ahead"
    return [*steps, _decision_step(dossier, state=decision_state)], ""


def end_reason(dossier: Dossier, timeline: list) -> str:
    """Why the dossier stands where it does: the return's reason, or the reason given when
    it was withdrawn or not approved (the audit row of that step)."""
    if dossier.status == DossierStatus.RETURNED:
        return dossier.returned_reason
    if dossier.status in (DossierStatus.WITHDRAWN, DossierStatus.NOT_APPROVED):
        for event in reversed(timeline):
            if event.to_state == dossier.status and event.reason:
                return event.reason
    return ""


def documents(dossier: Dossier) -> list[dict]:
    """Every uploaded file, newest round first within its category; the newest of each
    category (per nominee) is the current version, older rounds are kept as history."""
    seen: set = set()
    rows = []
    for doc in latest_documents(dossier).select_related("nominee"):
        key = (doc.category, doc.nominee_id)
        rows.append({"doc": doc, "current": key not in seen})
        seen.add(key)
    return rows


def eligibility_panel(dossier: Dossier, user, nominees: list) -> dict:
    """Each active nominee's prior awards on record (by subject key) and each rule's verdict;
    whether the user may override a failure on the eligibility page."""
    active = [n for n in nominees if n.dropped_at_id is None]
    results = verdicts(dossier, competing=dossier.competing_nominees())
    keys = {n.pk: nominee_subject_key(n) for n in active}
    prior: dict[str, list] = {}
    entries = (
        registry_visible_to(user)
        .filter(subject_key__in=set(keys.values()))
        .exclude(nominee_id__in=[n.pk for n in nominees])
        .order_by("-year", "pk")
    )
    for entry in entries:
        prior.setdefault(entry.subject_key, []).append(entry)
    failed = [v for v in results if not v.passed and not v.overridden]
    return {
        "rows": [
            {
                "nominee": n,
                "prior": prior.get(keys[n.pk], []),
                "verdicts": [v for v in results if v.nominee_id == n.pk],
            }
            for n in active
        ],
        "whole": [v for v in results if v.nominee_id is None],
        "failed": len(failed),
        "may_override": bool(failed)
        and can_override(dossier, user, route=planned_route_organisations(dossier)),
    }


def council_results(stages: list, nominees: list) -> list[dict]:
    """Per stage with a council vote: each nominee's result and, when a meeting voted, the
    tally (agree of base, the number needed, written opinions)."""
    tallies = {
        (r.item.stage_id, r.nominee_id): r
        for r in NomineeResult.objects.filter(
            item__stage__in=[s.pk for s in stages]
        ).select_related("item__meeting")
    }
    sections = []
    for stage in stages:
        if not stage.stage_rules.has_council:
            continue
        rows = []
        for nominee in nominees:
            outcome = next((o for o in nominee.outcomes.all() if o.stage_id == stage.pk), None)
            tally = tallies.get((stage.pk, nominee.pk))
            if outcome or tally:
                rows.append({"nominee": nominee, "outcome": outcome, "tally": tally})
        if rows:
            sections.append({"stage": stage, "rows": rows})
    return sections


def page_context(dossier: Dossier, user, *, capabilities: set[str], actions: dict) -> dict:
    timeline = list(AuditEvent.objects.for_object(dossier).select_related("actor"))
    nominees = list(
        dossier.nominees.select_related("dropped_at__organisation").prefetch_related(
            "outcomes__stage__organisation"
        )
    )
    stages = list(dossier.stages.select_related("organisation"))
    steps, route_problem = route_steps(dossier, stages)
    rule_set = dossier.rule_set or dossier.award_type.rule_set
    return {
        "dossier": dossier,
        "crumbs": [(reverse("home"), _("Trang chủ")), (reverse("dossiers:list"), _("Hồ sơ"))],
        "rule_set_name": rule_set.name,
        "rule_set_pinned": dossier.rule_set_id is not None,
        "reason": end_reason(dossier, timeline),
        "who_acts": who_acts(dossier),
        "steps": steps,
        "route_problem": route_problem,
        "nominees": nominees,
        "documents": documents(dossier),
        "missing": dossier.missing_documents(),
        "eligibility": eligibility_panel(dossier, user, nominees),
        "council": council_results(stages, nominees),
        "decisions": list(decisions_visible_to(user).filter(dossiers=dossier).distinct()),
        "timeline": timeline,
        "actions": actions_for(dossier, capabilities, actions),
        "can_edit": "edit" in capabilities,
    }
