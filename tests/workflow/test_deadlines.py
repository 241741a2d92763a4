"""Stage clocks through the services, reminders once, escalation, and the display tag.

Dates are passed explicitly (received_on, today=): the clock never reads the wall time here.
"""

import itertools
import threading
from datetime import date

import pytest
from django.db import connection
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier
from notifications.models import OutboxMessage
from organisations.models import Organisation
from tests import factories as f
from workflow import deadlines as clock
from workflow import services as transitions
from workflow.models import CalendarEntry, DayKind, Reminder, StageDeadline

_serials = itertools.count(1)


def at_province() -> Dossier:
    """A department's dossier at the provincial secretariat, not yet received complete."""
    unit = Organisation.objects.get(code="so-y-te")
    # A nominee of its own each time: the eligibility check refuses the same person twice.
    serial = next(_serials)
    nominee = {
        "kind": "individual",
        "full_name": f"Nguyễn Thị Hồng Nhung {serial}",
        "birth_year": 1985,
        "gender": "female",
        "position": "Bác sĩ",
        "organisation_name": unit.name,
        "identity_code": f"0010850{serial:05d}-deadlines",
        "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ.",
    }
    return f.submit_and_approve(f.make_draft(unit, nominee_fields=[nominee]))


def test_returned_then_resubmitted_dossier_restarts_its_clock_and_keeps_both_rounds(demo):
    """Domain §9.4, with a premature first receipt that the return stops."""
    dossier = at_province()
    clerk = f.user("lang-son.vanphong")
    transitions.accept_dossier(dossier.pk, by=clerk, received_on=date(2027, 4, 5))
    first = StageDeadline.objects.get(dossier=dossier)
    assert first.due_on < date(2027, 5, 13)

    transitions.return_for_supplement(dossier.pk, by=clerk, reason="Thiếu biên bản họp Hội đồng")
    first.refresh_from_db()
    assert first.closed_at is not None
    assert not first.reminders.filter(sent_at=None, cancelled_at=None).exists()

    proposer = f.user("so-y-te.thiduakhenthuong")
    transitions.resubmit_dossier(dossier.pk, by=proposer)
    transitions.accept_dossier(dossier.pk, by=clerk, received_on=date(2027, 4, 12))

    rounds = list(StageDeadline.objects.filter(dossier=dossier).order_by("pk"))
    assert len(rounds) == 2
    second = rounds[1]
    assert (second.started_on, second.limit_days, second.due_on) == (
        date(2027, 4, 12),
        20,
        date(2027, 5, 13),
    )
    assert second.round == rounds[0].round + 1
    assert second.closed_at is None
    assert clock.open_deadline_of(dossier) == second


def test_schedule_of_a_20_day_limit_over_tet(demo):
    """Domain §9.5: received 25/01/2027, due 01/03/2027; reminders skip the Tết block."""
    dossier = at_province()
    transitions.accept_dossier(
        dossier.pk, by=f.user("lang-son.vanphong"), received_on=date(2027, 1, 25)
    )
    deadline = StageDeadline.objects.get(dossier=dossier)
    assert deadline.due_on == date(2027, 3, 1)
    schedule = dict(deadline.reminders.values_list("kind", "fire_on"))
    assert schedule == {
        "pct50": date(2027, 2, 15),
        "pct80": date(2027, 2, 23),
        "before1": date(2027, 2, 26),
        "due": date(2027, 3, 1),
        "overdue": date(2027, 3, 2),
    }


def test_simplified_dossier_gets_the_shorter_limit(demo):
    # Accepted under the full checklist, then marked simplified: only the limit is under test.
    dossier = at_province()
    transitions.accept_dossier(
        dossier.pk, by=f.user("lang-son.vanphong"), received_on=date(2027, 4, 12)
    )
    Dossier.objects.filter(pk=dossier.pk).update(simplified=True)
    stage = Dossier.objects.get(pk=dossier.pk).current_stage
    deadline = clock.open_deadline(stage, start=date(2027, 4, 12))
    assert deadline.limit_days == 10
    assert deadline.due_on == date(2027, 4, 27)  # skips Giỗ Tổ, Friday 16/04
    assert StageDeadline.objects.filter(dossier=dossier, closed_at=None).get() == deadline


def test_an_administrator_added_working_saturday_brings_the_due_date_forward(demo):
    CalendarEntry.objects.create(day=date(2027, 4, 24), kind=DayKind.WORKING_DAY, name="Làm bù")
    dossier = at_province()
    transitions.accept_dossier(
        dossier.pk, by=f.user("lang-son.vanphong"), received_on=date(2027, 4, 12)
    )
    assert StageDeadline.objects.get(dossier=dossier).due_on == date(2027, 5, 12)


def test_a_holiday_added_by_the_administrator_pushes_the_due_date(demo):
    CalendarEntry.objects.create(day=date(2027, 5, 6), kind=DayKind.DAY_OFF, name="Nghỉ thêm")
    dossier = at_province()
    transitions.accept_dossier(
        dossier.pk, by=f.user("lang-son.vanphong"), received_on=date(2027, 4, 12)
    )
    assert StageDeadline.objects.get(dossier=dossier).due_on == date(2027, 5, 14)


def test_seed_calendar_copies_the_package_once_and_keeps_administrator_edits(db):
    added = clock.seed_calendar([2026, 2027])
    assert added == CalendarEntry.objects.count() > 20
    assert CalendarEntry.objects.get(day=date(2026, 8, 22)).kind == DayKind.WORKING_DAY
    assert CalendarEntry.objects.get(day=date(2027, 5, 3)).kind == DayKind.HOLIDAY
    CalendarEntry.objects.filter(day=date(2027, 11, 24)).update(kind=DayKind.WORKING_DAY)
    assert clock.seed_calendar([2026, 2027]) == 0
    assert CalendarEntry.objects.get(day=date(2027, 11, 24)).kind == DayKind.WORKING_DAY
    assert clock.calendar_for(date(2027, 11, 1)).is_working_day(date(2027, 11, 24))


def _reminder_notices() -> list[tuple[int, str]]:
    return list(
        OutboxMessage.objects.filter(dedupe_key__startswith="reminder:").values_list(
            "recipient_id", "dedupe_key"
        )
    )


def test_sweep_sends_each_due_reminder_once_and_escalates_when_overdue(demo):
    dossier = at_province()
    transitions.accept_dossier(
        dossier.pk, by=f.user("lang-son.vanphong"), received_on=date(2027, 1, 25)
    )
    clerk, chair = f.user("lang-son.vanphong"), f.user("lang-son.chutichhd")

    assert clock.sweep_deadlines(today=date(2027, 2, 14)) == 0
    assert clock.sweep_deadlines(today=date(2027, 2, 23)) == 2  # 50 % and 80 %
    assert clock.sweep_deadlines(today=date(2027, 2, 23)) == 0  # a repeated sweep
    notices = _reminder_notices()
    assert len(notices) == len(set(notices))
    assert {uid for uid, _ in notices} >= {clerk.pk}
    assert chair.pk not in {uid for uid, _ in notices}

    assert clock.sweep_deadlines(today=date(2027, 3, 2)) == 3  # before1, due, overdue
    deadline = StageDeadline.objects.get(dossier=dossier)
    assert deadline.escalated_at is not None
    overdue = OutboxMessage.objects.filter(template="deadline_overdue")
    assert set(overdue.values_list("recipient_id", flat=True)) >= {chair.pk, clerk.pk}
    assert list(clock.overdue_deadlines(today=date(2027, 3, 2))) == [deadline]


def test_a_return_cancels_pending_reminders(demo):
    dossier = at_province()
    clerk = f.user("lang-son.vanphong")
    transitions.accept_dossier(dossier.pk, by=clerk, received_on=date(2027, 1, 25))
    transitions.return_for_supplement(dossier.pk, by=clerk, reason="Thiếu tóm tắt thành tích")
    assert clock.sweep_deadlines(today=date(2027, 12, 31)) == 0
    assert _reminder_notices() == []
    assert list(clock.overdue_deadlines(today=date(2027, 12, 31))) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_exactly_once(demo):
    dossiers = [at_province() for _ in range(3)]
    for dossier in dossiers:
        transitions.accept_dossier(
            dossier.pk, by=f.user("lang-son.vanphong"), received_on=date(2027, 1, 25)
        )
    due = Reminder.objects.count()
    assert due == 15
    barrier, results, errors = threading.Barrier(2), [], []

    def sweep():
        try:
            barrier.wait()
            results.append(clock.sweep_deadlines(today=date(2027, 12, 31), batch_size=2))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(results) == due
    assert not Reminder.objects.filter(sent_at=None).exists()
    notices = _reminder_notices()
    assert len(notices) == len(set(notices))
    keys = {key for _, key in notices}
    assert keys == {f"reminder:{pk}" for pk in Reminder.objects.values_list("pk", flat=True)}


def render(source: str, **context) -> str:
    return Template("{% load deadlines %}" + source).render(Context(context))


def test_the_tag_shows_due_date_and_working_days_left_or_overdue(demo):
    dossier = at_province()
    assert render("{% deadline d %}", d=dossier) == ""
    transitions.accept_dossier(
        dossier.pk, by=f.user("lang-son.vanphong"), received_on=date(2027, 4, 12)
    )
    before = render("{% deadline d today %}", d=dossier, today=date(2027, 5, 10))
    assert "13/05/2027" in before
    assert 'datetime="2027-05-13"' in before
    assert "3" in before
    assert "overdue" not in before
    late = render("{% deadline d today %}", d=dossier, today=date(2027, 5, 17))
    assert 'class="deadline overdue"' in late
    assert render("{{ d|working_days_left:today }}", d=dossier, today=date(2027, 5, 17)) == "-2"


def test_overdue_list_shows_late_stages_to_their_body_only(demo, client, monkeypatch):
    dossier = at_province()
    transitions.accept_dossier(
        dossier.pk, by=f.user("lang-son.vanphong"), received_on=date(2027, 1, 25)
    )
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2027, 3, 4))
    client.force_login(f.user("lang-son.chutichhd"))
    page = client.get(reverse("workflow:overdue"))
    assert page.status_code == 200
    assert [row.dossier_id for row, _ in page.context["items"]] == [dossier.pk]
    assert page.context["items"][0][1].days_overdue == 3  # due Mon 01/03; Tue, Wed, Thu
    client.force_login(f.user("hop-thanh.vanphong"))
    assert list(client.get(reverse("workflow:overdue")).context["items"]) == []


def test_dossier_list_inbox_and_detail_show_the_running_clock(demo, client, monkeypatch):
    dossier = at_province()
    transitions.accept_dossier(
        dossier.pk, by=f.user("lang-son.vanphong"), received_on=date(2027, 1, 25)
    )
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2027, 3, 4))
    client.force_login(f.user("lang-son.vanphong"))
    for url in (
        reverse("dossiers:list"),
        reverse("workflow:inbox"),
        reverse("dossiers:detail", args=[dossier.pk]),
    ):
        text = client.get(url).content.decode()
        assert 'datetime="2027-03-01"' in text, url  # 20 working days over Tết 2027
        assert "quá hạn 3 ngày" in text, url


def test_the_list_reads_every_row_clock_in_one_query(demo, client, django_assert_max_num_queries):
    for _ in range(3):
        d = at_province()
        transitions.accept_dossier(
            d.pk, by=f.user("lang-son.vanphong"), received_on=date(2027, 1, 25)
        )
    client.force_login(f.user("lang-son.vanphong"))
    client.get(reverse("dossiers:list"))  # warm caches (calendar, content types)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("dossiers:list"))
    one = len(few.captured_queries)
    for _ in range(3):
        d = at_province()
        transitions.accept_dossier(
            d.pk, by=f.user("lang-son.vanphong"), received_on=date(2027, 1, 25)
        )
    # The rows changed: the next request computes the list's kept filter choices again
    # (dossiers.facets; tests/dossiers/test_facets.py counts that request); compare warm
    # with warm.
    client.get(reverse("dossiers:list"))
    with django_assert_max_num_queries(one):
        client.get(reverse("dossiers:list"))
