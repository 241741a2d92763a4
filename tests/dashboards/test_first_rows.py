"""Each home-page section shows the same count and the same first rows, in the same order, as
the dossier list behind its link sorted soonest deadline first (`soonest_first`): the rule the
page states. The page reads them differently (issue 18: the count from the flags, the first
rows of the proposer's sections in two LIMIT queries, with and without a running clock), so
the sections here mix dossiers with and without a clock, updated in shuffled order, and one
decided dossier carries a running clock, a state that never has one through the services.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from dossiers.models import Dossier
from tests.dashboards.bulk import KINDS, bulk_dossiers
from tests.factories import user
from workflow.dashboards import ROWS, dashboard_for, section_dossiers, soonest_first
from workflow.models import StageDeadline
from workflow.states import DossierStatus as S

pytestmark = pytest.mark.django_db

UNIT = "th-hop-thanh"
PROVINCE = "lang-son"


@pytest.fixture
def dossiers(demo):
    made = bulk_dossiers(
        len(KINDS) * 8,
        proposer=demo[UNIT],
        stage_org=demo[PROVINCE],
        created_by=user(f"{UNIT}.thiduakhenthuong"),
    )
    now = timezone.now()
    for n, dossier in enumerate(made):  # updated out of creation order, no two alike
        dossier.updated_at = now - timedelta(minutes=(n * 37) % len(made))
    Dossier.objects.bulk_update(made, ["updated_at"])
    # A clock left running on the least recently updated decided dossier: still first.
    oldest = min((d for d in made if d.status == S.DECIDED), key=lambda d: d.updated_at)
    StageDeadline.objects.create(
        stage=oldest.current_stage,
        dossier=oldest,
        organisation=demo[PROVINCE],
        round=1,
        limit_days=20,
        started_on=timezone.localdate(),
        due_on=timezone.localdate() + timedelta(days=40),
    )
    return made, oldest


@pytest.mark.parametrize(
    "username",
    [
        f"{UNIT}.thiduakhenthuong",  # UNIT sections: two LIMIT queries each
        f"{UNIT}.thutruong",
        f"{PROVINCE}.vanphong",  # STAGE sections, ranked; overdue: CLOCK
        f"{PROVINCE}.chutichhd",
        f"{PROVINCE}.lanhdao",
    ],
)
def test_each_section_shows_the_lists_count_and_first_rows_in_its_order(dossiers, username):
    _made, clocked_decided = dossiers
    who = user(username)
    today = timezone.localdate()

    board = dashboard_for(who, today=today)

    sections = [part for _key, _title, parts in board.groups for part in parts]
    assert sections
    if username == f"{PROVINCE}.vanphong":
        overdue = next(part for part in sections if part.section.key == "overdue")
        assert overdue.count == 8
    for part in sections:
        listed = section_dossiers(who, part.section.key, today=today)
        first = list(soonest_first(listed).values_list("pk", flat=True)[:ROWS])
        assert [row.pk for row in part.rows] == first, part.section.key
        assert part.count == listed.count(), part.section.key
    if username.endswith("thiduakhenthuong"):
        decided = next(part for part in sections if part.section.key == "decided")
        assert decided.rows[0].pk == clocked_decided.pk
        assert decided.count == 8
        under_way = next(part for part in sections if part.section.key == "under_way")
        assert len(under_way.rows) == ROWS
        assert under_way.count > ROWS
