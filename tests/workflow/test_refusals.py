"""Every refused transition says why, in Vietnamese and English, and changes nothing."""

import pytest
from django.forms.models import model_to_dict

from audit.models import AuditEvent
from core.errors import DomainError, TransitionRefused
from dossiers.models import Dossier, DossierStage
from tests import factories as f
from workflow import services as transitions


def frozen(dossier):
    """Everything a refusal must leave untouched: the row, its stages, its audit trail."""
    row = Dossier.objects.get(pk=dossier.pk)
    return (
        model_to_dict(row),
        row.updated_at,
        list(DossierStage.objects.filter(dossier=dossier).values()),
        AuditEvent.objects.for_object(row).count(),
    )


def refused(call, dossier, code):
    before = frozen(dossier)
    with pytest.raises(DomainError) as err:
        call()
    assert err.value.code == code
    texts = err.value.in_languages()
    assert texts["vi"]
    assert texts["en"]
    assert frozen(dossier) == before
    return err.value


def test_wrong_role_cannot_submit(demo):
    dossier = f.make_draft(demo["th-hop-thanh"])
    head = f.user("th-hop-thanh.thutruong")  # unit head: approves, does not file
    refused(lambda: transitions.submit_dossier(dossier.pk, by=head), dossier, "no_permission")


def test_other_unit_cannot_submit_or_forward(demo):
    dossier = f.make_draft(demo["th-hop-thanh"])
    other = f.user("thcs-tan-doan.thiduakhenthuong")
    refused(lambda: transitions.submit_dossier(dossier.pk, by=other), dossier, "no_permission")
    transitions.submit_dossier(dossier.pk, by=f.user("th-hop-thanh.thiduakhenthuong"))
    other_head = f.user("thcs-tan-doan.thutruong")
    refused(
        lambda: transitions.approve_dossier(dossier.pk, by=other_head), dossier, "no_permission"
    )


def test_other_commune_cannot_accept(demo):
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"]))
    other = f.user("tan-doan.vanphong")
    refused(lambda: transitions.accept_dossier(dossier.pk, by=other), dossier, "no_permission")


def test_missing_document_blocks_submission_and_names_it(demo):
    dossier = f.make_draft(demo["th-hop-thanh"], documents=False)
    proposer = f.user("th-hop-thanh.thiduakhenthuong")
    error = refused(
        lambda: transitions.submit_dossier(dossier.pk, by=proposer), dossier, "unmet_conditions"
    )
    assert "thiếu tài liệu" in error.in_languages()["vi"]


def test_no_nominee_blocks_submission(demo):
    dossier = f.make_draft(demo["th-hop-thanh"], nominees=0)
    proposer = f.user("th-hop-thanh.thiduakhenthuong")
    error = refused(
        lambda: transitions.submit_dossier(dossier.pk, by=proposer), dossier, "unmet_conditions"
    )
    assert "ít nhất một" in error.in_languages()["vi"]


def test_state_conflict_is_refused(demo):
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"]))
    proposer = f.user("th-hop-thanh.thiduakhenthuong")
    refused(lambda: transitions.submit_dossier(dossier.pk, by=proposer), dossier, "conflict")


def test_council_cannot_be_skipped(demo):
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"]))
    secretariat = f.user("hop-thanh.vanphong")
    transitions.accept_dossier(dossier.pk, by=secretariat)
    error = refused(
        lambda: transitions.forward_dossier(dossier.pk, by=secretariat), dossier, "unmet_conditions"
    )
    assert "Hội đồng" in error.in_languages()["vi"]


def test_return_needs_a_reason(demo):
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"]))
    secretariat = f.user("hop-thanh.vanphong")
    error = refused(
        lambda: transitions.return_for_supplement(dossier.pk, by=secretariat, reason=" "),
        dossier,
        "reason_required",
    )
    assert error.field == "reason"


def test_messages_exist_in_both_languages():
    error = TransitionRefused.no_permission()
    texts = error.in_languages()
    assert texts["vi"] != texts["en"]
    assert "quyền" in texts["vi"]
