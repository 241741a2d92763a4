"""Moving the registry to its own app (issue 11) keeps every row, field and audit link.

The database is taken back to before the move (decisions 0003, no registry app), rows are
written through the historical decisions models, and the move is applied again.
"""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.models import AuditEvent
from audit.services import record_event
from registry.models import EligibilityOverride, RegistryEntry
from tests.factories import make_draft, user

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("decisions", "0003_registry_flagged"), ("registry", None)]


def migrate(targets=None):
    """Migrate to `targets` (default: every app's latest); the historical apps there."""
    executor = MigrationExecutor(connection)
    state = executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()  # the move relabels content types under the cache
    return state.apps


def _rows(model) -> list[dict]:
    return list(model.objects.order_by("pk").values())


def test_the_move_keeps_every_row_and_its_audit_trail(demo):
    unit, commune = demo["th-hop-thanh"], demo["hop-thanh"]
    dossier = make_draft(unit, "bang-khen-tinh", nominees=2)
    first, second = dossier.active_nominees().order_by("pk")
    clerk = user("hop-thanh.vanphong")
    try:
        old = migrate(BEFORE)
        entries = old.get_model("decisions", "RegistryEntry")
        overrides = old.get_model("decisions", "EligibilityOverride")
        decision = old.get_model("decisions", "Decision").objects.create(
            issuer_id=commune.pk,
            award_type_id=dossier.award_type_id,
            status="issued",
            title="Tặng Giấy khen",
            label="Số: 07/QĐ-UBND",
            issued_on=date(2025, 12, 20),
            created_by_id=clerk.pk,
        )
        issued = entries.objects.create(
            subject_key=f"id:{first.identity_code.upper()}",
            subject_kind="individual",
            full_name=first.full_name,
            birth_year=first.birth_year,
            position="Giáo viên",
            organisation_id=unit.pk,
            organisation_name=unit.name,
            award_code="giay-khen",
            award_name="Giấy khen",
            year=2025,
            achievement_key="year:2025",
            achievement="Hoàn thành xuất sắc nhiệm vụ.",
            decision=decision,
            nominee_id=first.pk,
            decision_label="07/QĐ-UBND",
            decision_date=date(2025, 12, 20),
            issuer_id=commune.pk,
            issuer_name=commune.name,
        )
        entries.objects.create(
            subject_key="name:nông văn quyết|1979|trường tiểu học hợp thành",
            subject_kind="individual",
            full_name="Nông Văn Quyết",
            birth_year=1979,
            organisation_name="Trường Tiểu học Hợp Thành",
            award_code="cstdcs",
            award_name="Chiến sĩ thi đua cơ sở",
            year=2023,
            achievement_key="year:2023",
            decision_label="23/QĐ-UBND",
            decision_date=date(2023, 12, 20),
            issuer_name="Ủy ban nhân dân xã Hợp Thành",
            status="revoked",
            revoked_reason="Hồ sơ giả mạo",
            flagged="Dựa trên một khen thưởng đã bị thu hồi.",
        )
        for nominee_id, rule, reason in (
            (second.pk, "duplicate", "Đã xác minh"),
            (None, "quota", "Chỉ tiêu bổ sung"),  # a unit quota: the dossier as a whole
        ):
            overrides.objects.create(
                dossier_id=dossier.pk,
                nominee_id=nominee_id,
                rule=rule,
                reason=reason,
                by_id=clerk.pk,
            )
        record_event(issued, action="import_award", actor=clerk)
        before = (_rows(entries), _rows(overrides))
    finally:
        migrate()

    # Columns added by later migrations (awarding kind, prize, verification) are not compared.
    after = [
        [{k: row[k] for k in old_row} for row, old_row in zip(rows, old_rows, strict=True)]
        for rows, old_rows in zip(
            (_rows(RegistryEntry), _rows(EligibilityOverride)), before, strict=True
        )
    ]
    assert tuple(after) == before
    assert RegistryEntry.objects.get(pk=issued.pk).awarding_kind == "annual"
    assert [len(rows) for rows in before] == [2, 2]
    moved = RegistryEntry.objects.get(pk=issued.pk)
    assert moved.decision.label == "Số: 07/QĐ-UBND"
    assert moved.decision.registry.get() == moved  # the related names are kept
    assert dossier.overrides.count() == 2
    # The audit row written before the move still belongs to the entry.
    assert AuditEvent.objects.for_object(moved).get().action == "import_award"
    assert not ContentType.objects.filter(app_label="decisions", model="registryentry").exists()
