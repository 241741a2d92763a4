"""Secret mode: nothing the system stores or shows can tie a choice to the member who made it.

Two checks. The schema: the choice table has no member, no time and no sequence, and
nothing points at it. The outputs: two runs that differ only in who chose what (same
totals) must give identical pages, minutes, audit rows and notices; a run with other
totals must not, which shows the comparison can fail.
"""

import re
from collections import Counter
from io import BytesIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection, models, transaction
from docx import Document

from audit.models import AuditEvent
from councils import services
from councils.demo import seed_councils
from councils.minutes import build_minutes
from councils.models import BallotReceipt, Council, Meeting, OpenVote, SecretChoice
from notifications.models import OutboxMessage
from tests import factories as f

from .conftest import chair_of, meeting_with, secretariat_of, voters

pytestmark = pytest.mark.django_db

LINKING = (models.DateField, models.DateTimeField, models.TimeField, models.AutoField)


def test_choice_table_has_no_member_no_time_and_a_random_key():
    fields = {f.name: f for f in SecretChoice._meta.get_fields()}
    assert set(fields) == {"id", "meeting", "nominee", "choice"}
    assert isinstance(SecretChoice._meta.pk, models.UUIDField)
    assert not any(isinstance(f, LINKING) for f in fields.values())
    people = {apps.get_model("councils", "CouncilMember"), apps.get_model("auth", "User")}
    people |= {apps.get_model("councils", "Attendance"), BallotReceipt, OpenVote}
    assert not any(f.related_model in people for f in fields.values())


def test_receipt_table_says_who_voted_never_what():
    names = {f.name for f in BallotReceipt._meta.get_fields()}
    assert "choice" not in names
    assert not any(f.related_model is SecretChoice for f in BallotReceipt._meta.get_fields())


def test_no_model_points_at_a_secret_choice_and_no_admin_shows_ballots():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if model is not SecretChoice:
                assert field.related_model is not SecretChoice, (model, field)
    for hidden in (SecretChoice, BallotReceipt, OpenVote):
        assert hidden not in admin.site._registry


def _docx_text(data: bytes) -> str:
    doc = Document(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _normalise(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r"\d{2}:\d{2}", "HH:MM", html)


def _outputs(client, meeting: Meeting, council) -> dict[str, str]:
    out = {}
    for member in voters(council):
        client.force_login(member.user)
        out[f"ballot:{member.pk}"] = _normalise(
            client.get(f"/hoi-dong/phien/{meeting.pk}/bo-phieu/").content.decode()
        )
        out[f"list:{member.pk}"] = _normalise(client.get("/hoi-dong/phieu/").content.decode())
    for user in (chair_of(council), secretariat_of(council)):
        client.force_login(user)
        out[f"session:{user.pk}"] = _normalise(
            client.get(f"/hoi-dong/phien/{meeting.pk}/").content.decode()
        )
    minutes = _docx_text(build_minutes(Meeting.objects.get(pk=meeting.pk)))
    out["minutes"] = re.sub(r"\d{2} giờ \d{2}", "HH giờ MM", minutes)
    out["audit"] = repr(
        sorted(
            (e.action, e.reason, repr(e.data), e.actor_id)
            for e in AuditEvent.objects.filter(object_id=str(meeting.pk))
        )
    )
    out["notices"] = repr(sorted((m.recipient_id, m.template) for m in OutboxMessage.objects.all()))
    return out


def _run(client, meeting, council, first, second, first_choices) -> dict[str, str]:
    """Cast, close and read every output inside a savepoint, then undo it all."""
    members = voters(council)
    with transaction.atomic():
        for member, choice in zip(members, first_choices, strict=True):
            services.cast_ballot(meeting.pk, by=member.user, nominee_id=first.pk, choice=choice)
            services.cast_ballot(meeting.pk, by=member.user, nominee_id=second.pk, choice="agree")
        services.close_meeting(meeting.pk, by=chair_of(council), note="Kết luận")
        out = _outputs(client, meeting, council)
        transaction.set_rollback(True)
    return out


def test_swapping_who_chose_what_changes_no_output(client, demo, councils):
    council = councils["hop-thanh"]
    dossier = f.make_dossier_at_council(demo["th-hop-thanh"], level="intermediate", nominees=2)
    meeting = meeting_with(council, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(council))
    first, second = dossier.active_nominees()

    a = _run(
        client, meeting, council, first, second, ["agree", "disagree", "agree", "agree", "agree"]
    )
    b = _run(
        client, meeting, council, first, second, ["disagree", "agree", "agree", "agree", "agree"]
    )
    other_totals = _run(
        client, meeting, council, first, second, ["disagree", "disagree", "agree", "agree", "agree"]
    )

    assert a.keys() == b.keys()
    for key in a:
        assert a[key] == b[key], f"{key} reveals who chose what"
    assert a["minutes"] != other_totals["minutes"]  # the outputs do carry the totals


def _xmins(cursor, table: str, meeting_id: int) -> set[str]:
    cursor.execute(f"SELECT xmin::text FROM {table} WHERE meeting_id = %s", [meeting_id])  # noqa: S608
    return {row[0] for row in cursor.fetchall()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_closing_rewrites_secret_choices_so_raw_database_access_cannot_pair_them(demo):
    """Each ballot commits its receipt and its choice together, so while voting is open the
    two rows carry neighbouring PostgreSQL transaction ids. Closing rewrites the choices:
    afterwards no choice shares anything with a receipt, and the counts are the same."""
    seed_councils()
    council = Council.objects.get(organisation__code="hop-thanh")
    dossier = f.make_dossier_at_council(demo["th-hop-thanh"], level="intermediate", nominees=1)
    meeting = meeting_with(council, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(council))
    (nominee,) = dossier.active_nominees()
    choices = ["agree", "disagree", "agree", "agree", "agree"]
    for member, choice in zip(voters(council), choices, strict=True):
        services.cast_ballot(meeting.pk, by=member.user, nominee_id=nominee.pk, choice=choice)

    def counts():
        return Counter(
            SecretChoice.objects.filter(meeting=meeting).values_list("choice", flat=True)
        )

    before = counts()
    with connection.cursor() as cursor:
        receipts = _xmins(cursor, "councils_ballotreceipt", meeting.pk)
        # The threat: one transaction id per ballot, in the order the members voted, next
        # to the id of that member's receipt.
        assert len(_xmins(cursor, "councils_secretchoice", meeting.pk)) == len(choices)
        services.close_meeting(meeting.pk, by=chair_of(council), note="Kết luận")
        after = _xmins(cursor, "councils_secretchoice", meeting.pk)
    assert not after & receipts
    assert len(after) == 1  # all written by the closing transaction
    assert counts() == before == Counter({"agree": 4, "disagree": 1})
