"""The province's "Cờ thi đua only to a cluster's leader" rule (campaigns.ClusterFlagRule, off
by default) is an eligibility check of every dossier proposing the flag, not only the
cluster's own: a unit filing for itself is refused at submission, with the rule's message
and its basis, unless it leads its cluster that year (registry.eligibility)."""

import pytest

from audit.models import AuditEvent
from campaigns.models import ClusterFlagRule
from dossiers.models import Dossier
from registry.checks import verdicts
from registry.eligibility import FLAG_TO_LEADER
from tests import factories as f
from workflow.states import DossierStatus

from .conftest import LEADER, YEAR

pytestmark = pytest.mark.django_db
BASIS = "Quy chế thi đua, khen thưởng của tỉnh (ví dụ), điều 12"
FLAG = "co-thi-dua-tinh"


def own_flag_dossier(unit, *, code: str = "") -> Dossier:
    """A unit filing for itself: one collective nominee, the unit (by its code or its name)."""
    return f.make_draft(
        unit,
        FLAG,
        year=YEAR,
        nominee_fields=[
            {
                "kind": "collective",
                "full_name": unit.name,
                "organisation_name": unit.name,
                "identity_code": code,
                "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm 2026.",
            }
        ],
    )


def submit_on_the_page(client, dossier: Dossier):
    client.force_login(f.actors_of(dossier.proposer.code).proposer)
    return client.post(f"/ho-so/{dossier.pk}/thao-tac/submit/", follow=True)


def switch_rule(demo, *, on: bool) -> ClusterFlagRule:
    return ClusterFlagRule.objects.create(
        province=demo["lang-son"], flag_only_to_leader=on, award_codes=[FLAG], basis=BASIS
    )


def test_on_a_member_that_does_not_lead_is_refused_at_submission_and_nothing_changes(
    client, demo, cluster_year
):
    switch_rule(demo, on=True)
    member = demo["so-y-te"]
    dossier = own_flag_dossier(member)  # matched by its name: no code given
    events = AuditEvent.objects.count()

    page = submit_on_the_page(client, dossier).content.decode()

    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DRAFT
    assert AuditEvent.objects.count() == events
    assert "chưa đủ điều kiện" in page
    assert (
        f"{member.name}: không phải cụm trưởng của Cụm thi đua số 1 năm {YEAR} (cụm trưởng: "
        f"{demo[LEADER].name}); Cờ thi đua của Ủy ban nhân dân tỉnh chỉ tặng cụm trưởng của "
        f"cụm, khối thi đua ({BASIS})."
    ) in page
    failed = [v for v in verdicts(dossier, competing=dossier.competing_nominees()) if not v.passed]
    assert [v.rule for v in failed] == [FLAG_TO_LEADER]


def test_on_a_collective_in_no_cluster_is_refused_too(client, demo, cluster_year):
    switch_rule(demo, on=True)
    outsider = demo["bvdk-tinh"]
    dossier = own_flag_dossier(outsider, code=outsider.code)

    page = submit_on_the_page(client, dossier).content.decode()

    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DRAFT
    assert f"{outsider.name}: không thuộc cụm, khối thi đua nào năm {YEAR}" in page
    assert BASIS in page


def test_on_the_leader_of_its_cluster_passes(client, demo, cluster_year):
    switch_rule(demo, on=True)
    dossier = own_flag_dossier(demo[LEADER], code=demo[LEADER].code)

    page = submit_on_the_page(client, dossier).content.decode()

    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.UNIT_REVIEW
    assert f"{demo[LEADER].name}: cụm trưởng của Cụm thi đua số 1 năm {YEAR}." in page


def test_off_by_default_and_when_switched_off_both_pass(client, demo, cluster_year):
    first = own_flag_dossier(demo["so-y-te"])
    assert submit_on_the_page(client, first).status_code == 200
    switch_rule(demo, on=False)
    second = own_flag_dossier(demo["tan-doan"], code="tan-doan")
    leader = own_flag_dossier(demo[LEADER], code=demo[LEADER].code)
    for dossier in (second, leader):
        submit_on_the_page(client, dossier)

    for dossier in (first, second, leader):
        assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.UNIT_REVIEW
        checked = verdicts(dossier, competing=dossier.competing_nominees())
        assert FLAG_TO_LEADER not in {v.rule for v in checked}


def test_the_rule_covers_only_its_award_codes(client, demo, cluster_year):
    switch_rule(demo, on=True)
    unit = demo["so-y-te"]
    dossier = f.make_draft(
        unit,
        "bang-khen-tinh",
        year=YEAR,
        nominee_fields=[
            {
                "kind": "collective",
                "full_name": unit.name,
                "organisation_name": unit.name,
                "identity_code": unit.code,
                "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm 2026.",
            }
        ],
    )
    checked = verdicts(dossier, competing=dossier.competing_nominees())
    assert FLAG_TO_LEADER not in {v.rule for v in checked}
