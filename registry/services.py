"""Writing the registry: awards recorded, revoked, imported; eligibility overridden.

One verb each; every write leaves an audit row. Refusals raise DomainError (or
TransitionRefused) before anything is written. What only the dossier and workflow rooms
know (the competing nominees, the planned route) is handed in by the caller: registry
imports neither (docs/architecture.md, issue 11).
"""

from collections.abc import Iterable
from datetime import date

from django.apps import apps
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from core.errors import DomainError, TransitionRefused
from core.text import fold
from organisations.models import Organisation
from organisations.permissions import holds, require
from organisations.roles import Perm

from . import tallies
from .checks import verdicts
from .eligibility import CONSECUTIVE, SAME_YEAR
from .identity import achievement_key, dossier_achievement_key, nominee_subject_key, subject_key
from .models import (
    AwardingKind,
    EligibilityOverride,
    Hold,
    HoldKind,
    Initiative,
    InitiativeScope,
    InitiativeUse,
    RegistryEntry,
    RegistryStatus,
    SubjectKind,
)


def _entry_for(decision, nominee) -> RegistryEntry:
    dossier = nominee.dossier
    return RegistryEntry(
        subject_key=subject_key(
            identity_code=nominee.identity_code,
            full_name=nominee.full_name,
            birth_year=nominee.birth_year,
            organisation_name=nominee.organisation_name,
        ),
        subject_kind=nominee.kind,
        full_name=nominee.full_name,
        search_name=fold(nominee.full_name)[:255],
        birth_year=nominee.birth_year,
        position=nominee.position,
        organisation_id=dossier.proposer_id,
        organisation_name=nominee.organisation_name,
        award_code=decision.award_type.code,
        award_name=decision.award_type.name,
        year=dossier.year,
        achievement_key=dossier_achievement_key(dossier),
        awarding_kind=dossier.kind,
        achievement=nominee.achievement_summary,
        decision=decision,
        nominee=nominee,
        decision_label=decision.label.removeprefix("Số: "),
        decision_date=decision.issued_on,
        issuer=decision.issuer,
        issuer_name=decision.issuer.name,
    )


def record_awards(decision, lines: Iterable) -> list[RegistryEntry]:
    """One registry entry per line of a decision being issued (numbered, dated, in the
    caller's transaction: decisions.services.issue_decision, whose audit row counts them).
    `lines` are the decision's lines with `nominee__dossier` loaded. The statistics'
    tallies count them in the same transaction (registry.tallies)."""
    entries = RegistryEntry.objects.bulk_create(
        _entry_for(decision, line.nominee) for line in lines
    )
    tallies.add_awards(e.pk for e in entries)
    return entries


@transaction.atomic
def revoke_award(entry_id: int, *, by, reason: str) -> RegistryEntry:
    """Revoke an award (Law 06/2022): kept on record, no longer counted for eligibility.

    Side effects, in order: the entry revoked (and no longer in the statistics' tallies),
    the subject's awards that relied on it flagged for review, an audit row. Refused: no
    signing or secretariat right on the issuer, no reason, already revoked.
    """
    entry = RegistryEntry.objects.select_for_update().get(pk=entry_id)
    require(by, entry.issuer_id, Perm.SIGN_DECISION, Perm.RECEIVE_DOSSIER)
    if not reason.strip():
        raise DomainError("required", _("Lý do thu hồi: bắt buộc nhập."), field="reason")
    if entry.status == RegistryStatus.REVOKED:
        raise DomainError("already_revoked", _("Khen thưởng này đã bị thu hồi."))
    entry.status = RegistryStatus.REVOKED
    entry.revoked_reason = reason
    entry.revoked_at = timezone.now()
    entry.save(update_fields=["status", "revoked_reason", "revoked_at"])
    tallies.remove_award(entry.pk)
    dependants = _flag_dependants(entry)
    record_event(
        entry,
        action="revoke_award",
        actor=by,
        reason=reason,
        data={"flagged": [d.pk for d in dependants]},
    )
    return entry


def _depends_on(rules: dict, revoked: RegistryEntry, year: int) -> bool:
    """Whether an award of `year` under `rules` counted the revoked one (domain §7)."""
    if revoked.awarding_kind != AwardingKind.REGULAR:
        return False  # never counted (Decree 152/2025 art. 4 §3), so nothing relied on it
    chain = rules.get(CONSECUTIVE) or {}
    in_chain = (
        chain.get("of") == revoked.award_code and year - int(chain["years"]) <= revoked.year < year
    )
    same_year = revoked.award_code in (rules.get(SAME_YEAR) or [])
    return in_chain or (same_year and year == revoked.year)


def _rules_by_code() -> dict[str, dict]:
    # By label, as the foreign keys of registry.models name dossiers' models: the award
    # forms' rules are read here, their code is not imported (issue 11).
    award_types = apps.get_model("dossiers", "AwardType")
    rules_by_code: dict[str, dict] = {}
    for code, rules in award_types.objects.values_list("code", "eligibility"):
        rules_by_code.setdefault(code, rules or {})
    return rules_by_code


def _flag_dependants(revoked: RegistryEntry) -> list[RegistryEntry]:
    """Flag the subject's valid awards that relied on the revoked one (a CSTĐ tỉnh built
    on a revoked CSTĐCS): kept valid, marked for review, never silently changed."""
    rules_by_code = _rules_by_code()
    flagged = []
    candidates = RegistryEntry.objects.filter(
        subject_key=revoked.subject_key, status=RegistryStatus.VALID
    ).exclude(pk=revoked.pk)
    for other in candidates:
        if _depends_on(rules_by_code.get(other.award_code, {}), revoked, other.year):
            other.flagged = (
                f"Dựa trên {revoked.award_name} năm {revoked.year} "
                f"(QĐ {revoked.decision_label}) đã bị thu hồi."
            )
            other.save(update_fields=["flagged"])
            flagged.append(other)
    return flagged


@transaction.atomic
def import_award(
    *,
    by,
    issuer: Organisation,
    unit: Organisation,
    full_name: str,
    award_code: str,
    award_name: str,
    year: int,
    decision_label: str,
    decision_date: date,
    kind: str = SubjectKind.INDIVIDUAL,
    birth_year: int | None = None,
    identity_code: str = "",
    organisation_name: str = "",
    position: str = "",
    awarding_kind: str = AwardingKind.REGULAR,
    achievement: str = "",
) -> RegistryEntry:
    """Record an award issued before khenthuong (paper, district era) so eligibility sees it.

    `awarding_kind`: a đột xuất or chuyên đề award is kept out of chains and prerequisites;
    its `achievement` (e.g. "act:2024-05-02:…" from registry.identity) defaults to the
    year's results for a regular award and to the decision itself otherwise.

    Side effects: the entry (counted in the statistics' tallies), an audit row. Refused: no
    secretariat or signing right on the issuer.
    """
    require(by, issuer, Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION)
    organisation_name = organisation_name or unit.name
    entry = RegistryEntry.objects.create(
        subject_key=subject_key(
            identity_code=identity_code,
            full_name=full_name,
            birth_year=birth_year,
            organisation_name=organisation_name,
        ),
        subject_kind=kind,
        full_name=full_name,
        search_name=fold(full_name)[:255],
        birth_year=birth_year,
        position=position,
        organisation=unit,
        organisation_name=organisation_name,
        award_code=award_code,
        award_name=award_name,
        year=year,
        achievement_key=achievement
        or (
            achievement_key(kind="annual", year=year)
            if awarding_kind == AwardingKind.REGULAR
            else f"act:{decision_label}"
        ),
        awarding_kind=awarding_kind,
        decision_label=decision_label,
        decision_date=decision_date,
        issuer=issuer,
        issuer_name=issuer.name,
    )
    tallies.add_awards([entry.pk])
    record_event(entry, action="import_award", actor=by, data={"decision": decision_label})
    return entry


def reviewers_orgs(dossier, *, route: Iterable[Organisation]) -> list[Organisation]:
    """Organisations whose secretariat reviews the dossier: its stages and the `route`
    planned for it today (dossiers.queries.planned_route_organisations), above the unit."""
    orgs = {s.organisation for s in dossier.stages.select_related("organisation")}
    orgs |= set(route)
    return [o for o in orgs if o.pk != dossier.proposer_id]


def can_override(dossier, user, *, route: Iterable[Organisation]) -> bool:
    """Whether `user` may let a failed verdict of the dossier through (a reviewer's
    secretariat right on an organisation of its route)."""
    return any(
        holds(user, org, Perm.RECEIVE_DOSSIER) for org in reviewers_orgs(dossier, route=route)
    )


@transaction.atomic
def override_eligibility(
    dossier,
    *,
    by,
    rule: str,
    reason: str,
    nominee_id: int | None = None,
    competing: QuerySet,
    route: Iterable[Organisation],
) -> EligibilityOverride:
    """A reviewer lets one failed verdict through, giving the reason.

    `competing` and `route` are the dossier's competing nominees and planned route
    (dossiers.queries). Side effects, in order: the dossier row locked, the override, an
    audit row on the dossier. Refused: not a reviewer of the dossier's route, no reason,
    or no such failed verdict.
    """
    # Locked through the dossier handed in: its model is not imported here (issue 11).
    dossier = type(dossier).objects.select_for_update().get(pk=dossier.pk)
    if not can_override(dossier, by, route=route):
        raise TransitionRefused.no_permission()
    if not (reason or "").strip():
        raise DomainError(
            "required", _("Lý do chấp thuận ngoại lệ: bắt buộc nhập."), field="reason"
        )
    failed = [
        v
        for v in verdicts(dossier, competing=competing.all())
        if not v.passed and v.rule == rule and v.nominee_id == nominee_id
    ]
    if not failed:
        raise DomainError(
            "nothing_to_override",
            _("Không có kết quả “không đạt” nào của quy tắc này để chấp thuận ngoại lệ."),
            field="rule",
        )
    override = EligibilityOverride.objects.create(
        dossier=dossier, nominee_id=nominee_id, rule=rule, reason=reason.strip(), by=by
    )
    record_event(
        dossier,
        action="override_eligibility",
        actor=by,
        reason=reason.strip(),
        data={"rule": rule, "nominee": nominee_id, "verdict": failed[0].message},
    )
    return override


# --- holds (Decree 152/2025 art. 4 §4) ----------------------------------------------------


def _required(value, label, field: str) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DomainError(
            "required", _("%(field)s: bắt buộc nhập.") % {"field": label}, field=field
        )


@transaction.atomic
def place_hold(
    *,
    by,
    secretariat: Organisation | int,
    kind: str,
    body: str,
    started_on: date,
    full_name: str,
    identity_code: str = "",
    birth_year: int | None = None,
    organisation_name: str = "",
    subject_kind: str = SubjectKind.INDIVIDUAL,
    document: str = "",
    reason: str = "",
    source: str = "",
) -> Hold:
    """Record that a competent body is considering discipline, investigating, inspecting,
    auditing, or verifying a complaint, denunciation or press report about a person or a
    collective: no award or proposal goes on for them meanwhile (Decree 152/2025 art. 4 §4).

    The hold reaches every dossier naming the subject (same registry.identity key, any unit):
    the transitions that advance a nominee or a decision refuse while it stands
    (workflow.conditions.no_nominee_held, decisions.services.issue_decision).
    Side effects: the hold, an audit row. Refused before writing: no secretariat right
    (`receive_dossier`) on `secretariat`, an unknown kind, no body, start date or name.
    `source` names what placed it (e.g. "objection:12"), for the caller's own link.
    """
    require(by, secretariat, Perm.RECEIVE_DOSSIER)
    if kind not in HoldKind.values:
        raise DomainError("bad_kind", _("Lý do tạm dừng: không hợp lệ."), field="kind")
    if subject_kind not in SubjectKind.values:
        raise DomainError("bad_subject", _("Đối tượng: không hợp lệ."), field="subject_kind")
    _required(full_name, _("Họ và tên / tên tập thể"), "full_name")
    _required(body, _("Cơ quan có thẩm quyền đang xem xét"), "body")
    _required(started_on, _("Từ ngày"), "started_on")
    hold = Hold.objects.create(
        subject_key=subject_key(
            identity_code=identity_code,
            full_name=full_name,
            birth_year=birth_year,
            organisation_name=organisation_name,
        ),
        subject_kind=subject_kind,
        full_name=full_name.strip(),
        birth_year=birth_year,
        identity_code=(identity_code or "").strip(),
        organisation_name=(organisation_name or "").strip(),
        secretariat_id=secretariat if isinstance(secretariat, int) else secretariat.pk,
        kind=kind,
        body=body.strip(),
        document=(document or "").strip(),
        reason=(reason or "").strip(),
        started_on=started_on,
        source=source,
        recorded_by=by,
    )
    record_event(
        hold,
        action="place_hold",
        actor=by,
        reason=hold.reason,
        data={
            "subject": hold.full_name,
            "kind": kind,
            "body": hold.body,
            "started_on": started_on.isoformat(),
            "source": source,
        },
    )
    return hold


def place_hold_on_nominee(
    nominee,
    *,
    by,
    secretariat: Organisation | int,
    kind: str,
    body: str,
    started_on: date,
    document: str = "",
    reason: str = "",
    source: str = "",
) -> Hold:
    """place_hold for the subject of a dossier's nominee (its identity fields are copied)."""
    return place_hold(
        by=by,
        secretariat=secretariat,
        kind=kind,
        body=body,
        started_on=started_on,
        full_name=nominee.full_name,
        identity_code=nominee.identity_code,
        birth_year=nominee.birth_year,
        organisation_name=nominee.organisation_name,
        subject_kind=nominee.kind,
        document=document,
        reason=reason,
        source=source,
    )


@transaction.atomic
def clear_hold(
    hold_id: int,
    *,
    by,
    document: str,
    cleared_on: date,
    discipline_imposed: bool = False,
) -> Hold:
    """The body has concluded (or the discipline has ended): awards may go on again.

    For a discipline actually imposed (`discipline_imposed`), `cleared_on` is the day it
    ended, and the subject's achievements count only from that day (Decree 152/2025
    art. 4 §4): `counts_from`, read by registry.checks for chains, prerequisites and the
    year proposed. Side effects: the hold cleared, an audit row. Refused before writing: no
    secretariat right on the organisation that recorded it, already cleared, no document or
    date, a date before the hold began, `discipline_imposed` on a hold that is no discipline.
    """
    hold = Hold.objects.select_for_update().get(pk=hold_id)
    require(by, hold.secretariat_id, Perm.RECEIVE_DOSSIER)
    if hold.cleared_on is not None:
        raise DomainError("already_cleared", _("Việc tạm dừng này đã được chấm dứt."))
    _required(document, _("Văn bản kết luận, chấm dứt"), "cleared_document")
    _required(cleared_on, _("Ngày chấm dứt"), "cleared_on")
    if cleared_on < hold.started_on:
        raise DomainError(
            "before_start",
            _("Ngày chấm dứt: không được trước ngày bắt đầu tạm dừng (%(day)s).")
            % {"day": hold.started_on.strftime("%d/%m/%Y")},
            field="cleared_on",
        )
    if discipline_imposed and hold.kind != HoldKind.DISCIPLINE:
        raise DomainError(
            "not_discipline",
            _("Đã thi hành kỷ luật: chỉ áp dụng cho việc xem xét kỷ luật."),
            field="discipline_imposed",
        )
    hold.cleared_on = cleared_on
    hold.cleared_document = document.strip()
    hold.cleared_by = by
    hold.cleared_at = timezone.now()
    hold.counts_from = cleared_on if discipline_imposed else None
    hold.save(
        update_fields=["cleared_on", "cleared_document", "cleared_by", "cleared_at", "counts_from"]
    )
    record_event(
        hold,
        action="clear_hold",
        actor=by,
        reason=hold.cleared_document,
        data={
            "cleared_on": cleared_on.isoformat(),
            "counts_from": hold.counts_from.isoformat() if hold.counts_from else None,
        },
    )
    return hold


# --- the initiative ledger (CV 5007/BNV-TĐKT) ---------------------------------------------


@transaction.atomic
def record_initiative(
    *,
    by,
    unit: Organisation,
    full_name: str,
    title: str,
    year: int,
    scope: str,
    recognised_by: str,
    document: str,
    identity_code: str = "",
    birth_year: int | None = None,
    organisation_name: str = "",
) -> Initiative:
    """Enter a recognised initiative in its author's ledger.

    Who: the unit's proposer (`file_dossier`) or a secretariat of the unit's tree
    (`receive_dossier` on the unit). Side effects: the initiative, an audit row.
    Refused: no right, no title/document/body, an unknown scope.
    """
    if not holds(by, unit, Perm.FILE_DOSSIER, Perm.RECEIVE_DOSSIER):
        raise TransitionRefused.no_permission()
    _required(full_name, _("Họ và tên tác giả"), "full_name")
    _required(title, _("Tên sáng kiến"), "title")
    _required(recognised_by, _("Cơ quan công nhận"), "recognised_by")
    _required(document, _("Văn bản công nhận"), "document")
    if scope not in InitiativeScope.values:
        raise DomainError("bad_scope", _("Phạm vi ảnh hưởng: không hợp lệ."), field="scope")
    organisation_name = organisation_name or unit.name
    initiative = Initiative.objects.create(
        subject_key=subject_key(
            identity_code=identity_code,
            full_name=full_name,
            birth_year=birth_year,
            organisation_name=organisation_name,
        ),
        full_name=full_name.strip(),
        birth_year=birth_year,
        identity_code=(identity_code or "").strip(),
        organisation_name=organisation_name,
        title=title.strip(),
        year=year,
        scope=scope,
        recognised_by=recognised_by.strip(),
        document=document.strip(),
        recorded_by=by,
    )
    record_event(
        initiative, action="record_initiative", actor=by, data={"document": initiative.document}
    )
    return initiative


@transaction.atomic
def back_nominee_with_initiative(nominee, *, by, initiative_id: int) -> InitiativeUse:
    """The proposer names the initiative a nominee's proposal rests on.

    A use of an initiative that already backs another award (or another open proposal)
    is recorded, and then fails eligibility (rule `initiative`, naming the other award)
    until the nominee is changed or a reviewer overrides it with a reason.
    Side effects: the use, an audit row on the dossier. Refused: no `file_dossier` right on
    the proposing unit, an initiative of another person, the same link twice.
    """
    dossier = nominee.dossier
    require(by, dossier.proposer_id, Perm.FILE_DOSSIER)
    initiative = Initiative.objects.select_for_update().get(pk=initiative_id)
    if initiative.subject_key != nominee_subject_key(nominee):
        raise DomainError(
            "not_the_author",
            _("Sáng kiến “%(title)s” không phải của %(name)s.")
            % {"title": initiative.title, "name": nominee.full_name},
            field="initiative",
        )
    if InitiativeUse.objects.filter(initiative=initiative, nominee=nominee).exists():
        raise DomainError(
            "already_linked",
            _("Sáng kiến “%(title)s” đã được ghi cho %(name)s trong hồ sơ này.")
            % {"title": initiative.title, "name": nominee.full_name},
            field="initiative",
        )
    use = InitiativeUse.objects.create(initiative=initiative, nominee=nominee, by=by)
    record_event(
        dossier,
        action="back_with_initiative",
        actor=by,
        data={"nominee": nominee.full_name, "initiative": initiative.pk},
    )
    return use


@transaction.atomic
def link_initiative_to_award(entry_id: int, *, by, initiative_id: int) -> InitiativeUse:
    """Paper history: the award on record that an initiative already backed (imported
    awards have no nominee). Who: a secretariat or signer of the award's issuer."""
    entry = RegistryEntry.objects.get(pk=entry_id)
    require(by, entry.issuer_id, Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION)
    initiative = Initiative.objects.select_for_update().get(pk=initiative_id)
    if initiative.subject_key != entry.subject_key:
        raise DomainError(
            "not_the_author",
            _("Sáng kiến “%(title)s” không phải của %(name)s.")
            % {"title": initiative.title, "name": entry.full_name},
            field="initiative",
        )
    use = InitiativeUse.objects.create(initiative=initiative, entry=entry, by=by)
    record_event(entry, action="link_initiative", actor=by, data={"initiative": initiative.pk})
    return use
