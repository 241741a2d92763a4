"""The Party committee's written opinion as a route step (Bắc Ninh QĐ 86/2025 art. 5 §1a)."""

import pytest

from core.errors import DomainError, TransitionRefused
from dossiers.models import DocumentCategory, Dossier, RouteStage
from dossiers.party_opinion import attach_party_opinion
from tests.factories import PDF, make_draft, stage_secretariat, submit_and_approve, user
from workflow import services as transitions
from workflow.stage_rules import PARTY_OPINION_CATEGORY, StageRules
from workflow.states import DossierStatus, StageTier

pytestmark = pytest.mark.django_db


def test_stage_rules_carry_the_flag_and_round_trip():
    assert StageRules().party_opinion_required is False
    assert StageRules.from_snapshot({}).party_opinion_required is False  # older snapshots
    rules = StageRules(party_opinion_required=True)
    assert StageRules.from_snapshot(rules.to_snapshot()) == rules
    assert DocumentCategory.PARTY_OPINION == PARTY_OPINION_CATEGORY


def _at_commune_with_opinion_required(demo) -> Dossier:
    RouteStage.objects.filter(
        award_type__code="bang-khen-tinh", tier=StageTier.INTERMEDIATE
    ).update(party_opinion_required=True, party_opinion_basis="QĐ 86/2025/QĐ-UBND, điều 5")
    dossier = submit_and_approve(make_draft(demo["th-hop-thanh"]))
    transitions.accept_dossier(dossier.pk, by=stage_secretariat(dossier))
    return dossier


def test_without_the_opinion_the_stage_cannot_send_the_dossier_on(demo):
    dossier = _at_commune_with_opinion_required(demo)
    secretariat = stage_secretariat(dossier)

    with pytest.raises(TransitionRefused) as refused:
        transitions.send_to_council(dossier.pk, by=secretariat)

    assert refused.value.code == "unmet_conditions"
    assert "Ý kiến bằng văn bản của Ban Thường vụ Tỉnh ủy" in str(refused.value)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.INTERMEDIATE_APPRAISAL
    assert "send_to_intermediate_council" not in transitions.available_actions(
        Dossier.objects.get(pk=dossier.pk), secretariat
    )


def test_after_the_opinion_is_attached_the_stage_sends_it_on(demo):
    dossier = _at_commune_with_opinion_required(demo)
    secretariat = stage_secretariat(dossier)

    document = attach_party_opinion(
        dossier.pk, by=secretariat, name="y-kien-btv.pdf", size=len(PDF), chunks=[PDF]
    )
    assert document.category == DocumentCategory.PARTY_OPINION

    transitions.send_to_council(dossier.pk, by=secretariat)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.INTERMEDIATE_COUNCIL


def test_only_the_stage_secretariat_attaches_it_and_only_where_asked(demo):
    dossier = _at_commune_with_opinion_required(demo)
    with pytest.raises(TransitionRefused):
        attach_party_opinion(
            dossier.pk,
            by=user("th-hop-thanh.thiduakhenthuong"),
            name="a.pdf",
            size=len(PDF),
            chunks=[PDF],
        )
    assert not dossier.documents.filter(category=DocumentCategory.PARTY_OPINION).exists()

    plain = submit_and_approve(make_draft(demo["mn-xuat-le"], award_code="giay-khen-xa"))
    with pytest.raises(DomainError) as refused:
        attach_party_opinion(
            plain.pk, by=stage_secretariat(plain), name="a.pdf", size=len(PDF), chunks=[PDF]
        )
    assert refused.value.code == "not_required"


def test_a_stage_without_the_flag_is_unchanged(demo):
    dossier = submit_and_approve(make_draft(demo["th-hop-thanh"]))
    secretariat = stage_secretariat(dossier)
    transitions.accept_dossier(dossier.pk, by=secretariat)
    transitions.send_to_council(dossier.pk, by=secretariat)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.INTERMEDIATE_COUNCIL
