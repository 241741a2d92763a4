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
from organisations.models import Organisation
from organisations.permissions import holds, require
from organisations.roles import Perm

from .checks import verdicts
from .eligibility import CONSECUTIVE, SAME_YEAR
from .identity import achievement_key, subject_key
from .models import EligibilityOverride, RegistryEntry, RegistryStatus, SubjectKind


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
        birth_year=nominee.birth_year,
        position=nominee.position,
        organisation_id=dossier.proposer_id,
        organisation_name=nominee.organisation_name,
        award_code=decision.award_type.code,
        award_name=decision.award_type.name,
        year=dossier.year,
        achievement_key=achievement_key(
            kind=dossier.kind,
            year=dossier.year,
            campaign_id=dossier.campaign_id,
            reference=dossier.reference,
        ),
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
    `lines` are the decision's lines with `nominee__dossier` loaded."""
    return RegistryEntry.objects.bulk_create(_entry_for(decision, line.nominee) for line in lines)


@transaction.atomic
def revoke_award(entry_id: int, *, by, reason: str) -> RegistryEntry:
    """Revoke an award (Law 06/2022): kept on record, no longer counted for eligibility.

    Side effects, in order: the entry revoked, the subject's awards that relied on it
    flagged for review, an audit row. Refused: no signing or secretariat right on the
    issuer, no reason, already revoked.
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
) -> RegistryEntry:
    """Record an award issued before khenthuong (paper, district era) so eligibility sees it.

    Side effects: the entry, an audit row. Refused: no secretariat or signing right on the
    issuer.
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
        birth_year=birth_year,
        position=position,
        organisation=unit,
        organisation_name=organisation_name,
        award_code=award_code,
        award_name=award_name,
        year=year,
        achievement_key=achievement_key(kind="annual", year=year),
        decision_label=decision_label,
        decision_date=decision_date,
        issuer=issuer,
        issuer_name=issuer.name,
    )
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
