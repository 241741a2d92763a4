"""Writing decisions and the number register; issuing one records its awards (registry).

One verb each. Every refusal raises DomainError before anything is written (each service
runs in one transaction, so a refusal half-way rolls back what came before it).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from core.errors import DomainError, TransitionRefused
from dossiers.models import Dossier, Nominee
from office.dates import vietnamese_date
from organisations.models import Organisation
from organisations.permissions import require
from organisations.roles import Perm
from registry.services import record_awards
from workflow import services as transitions
from workflow.states import DossierStatus

from . import numbering
from .models import (
    Decision,
    DecisionLine,
    DecisionStatus,
    NumberSeries,
    NumberUse,
    RegisteredNumber,
)
from .profiles import capacity_choices, profile_for, profile_values

DRAFT_FIELDS = ("title", "capacity", "signer_name", "proposal_ref", "prize_note")


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
    if "capacity" in fields and fields["capacity"] not in dict(capacity_choices(issuer)):
        raise DomainError(
            "bad_capacity", _("Thẩm quyền ký: không có trong cấu hình."), field="capacity"
        )
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


def _draft(decision_id: int, by) -> Decision:
    decision = Decision.objects.select_for_update().select_related("issuer").get(pk=decision_id)
    require(by, decision.issuer, Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION)
    if decision.status != DecisionStatus.DRAFT:
        raise DomainError(
            "not_draft",
            _("Quyết định đã ban hành hoặc đã hủy: không sửa, không đánh số lại."),
        )
    return decision


@transaction.atomic
def update_draft(decision_id: int, *, by, **fields) -> Decision:
    """Change a draft's wording or signer. An issued decision is never edited."""
    decision = _draft(decision_id, by)
    fields = {k: v for k, v in fields.items() if k in DRAFT_FIELDS}
    _check_fields(decision.issuer, fields)
    for name, value in fields.items():
        setattr(decision, name, value)
    decision.save()
    record_event(decision, action="update_draft", actor=by, data=dict(fields))
    return decision


@transaction.atomic
def cancel_draft(decision_id: int, *, by, reason: str = "") -> Decision:
    """Drop a draft. It never had a number, so the register keeps no gap."""
    decision = _draft(decision_id, by)
    decision.status = DecisionStatus.CANCELLED
    decision.save(update_fields=["status"])
    record_event(decision, action="cancel_draft", actor=by, reason=reason)
    return decision


@transaction.atomic
def issue_decision(decision_id: int, *, by, issued_on: date, signer_name: str = "") -> Decision:
    """Sign off a draft: number it, freeze it, record the awards, decide the dossiers.

    Side effects, in order: the next number of the issuer's series for the year of
    `issued_on` (row lock held to commit, so concurrent issues queue and never share a
    number), the frozen header values, one registry entry per awardee, each dossier whose
    passed nominees are now all awarded moves to decided (workflow.services.mark_decided:
    audit row and notice to the proposing unit), an audit row for the decision.
    Refused: no right to sign or issue, not a draft, no signer, a dossier no longer awaiting
    the decision, a nominee already awarded by another decision.
    """
    decision = _draft(decision_id, by)
    signer_name = (signer_name or decision.signer_name).strip()
    if not signer_name:
        raise DomainError("required", _("Họ tên người ký: bắt buộc nhập."), field="signer_name")
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
    values = profile_values(decision)
    entry = numbering.allocate_number(
        decision.issuer,
        year=issued_on.year,
        symbol=values["symbol"],
        issued_on=issued_on,
        by=by,
    )
    decision.number = entry
    decision.label = numbering.decision_label(entry.number, values["symbol"])
    decision.issued_on = issued_on
    decision.signer_name = signer_name
    decision.issued_by = by
    decision.frozen = values
    decision.status = DecisionStatus.ISSUED
    decision.save()
    record_awards(decision, lines)
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
            transitions.mark_decided(dossier.pk, by=by, decision_label=note)
    record_event(
        decision,
        action="issue_decision",
        actor=by,
        from_state=DecisionStatus.DRAFT,
        to_state=DecisionStatus.ISSUED,
        data={"number": decision.label, "issued_on": issued_on.isoformat(), "lines": len(lines)},
    )
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
