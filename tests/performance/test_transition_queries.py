"""A transition reads as many statements and rows however big the registry and the other
dossiers' nominee lists are (issue 18): eligibility finds the same person or collective
elsewhere by the nominees' stored, indexed identity key (Nominee.subject_key), not by
`full_name IN (…)` filtered in Python, and a transition reads its nominees once."""

import itertools
from contextlib import contextmanager
from datetime import date

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from dossiers.models import AwardType, Dossier, DossierStage, Nominee
from dossiers.services import update_nominee
from registry import checks
from registry.identity import nominee_subject_key
from registry.models import RegistryEntry
from tests.factories import actors_of, make_draft, stage_secretariat, submit_and_approve
from workflow import services as transitions
from workflow.states import DossierStatus, StageTier

pytestmark = pytest.mark.django_db

UNIT = "so-y-te"  # its Bằng khen goes straight to the province's appraisal
_serial = itertools.count(1)


def collectives(names, unit) -> list[dict]:
    return [
        {
            "kind": "collective",
            "full_name": name,
            "organisation_name": unit.name,
            "identity_code": "",  # a collective without a code: the name key
            "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm.",
        }
        for name in names
    ]


NAMES = ("Tổ chuyên môn số 1", "Tổ chuyên môn số 2", "Tổ chuyên môn số 3")


def accepted(unit, *, year: int, names=NAMES) -> Dossier:
    """A dossier of collectives at the province's appraisal, accepted complete."""
    dossier = submit_and_approve(
        make_draft(unit, nominee_fields=collectives(names, unit), year=year)
    )
    assert dossier.status == DossierStatus.PROVINCIAL_APPRAISAL, dossier.status
    transitions.accept_dossier(dossier.pk, by=stage_secretariat(dossier))
    return Dossier.objects.get(pk=dossier.pk)


def namesakes(n: int, demo, *, year: int = 2025) -> None:
    """`n` open dossiers of other units, each proposing collectives of the same names (their
    own units' teams), and as many registry entries of such teams: rows written in bulk,
    as the volume has them (bench/volume.py), not through the services."""
    others = [o for code, o in demo.items() if code != UNIT]
    award = AwardType.objects.get(code="bang-khen-tinh", rule_set__code="rs-2025")
    creator = actors_of(UNIT).proposer
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            reference=f"NS-{next(_serial):06d}",
            proposer=others[i % len(others)],
            award_type=award,
            year=year,
            title="Đề nghị tặng Bằng khen (trùng tên)",
            status=DossierStatus.PROVINCIAL_APPRAISAL,
            created_by=creator,
        )
        for i in range(n)
    )
    province = demo["lang-son"]
    DossierStage.objects.bulk_create(
        DossierStage(dossier=d, position=1, tier=StageTier.PROVINCIAL, organisation=province)
        for d in dossiers
    )
    Nominee.objects.bulk_create(
        Nominee(
            dossier=d,
            kind="collective",
            full_name=name,
            organisation_name=d.proposer.name,
            achievement_summary="Hoàn thành xuất sắc nhiệm vụ.",
        )
        for d in dossiers
        for name in NAMES
    )
    RegistryEntry.objects.bulk_create(
        RegistryEntry(
            subject_key=f"name:{NAMES[0].lower()}||{d.proposer.name.lower()} {d.pk}",
            subject_kind="collective",
            full_name=NAMES[0],
            organisation=d.proposer,
            organisation_name=d.proposer.name,
            award_code="bang-khen-tinh",
            award_name="Bằng khen",
            year=year - 1,
            achievement_key=f"year:{year - 1}",
            decision_label=f"{d.pk}/QĐ-UBND",
            decision_date=date(year - 1, 12, 20),
            issuer_name="UBND tỉnh",
        )
        for d in dossiers
    )


@contextmanager
def measured():
    """The statements run, and the model instances built (rows read as objects)."""
    built = {"n": 0}

    def count(sender, **kwargs):
        if sender in (Nominee, Dossier, RegistryEntry):
            built["n"] += 1

    post_init.connect(count, weak=False)
    try:
        with CaptureQueriesContext(connection) as captured:
            yield captured, built
    finally:
        post_init.disconnect(count)


def send(dossier) -> tuple[int, int, list[str]]:
    secretariat = stage_secretariat(dossier)
    with measured() as (captured, built):
        transitions.send_to_council(dossier.pk, by=secretariat)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.PROVINCIAL_COUNCIL
    return len(captured), built["n"], [q["sql"] for q in captured.captured_queries]


def test_sending_to_council_reads_the_same_with_10_or_300_namesakes_elsewhere(demo):
    unit = demo[UNIT]
    # Two of the unit's dossiers of the same teams (different years: no clash), each the
    # other's open nomination: each send finds the other's three, and nothing more.
    first, second = accepted(unit, year=2025), accepted(unit, year=2024)
    namesakes(10, demo)
    statements, built, _sql = send(first)
    namesakes(290, demo)
    assert send(second)[:2] == (statements, built)


def test_statements_do_not_grow_with_the_dossiers_own_nominees(demo):
    unit = demo[UNIT]
    few = accepted(unit, year=2025, names=NAMES[:1])
    many = accepted(unit, year=2024, names=[f"Tổ công tác số {i}" for i in range(1, 9)])
    assert send(many)[0] == send(few)[0]


def test_a_transition_reads_its_nominees_once(demo):
    dossier = accepted(demo[UNIT], year=2025)
    _n, _built, sql = send(dossier)
    own = [
        s
        for s in sql
        if s.startswith('SELECT "dossiers_nominee"."id"')
        and f'WHERE ("dossiers_nominee"."dossier_id" = {dossier.pk} AND' in s
    ]
    assert len(own) == 1, own


def test_a_namesake_of_another_unit_is_no_clash_but_the_same_team_retyped_is(demo):
    unit = demo[UNIT]
    namesakes(3, demo)  # "Tổ chuyên môn số 1" of other units, proposed the same year
    first = make_draft(unit, nominee_fields=collectives(NAMES[:1], unit))
    assert checks.blocking_problems(first, competing=first.competing_nominees()) == []
    submit_and_approve(first)
    # The same team of the same unit, its name typed again with other case and spacing.
    again = make_draft(unit, nominee_fields=collectives(["tổ chuyên  môn số 1"], unit))
    (problem,) = checks.blocking_problems(again, competing=again.competing_nominees())
    assert problem.rule == "duplicate"
    assert first.reference in problem.message


def test_the_identity_key_is_kept_by_every_write(demo):
    unit = demo[UNIT]
    dossier = make_draft(unit, nominee_fields=collectives(NAMES[:1], unit))
    (nominee,) = dossier.nominees.all()
    assert nominee.subject_key == nominee_subject_key(nominee)
    assert nominee.subject_key.startswith("name:tổ chuyên môn số 1|")
    update_nominee(dossier.pk, nominee.pk, by=actors_of(UNIT).proposer, identity_code="tt-0042")
    assert Nominee.objects.get(pk=nominee.pk).subject_key == "id:TT-0042"
    nominee = Nominee.objects.get(pk=nominee.pk)
    nominee.identity_code = ""
    nominee.full_name = "Tổ Văn phòng"
    nominee.save(update_fields=["identity_code", "full_name"])
    assert Nominee.objects.get(pk=nominee.pk).subject_key.startswith("name:tổ văn phòng|")
    (bulk,) = Nominee.objects.bulk_create(
        [Nominee(dossier=dossier, kind="collective", full_name="Tổ Y tế", achievement_summary=".")]
    )
    assert Nominee.objects.get(pk=bulk.pk).subject_key == "name:tổ y tế||"


def test_the_identity_key_has_an_index():
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "dossiers_nominee")
    assert found["nominee_subject_key"]["index"]
    assert found["nominee_subject_key"]["columns"] == ["subject_key"]
