"""The reminder sweep's statements do not grow with the organisations its reminders belong to
(issue 18): the officers and heads of a batch's organisations are read in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers.models import AwardType, Dossier, DossierStage
from notifications.models import OutboxMessage
from organisations.permissions import users_who_can
from organisations.roles import Perm
from tests.factories import user
from workflow import deadlines as clock
from workflow.models import Reminder, StageDeadline

pytestmark = pytest.mark.django_db


def due_today(orgs, per_org: int = 2) -> None:
    today = timezone.localdate()
    award = AwardType.objects.get(code="bang-khen-tinh", rule_set__code="rs-2025")
    creator = user("so-y-te.thiduakhenthuong")
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            reference=f"SW-{org.pk}-{i}",
            proposer=org,
            award_type=award,
            year=2026,
            title="Đề nghị (nhắc hạn)",
            created_by=creator,
        )
        for org in orgs
        for i in range(per_org)
    )
    stages = DossierStage.objects.bulk_create(
        DossierStage(dossier=d, position=1, tier="provincial", organisation=d.proposer)
        for d in dossiers
    )
    clocks = StageDeadline.objects.bulk_create(
        StageDeadline(
            stage=s,
            dossier_id=s.dossier_id,
            organisation_id=s.organisation_id,
            round=1,
            limit_days=20,
            started_on=today,
            due_on=today,
        )
        for s in stages
    )
    Reminder.objects.bulk_create(
        [Reminder(deadline=c, kind="due", fire_on=today) for c in clocks]
        + [Reminder(deadline=c, kind=Reminder.OVERDUE, fire_on=today) for c in clocks]
    )


def receiving(demo) -> list:
    return [o for o in demo.values() if users_who_can(Perm.RECEIVE_DOSSIER, o).exists()]


def swept() -> int:
    with CaptureQueriesContext(connection) as captured:
        clock.sweep_deadlines(today=timezone.localdate(), batch_size=500)
    return len(captured)


def test_the_sweep_reads_recipients_in_one_query_however_many_organisations(demo):
    orgs = receiving(demo)
    assert len(orgs) >= 6
    due_today(orgs[:1])
    one = swept()
    due_today(orgs[1:6])
    assert swept() == one
    # and every officer heard of each reminder, the heads of each overdue one
    for org in orgs[:6]:
        officers = set(users_who_can(Perm.RECEIVE_DOSSIER, org).values_list("pk", flat=True))
        heads = set(users_who_can(Perm.SIGN_DECISION, org).values_list("pk", flat=True))
        heads |= set(users_who_can(Perm.CHAIR_COUNCIL, org).values_list("pk", flat=True))
        reminders = Reminder.objects.filter(deadline__organisation=org)
        for reminder in reminders:
            told = set(
                OutboxMessage.objects.filter(dedupe_key=f"reminder:{reminder.pk}").values_list(
                    "recipient_id", flat=True
                )
            )
            expected = officers | heads if reminder.kind == Reminder.OVERDUE else officers
            assert told == expected, (org.code, reminder.kind)
