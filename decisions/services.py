"""Writing decisions and the number register; issuing one records its awards (registry).

One verb each. Every refusal raises DomainError before anything is written (each service
runs in one transaction, so a refusal half-way rolls back what came before it).
"""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from core.errors import DomainError, TransitionRefused
from dossiers.models import Dossier, DossierStage, Nominee, NomineeOutcome
from dossiers.posting import ensure_posting_done
from notifications import outbox
from notifications.kinds import NoticeKind
from office.dates import vietnamese_date
from organisations.models import Organisation
from organisations.permissions import holds, require, users_who_can
from organisations.roles import Perm
from registry.checks import blocking_problems, refuse_if_held
from registry.services import record_awards
from webhooks import outbox as webhook_outbox
from workflow import services as transitions
from workflow.states import DossierStatus

from . import numbering
from .models import (
    EDITABLE_STATUSES,
    Decision,
    DecisionLine,
    DecisionStatus,
    NumberSeries,
    NumberUse,
    RegisteredNumber,
)
from .prize_money import prizes_for, store_prizes
from .profiles import person_name, profile_for, profile_values, signer_for, signers_of
from .tasks import sign_after_commit

# What the secretariat writes. The signer (name, title, capacity) is not among them: it is
# the signing authority's own record, copied when they sign (decisions.profiles.signer_for).
DRAFT_FIELDS = ("title", "proposal_ref", "prize_note")


def awardable_nominees(issuer: Organisation):
    """Passed nominees of dossiers awaiting this issuer's decision and not yet in an issued
    decision (what the draft builder offers)."""
    issued = DecisionLine.objects.filter(decision__status=DecisionStatus.ISSUED).values(
        "nominee_id"
    )
    return (
        Nominee.objects.filter(
            dropped_at__isnull=True,
            dossier__status=DossierStatus.AWAITING_DECISION,
            dossier__current_stage__organisation=issuer,
        )
        .exclude(pk__in=issued)
        .select_related("dossier__award_type", "dossier__proposer")
        .order_by("dossier__award_type__name", "dossier_id", "kind", "pk")
    )


def _check_fields(issuer: Organisation, fields: dict) -> None:
    if "title" in fields and not (fields["title"] or "").strip():
        raise DomainError("required", _("Trích yếu: bắt buộc nhập."), field="title")


@transaction.atomic
def create_draft(issuer_id: int, *, by, nominee_ids: list[int], **fields) -> Decision:
    """A draft decision (no number) for the chosen passed nominees of one award form.

    Side effects: the draft, its lines, an audit row. Refused: no secretariat right on the
    issuer, no nominee, a nominee not awaiting this issuer's decision, mixed award forms.
    """
    issuer = Organisation.objects.get(pk=issuer_id)
    require(by, issuer, Perm.RECEIVE_DOSSIER)
    chosen = list(awardable_nominees(issuer).filter(pk__in=nominee_ids))
    if not nominee_ids or len(chosen) != len(set(nominee_ids)):
        raise DomainError(
            "bad_nominees",
            _(
                "Danh sách khen thưởng: chọn ít nhất một người đã được Hội đồng xét đạt, thuộc "
                "hồ sơ đang chờ quyết định của cơ quan này."
            ),
            field="nominees",
        )
    forms = {n.dossier.award_type_id for n in chosen}
    if len(forms) > 1:
        raise DomainError(
            "mixed_forms",
            _("Danh sách khen thưởng: một quyết định chỉ gồm một hình thức khen thưởng."),
            field="nominees",
        )
    award_type = chosen[0].dossier.award_type
    fields = {k: v for k, v in fields.items() if k in DRAFT_FIELDS}
    fields.setdefault("title", award_type.decision_title or award_type.name)
    fields.setdefault("prize_note", award_type.prize_note)
    _check_fields(issuer, fields)
    decision = Decision.objects.create(
        issuer=issuer, award_type=award_type, created_by=by, **fields
    )
    DecisionLine.objects.bulk_create(DecisionLine(decision=decision, nominee=n) for n in chosen)
    decision.dossiers.set({n.dossier_id for n in chosen})
    record_event(decision, action="draft_decision", actor=by, to_state=decision.status)
    return decision


def _locked(decision_id: int) -> Decision:
    return Decision.objects.select_for_update().select_related("issuer").get(pk=decision_id)


def _draft(decision_id: int, by) -> Decision:
    """The decision, locked, if `by` is its issuer's secretariat and it is not yet signed."""
    decision = _locked(decision_id)
    require(by, decision.issuer, Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION)
    _refuse_if_final(decision)
    require(by, decision.issuer, Perm.RECEIVE_DOSSIER)  # the signer returns, never edits
    return decision


def _refuse_if_final(decision: Decision) -> None:
    if decision.status not in EDITABLE_STATUSES:
        raise DomainError(
            "not_draft",
            _("Quyết định đã ban hành hoặc đã hủy: không sửa, không đánh số lại."),
        )


def _decision_url(decision: Decision) -> str:
    return reverse("decisions:detail", args=[decision.pk])


def _notice_context(decision: Decision, **more) -> dict:
    return {
        "decision_id": decision.pk,
        "title": decision.title,
        "issuer": decision.issuer.name,
        "lines": decision.lines.count(),
        "url": _decision_url(decision),
        **more,
    }


@transaction.atomic
def update_draft(decision_id: int, *, by, **fields) -> Decision:
    """Change a draft's wording (the secretariat's). An issued decision is never edited.

    Editing a decision already submitted for signature takes it back to a draft: the signer
    must never sign a text that changed after it reached him; the secretariat submits again.
    """
    decision = _draft(decision_id, by)
    fields = {k: v for k, v in fields.items() if k in DRAFT_FIELDS}
    _check_fields(decision.issuer, fields)
    for name, value in fields.items():
        setattr(decision, name, value)
    previous = decision.status
    if previous == DecisionStatus.SUBMITTED:
        decision.status = DecisionStatus.DRAFT
    decision.save()
    record_event(
        decision,
        action="update_draft",
        actor=by,
        from_state=previous,
        to_state=decision.status,
        data=dict(fields),
    )
    return decision


@transaction.atomic
def cancel_draft(decision_id: int, *, by, reason: str = "") -> Decision:
    """Drop a draft. It never had a number, so the register keeps no gap."""
    decision = _draft(decision_id, by)
    previous = decision.status
    decision.status = DecisionStatus.CANCELLED
    decision.save(update_fields=["status"])
    record_event(
        decision,
        action="cancel_draft",
        actor=by,
        reason=reason,
        from_state=previous,
        to_state=decision.status,
    )
    return decision


@transaction.atomic
def submit_for_signature(decision_id: int, *, by, note: str = "") -> Decision:
    """Trình ký: the secretariat hands the draft to the issuer's signing authority.

    Side effects, in order: the status (submitted), an audit row, a notice to everyone who
    may sign the issuer's decisions today. Refused: not the issuer's secretariat, not a draft
    or a returned draft, nobody recorded to sign for the issuer.
    """
    decision = _draft(decision_id, by)
    if decision.status == DecisionStatus.SUBMITTED:
        raise DomainError(
            "already_submitted", _("Dự thảo đã được trình ký: chờ người ký duyệt hoặc trả lại.")
        )
    signers = signers_of(decision.issuer)
    if not signers.exists():
        raise DomainError(
            "no_signer",
            _(
                "Người ký: %(issuer)s chưa có người ký quyết định (lãnh đạo có quyền ký hoặc "
                "người được giao ký, ủy quyền ký); quản trị hệ thống cần khai báo trước khi "
                "trình ký."
            )
            % {"issuer": decision.issuer.name},
        )
    previous = decision.status
    decision.status = DecisionStatus.SUBMITTED
    decision.submission_round += 1
    decision.submitted_at = timezone.now()
    decision.submitted_by = by
    decision.save()
    record_event(
        decision,
        action="submit_for_signature",
        actor=by,
        from_state=previous,
        to_state=decision.status,
        reason=note,
        data={"round": decision.submission_round},
    )
    outbox.enqueue(
        recipients=signers,
        template=NoticeKind.DECISION_FOR_SIGNATURE,
        dedupe_key=f"decision:{decision.pk}:submitted:{decision.submission_round}",
        context=_notice_context(decision, note=note, by=person_name(by)),
    )
    return decision


def _require_signer(decision: Decision, by, on: date):
    """The signer's record, or a refusal naming why `by` may not sign."""
    signer = signer_for(by, decision.issuer, on=on)
    if signer is not None:
        return signer
    if holds(by, decision.issuer, Perm.SIGN_DECISION):
        raise DomainError(
            "no_signer_record",
            _(
                "Người ký: chức vụ của ông/bà trong %(issuer)s không khớp thẩm quyền ký nào "
                "trong cấu hình cơ quan ban hành; quản trị hệ thống cần khai báo người ký "
                "(họ tên, chức vụ, thẩm quyền ký)."
            )
            % {"issuer": decision.issuer.name},
        )
    raise TransitionRefused.no_permission()


@transaction.atomic
def return_draft(decision_id: int, *, by, comment: str) -> Decision:
    """The signer sends a submitted draft back to the secretariat with comments.

    Side effects: the status (returned), the comment, an audit row, a notice to the issuer's
    secretariat. Refused: not a signer of the issuer, not submitted, no comment.
    """
    decision = _locked(decision_id)
    _require_signer(decision, by, timezone.localdate())
    _refuse_if_final(decision)
    if decision.status != DecisionStatus.SUBMITTED:
        raise DomainError("not_submitted", _("Quyết định chưa được trình ký: không trả lại."))
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(
            "required", _("Ý kiến khi trả lại: bắt buộc nhập (cần sửa gì)."), field="comment"
        )
    decision.status = DecisionStatus.RETURNED
    decision.return_comment = comment
    decision.returned_at = timezone.now()
    decision.returned_by = by
    decision.save()
    record_event(
        decision,
        action="return_draft",
        actor=by,
        from_state=DecisionStatus.SUBMITTED,
        to_state=decision.status,
        reason=comment,
    )
    outbox.enqueue(
        recipients=users_who_can(Perm.RECEIVE_DOSSIER, decision.issuer),
        template=NoticeKind.DECISION_RETURNED,
        dedupe_key=f"decision:{decision.pk}:returned:{decision.submission_round}",
        context=_notice_context(decision, comment=comment, by=person_name(by)),
    )
    return decision


def _date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def check_signing_date(decision: Decision, issued_on: date, *, today: date) -> None:
    """Refuse a signing date the law or the record contradicts, naming the date and the rule.

    - not after today: a decision bears the day it is signed (Decree 30/2020 art. 8, 15),
      and its number comes from that day's year: a future date would take a number from a
      register not yet open (the 2027 series in 2026);
    - not before the last council result on any awardee: the chair decides on the council's
      result (Law 06/2022 art. 80; Decree 152/2025), so a decision cannot predate it;
    - not before the complete receipt of any dossier it covers at any stage.
    """
    shown = _date(issued_on)
    if issued_on > today:
        raise DomainError(
            "date_in_future",
            _(
                "Ngày ký ban hành %(day)s: sau ngày hôm nay (%(today)s). Quyết định mang ngày "
                "ký thật và lấy số của năm ký, không ghi ngày ký trước."
            )
            % {"day": shown, "today": _date(today)},
            field="issued_on",
        )
    lines = decision.lines.values("nominee_id")
    council = NomineeOutcome.objects.filter(nominee_id__in=lines).aggregate(last=Max("decided_at"))[
        "last"
    ]
    if council is not None and issued_on < timezone.localdate(council):
        raise DomainError(
            "date_before_council",
            _(
                "Ngày ký ban hành %(day)s: trước ngày Hội đồng Thi đua - Khen thưởng có kết quả "
                "xét (%(council)s). Quyết định chỉ ký sau khi Hội đồng đã xét."
            )
            % {"day": shown, "council": _date(timezone.localdate(council))},
            field="issued_on",
        )
    receipt = (
        DossierStage.objects.filter(dossier__in=decision.dossiers.all())
        .exclude(received_complete_on=None)
        .order_by("-received_complete_on")
        .select_related("dossier")
        .first()
    )
    if receipt is not None and issued_on < receipt.received_complete_on:
        raise DomainError(
            "date_before_receipt",
            _(
                "Ngày ký ban hành %(day)s: trước ngày tiếp nhận đầy đủ hồ sơ %(ref)s "
                "(%(received)s). Quyết định không ký trước khi nhận hồ sơ."
            )
            % {
                "day": shown,
                "ref": receipt.dossier.reference,
                "received": _date(receipt.received_complete_on),
            },
            field="issued_on",
        )


def _refuse_if_ineligible(locked: list[Dossier], nominee_ids: set[int]) -> None:
    """The registry's checks again at signing: an award recorded since the appraisal (by
    another decision, or imported) or an initiative used meanwhile stops it here."""
    problems = []
    for dossier in locked:
        for verdict in blocking_problems(dossier, competing=dossier.competing_nominees()):
            if verdict.nominee_id is None or verdict.nominee_id in nominee_ids:
                problems.append(verdict)
    if problems:
        names = dict(Nominee.objects.filter(pk__in=nominee_ids).values_list("pk", "full_name"))
        detail = "; ".join(
            f"{names.get(v.nominee_id, '')}: {v.message}".lstrip(": ") for v in problems
        )
        raise DomainError(
            "not_eligible",
            _("Danh sách khen thưởng: kiểm tra lại điều kiện khi ký không đạt (%(detail)s).")
            % {"detail": detail},
            field="nominees",
        )


@transaction.atomic
def issue_decision(
    decision_id: int, *, by, issued_on: date, external_number: int | None = None
) -> Decision:
    """The signing authority signs a submitted draft: number it, freeze it, record the
    awards, decide the dossiers.

    Side effects, in order: the next number of the issuer's series for the year of
    `issued_on` (row lock held to commit, so concurrent issues queue and never share a
    number), the signer's name, title and capacity from their own record, the frozen header
    values, one registry entry per awardee, each dossier whose passed nominees are now all
    awarded moves to decided (workflow.services.mark_decided: audit row and notice to the
    proposing unit, with the decision's link), an audit row for the decision, the webhook
    outbox rows (`decision.issued`), the signed PDF after commit.
    `external_number`: the number the province's document-management system gave (it
    numbers there), recorded in the register as external instead of taking the next one.
    Refused, before any number is taken: not a signer of the issuer (the secretariat
    drafts and submits, it does not sign), not submitted for signature, a signing date in
    the future or before the council's result or the dossiers' receipt, a nominee no
    longer eligible or held, a dossier no longer awaiting the decision, a nominee already
    awarded by another decision.
    """
    decision = _locked(decision_id)
    signer = _require_signer(decision, by, issued_on)
    _refuse_if_final(decision)
    if decision.status != DecisionStatus.SUBMITTED:
        raise DomainError(
            "not_submitted",
            _(
                "Quyết định chưa được trình ký: cơ quan thường trực trình ký trước khi người có "
                "thẩm quyền ký ban hành."
            ),
        )
    check_signing_date(decision, issued_on, today=timezone.localdate())
    lines = list(decision.lines.select_related("nominee__dossier"))
    taken = DecisionLine.objects.filter(
        nominee__in=[line.nominee for line in lines], decision__status=DecisionStatus.ISSUED
    ).exclude(decision=decision)
    if taken.exists():
        raise DomainError(
            "already_awarded",
            _("Danh sách khen thưởng: có người đã được khen bằng quyết định khác."),
            field="nominees",
        )
    refuse_if_held(line.nominee for line in lines)  # Decree 152/2025 art. 4 §4
    if any(line.nominee.dropped_at_id for line in lines):
        raise DomainError(
            "dropped", _("Danh sách khen thưởng: có người đã dừng xét."), field="nominees"
        )
    # Lock the dossiers first, in primary-key order (two decisions sharing dossiers then
    # queue instead of deadlocking): "are all its nominees awarded now?" is answered
    # by one issuer at a time, so the last of several concurrent decisions decides it.
    locked = list(
        Dossier.objects.select_for_update()
        .filter(pk__in=decision.dossiers.values("pk"))
        .order_by("pk")
    )
    # Public posting over, no objection unanswered; prize money on the issue date's base
    # salary (posting-prize): refused here, before a number is taken.
    ensure_posting_done(
        locked, nominee_ids=[line.nominee_id for line in lines], issued_on=issued_on
    )
    _refuse_if_ineligible(locked, {line.nominee_id for line in lines})
    prizes = prizes_for(decision, on=issued_on)
    decision.capacity = signer.capacity
    decision.signer_name = signer.full_name
    decision.signer_title = signer.title
    decision.signatory_id = signer.signatory_id
    values = profile_values(decision)
    if external_number is None:
        entry = numbering.allocate_number(
            decision.issuer,
            year=issued_on.year,
            symbol=values["symbol"],
            issued_on=issued_on,
            by=by,
        )
    else:  # refused (bad_number, number_taken) before anything is written
        entry = numbering.record_external(
            decision.issuer,
            year=issued_on.year,
            symbol=values["symbol"],
            number=external_number,
            issued_on=issued_on,
            by=by,
            note=str(_("Số do hệ thống quản lý văn bản cấp")),
        )
    decision.number = entry
    decision.label = numbering.decision_label(entry.number, values["symbol"])
    decision.issued_on = issued_on
    decision.issued_by = by
    decision.frozen = values
    decision.status = DecisionStatus.ISSUED
    decision.save()
    record_awards(decision, lines)
    store_prizes(decision, prizes)
    awarded = set(
        DecisionLine.objects.filter(decision__status=DecisionStatus.ISSUED).values_list(
            "nominee_id", flat=True
        )
    )
    note = f"{decision.label} {vietnamese_date(issued_on)}"
    for dossier in locked:
        if dossier.status != DossierStatus.AWAITING_DECISION:
            raise TransitionRefused.conflict(dossier)
        if set(dossier.active_nominees().values_list("pk", flat=True)) <= awarded:
            transitions.mark_decided(
                dossier.pk, by=by, decision_label=note, decision_url=_decision_url(decision)
            )
    record_event(
        decision,
        action="issue_decision",
        actor=by,
        from_state=DecisionStatus.SUBMITTED,
        to_state=DecisionStatus.ISSUED,
        data={
            "number": decision.label,
            "issued_on": issued_on.isoformat(),
            "lines": len(lines),
            "signer": signer.full_name,
            "capacity": signer.capacity,
        },
    )
    webhook_outbox.decision_issued(decision, locked)
    sign_after_commit(decision.pk)
    return decision


@transaction.atomic
def record_external_number(
    issuer_id: int, *, by, number: int, issued_on: date, note: str = "", symbol: str = ""
) -> RegisteredNumber:
    """Record a number the issuer gave on paper; the register continues after it."""
    issuer = Organisation.objects.get(pk=issuer_id)
    require(by, issuer, Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION)
    entry = numbering.record_external(
        issuer,
        year=issued_on.year,
        symbol=symbol or profile_for(issuer).symbol,
        number=number,
        issued_on=issued_on,
        by=by,
        note=note,
    )
    record_event(entry, action="record_external_number", actor=by, reason=note)
    return entry


@transaction.atomic
def void_number(issuer_id: int, *, by, year: int, reason: str, number: int | None = None):
    """Mark a number unusable for ever: the next one of the series (a spoiled number), or a
    number recorded from paper. A number of an issued decision is never voided: a
    correcting or revoking decision gets its own number."""
    issuer = Organisation.objects.get(pk=issuer_id)
    require(by, issuer, Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION)
    if not reason.strip():
        raise DomainError("required", _("Lý do hủy số: bắt buộc nhập."), field="reason")
    symbol = profile_for(issuer).symbol
    if number is None:
        entry = numbering.allocate_number(
            issuer, year=year, symbol=symbol, issued_on=timezone.localdate(), by=by, note=reason
        )
    else:
        series = NumberSeries.objects.filter(issuer=issuer, year=year, symbol=symbol).first()
        entry = series and RegisteredNumber.objects.filter(series=series, number=number).first()
        if entry is None:
            entry = numbering.record_external(
                issuer,
                year=year,
                symbol=symbol,
                number=number,
                issued_on=timezone.localdate(),
                by=by,
                note=reason,
            )
        elif entry.use == NumberUse.ISSUED:
            raise DomainError(
                "number_in_use",
                _("Số này đã cấp cho một quyết định đã ban hành: không hủy được."),
                field="number",
            )
    entry.use = NumberUse.VOIDED
    entry.note = reason
    entry.save(update_fields=["use", "note"])
    record_event(entry, action="void_number", actor=by, reason=reason)
    return entry
