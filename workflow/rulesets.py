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

    A stage whose levels have no ancestor of the proposer in force on `on` is skipped, and
    so is one that would land on the same organisation as the stage before it.
    """
    planned: list[PlannedStage] = []
    deciding_stage_missing = False
    for stage in award_type.stages.order_by("position"):
        deciding_stage_missing = False
        if stage.tier == StageTier.UNIT:
            org = proposer
        elif stage.tier == StageTier.PROVINCIAL:
            org = proposer.province()
        else:
            org = _nearest_above(proposer, stage.levels, on=on)
        if org is None:
            deciding_stage_missing = True
            continue
        if planned and planned[-1].organisation.pk == org.pk:
            continue
        planned.append(PlannedStage(len(planned), stage.tier, org, stage.rules().to_snapshot()))
    # The last stage decides: if it has nobody to act, the award is not open to this unit.
    if deciding_stage_missing or not planned or planned[0].tier != StageTier.UNIT:
        raise DomainError(
            "route_unavailable",
            _(
                "Hình thức “%(award)s” không áp dụng cho đơn vị “%(unit)s”: không xác định được "
                "quy trình xét."
            )
            % {"award": award_type.name, "unit": proposer.name},
            field="award_type",
        )
    return planned


def _nearest_above(org, levels: list[str], *, on: date):
    for ancestor in reversed(list(type(org).objects.get_ancestors(org))):
        if ancestor.level in levels and ancestor.is_active_on(on):
            return ancestor
    return None
