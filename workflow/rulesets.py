"""Which rules apply: the rule set in force on a day, and the route a dossier takes.

Rule sets and routes are dated rows; this module only reads them.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from dossiers.models import RuleSet

from .states import StageTier


def rule_set_on(day: date):
    found = (
        RuleSet.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )
    if found is None:
        raise DomainError(
            "no_rule_set",
            _("Chưa có bộ quy tắc nào áp dụng cho ngày %(day)s; quản trị viên cần khai báo.")
            % {"day": day.strftime("%d/%m/%Y")},
        )
    return found


def award_type_in(rule_set, code: str):
    """The same award form (by code) in another rule set, or None if it no longer exists."""
    return rule_set.award_types.filter(code=code, is_active=True).first()


@dataclass(frozen=True)
class PlannedStage:
    position: int
    tier: str
    organisation: object
    rules: dict  # StageRules.to_snapshot(): stored as is on DossierStage.rules


def plan_route(award_type, proposer, *, on: date) -> list[PlannedStage]:
    """The stages a dossier of `award_type` from `proposer` goes through, with who acts.

    An intermediate stage acts at the proposer itself, if its level is one of the stage's,
    else at its nearest ancestor of those levels in force on `on`; a stage with neither is
    skipped. The last stage decides (Decree 129/2025 art. 59, Law art. 80 under RS-2025: a
    commune-level award ends at the commune, whose chair decides; a department's own
    award ends at the department, whose head decides). A stage landing on the same
    organisation as the one before it is skipped, unless it is the deciding stage: the
    unit stage is the proposal (its head approves the list), the deciding stage the
    decider's office, council and signature, even within one department.
    """
    planned: list[PlannedStage] = []
    deciding_stage_missing = False
    stages = list(award_type.stages.order_by("position"))
    for index, stage in enumerate(stages):
        deciding = index == len(stages) - 1
        deciding_stage_missing = False
        if stage.tier == StageTier.UNIT:
            org = proposer
        elif stage.tier == StageTier.PROVINCIAL:
            org = proposer.province()
        else:
            org = _nearest_at_or_above(proposer, stage.levels, on=on)
        if org is None:
            deciding_stage_missing = True
            continue
        if planned and planned[-1].organisation.pk == org.pk and not deciding:
            continue
        planned.append(PlannedStage(len(planned), stage.tier, org, stage.rules().to_snapshot()))
    # The last stage decides: if it has nobody to act, the award is not open to this unit.
    if deciding_stage_missing or not planned or planned[0].tier != StageTier.UNIT:
        basis = getattr(award_type, "basis", "")
        raise DomainError(
            "route_unavailable",
            _(
                "Hình thức “%(award)s” không áp dụng cho đơn vị “%(unit)s”: không xác định được "
                "cấp có thẩm quyền quyết định (căn cứ: %(basis)s)."
            )
            % {
                "award": award_type.name,
                "unit": proposer.name,
                "basis": basis or award_type.rule_set.name,
            },
            field="award_type",
        )
    return planned


def _nearest_at_or_above(org, levels: list[str], *, on: date):
    if org.level in levels and org.is_active_on(on):
        return org
    for ancestor in reversed(list(type(org).objects.get_ancestors(org))):
        if ancestor.level in levels and ancestor.is_active_on(on):
            return ancestor
    return None


def pinned_snapshot(rule_set, award_type, planned: list[PlannedStage]) -> dict:
    """Everything a dossier is judged by once received complete (Dossier.rules_snapshot):
    the rule set's căn cứ, the form's decider and eligibility parameters with their basis,
    the required documents of both procedures, and every planned stage's rules (limits,
    vote rule, basis). Later edits to the live rule set never reach it (domain §1)."""
    required: dict[str, list[dict]] = {"regular": [], "simplified": []}
    for row in award_type.required.order_by("pk"):
        key = "simplified" if row.simplified else "regular"
        required[key].append({"category": row.category, "basis": row.basis})
    return {
        "rule_set": rule_set.code,
        "rule_set_name": rule_set.name,
        "award_type": award_type.code,
        "legal_bases": list(rule_set.legal_bases),
        "deciding_authority": award_type.deciding_authority,
        "basis": award_type.basis,
        "note": award_type.note,
        "eligibility": dict(award_type.eligibility or {}),
        "required_documents": required,
        "stages": [p.rules for p in planned],
    }
