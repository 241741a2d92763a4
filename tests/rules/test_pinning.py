"""A dossier is judged by the snapshot pinned at its first complete receipt, never by the
live rule set an administrator edits afterwards (domain §1)."""

from datetime import date

import pytest

from dossiers.models import DocumentCategory, Dossier, RequiredDocument
from organisations.models import Organisation
from registry import checks
from registry import services as registry
from tests import factories as f
from tests.rules.test_rulesets import ldtt_on_record
from workflow.models import StageDeadline
from workflow.states import DossierStatus as S

pytestmark = pytest.mark.django_db


def chain_of_cstdcs(unit, years) -> None:
    commune = Organisation.objects.get_parent(unit)
    for year in years:
        registry.import_award(
            by=f.user(f"{commune.code}.vanphong"),
            issuer=commune,
            unit=unit,
            full_name="Nguyễn Thị Hồng Nhung 1",
            identity_code=f"001085000000-{unit.code}",
            award_code="cstdcs",
            award_name="Chiến sĩ thi đua cơ sở",
            year=year,
            decision_label=f"{year - 2000}/QĐ-UBND",
            decision_date=date(year, 12, 20),
        )


def years_needed(dossier) -> list[int]:
    (chain,) = [
        v
        for v in checks.verdicts(dossier, competing=dossier.competing_nominees())
        if v.rule == "consecutive"
    ]
    return chain.evidence["years_needed"]


def administrator_edits_the_live_rule_set() -> None:
    form = f.award("cstd-tinh")
    rules = dict(form.eligibility)
    rules["consecutive"] = {**rules["consecutive"], "years": 2}
    form.eligibility = rules
    form.save()
    RequiredDocument.objects.create(
        award_type=form, category=DocumentCategory.CONFIRMATION, basis="Ví dụ"
    )
    province = form.stages.get(tier="provincial")
    province.limit_days = 25
    province.save()


def test_a_received_dossier_keeps_its_rules_and_a_new_one_gets_the_edited_ones(demo):
    unit = demo["th-hop-thanh"]
    chain_of_cstdcs(unit, (2022, 2023, 2024))
    dossier = f.submit_and_approve(f.make_draft(unit, "cstd-tinh", year=2025))
    f.advance_to_council(dossier, received_on=date(2026, 3, 2))  # pinned here
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.rules_snapshot["eligibility"]["consecutive"]["years"] == 3

    administrator_edits_the_live_rule_set()

    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.eligibility_rules()["consecutive"]["years"] == 3
    assert years_needed(dossier) == [2022, 2023, 2024]
    assert DocumentCategory.CONFIRMATION not in dossier.required_categories()
    assert dossier.missing_documents() == []
    # It goes on to the province, which receives it complete with the 20 days it pinned.
    dossier = f.pass_council(dossier)
    assert dossier.status == S.PROVINCIAL_APPRAISAL
    f.advance_to_council(dossier, received_on=date(2026, 4, 6))
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == S.PROVINCIAL_COUNCIL
    assert StageDeadline.objects.get(stage=dossier.current_stage).limit_days == 20

    newcomer = f.make_draft(demo["mn-xuat-le"], "cstd-tinh", year=2025, documents=False)
    assert newcomer.eligibility_rules()["consecutive"]["years"] == 2
    assert years_needed(newcomer) == [2023, 2024]
    assert DocumentCategory.CONFIRMATION in newcomer.missing_documents()
    for category in newcomer.required_categories():
        f.upload(newcomer, f.user("mn-xuat-le.thiduakhenthuong"), category)
    chain_of_cstdcs(demo["mn-xuat-le"], (2023, 2024))
    newcomer = f.submit_and_approve(newcomer)
    province = newcomer.stages.get(tier="provincial")
    assert province.stage_rules.limit_days == 25


def test_the_pinned_snapshot_carries_the_bases(demo):
    ldtt_on_record(demo["th-hop-thanh"], 2025)
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], "cstdcs"))
    f.advance_to_council(dossier, received_on=date(2026, 3, 2))
    snapshot = Dossier.objects.get(pk=dossier.pk).rules_snapshot
    assert "Điều 59 Nghị định 129/2025/NĐ-CP" in snapshot["basis"]
    assert all(row["basis"] for row in snapshot["required_documents"]["regular"])
    assert "QĐ 638/QĐ-BNV 2025" in snapshot["stages"][-1]["basis"]
