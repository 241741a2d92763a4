"""Secret mode: nothing the system stores or shows can tie a choice to the member who made it.

Checks. The schema: the choice tables have no member, no time and no sequence, and nothing
points at them. The outputs: two runs that differ only in who chose what (same totals) must
give identical pages, minutes, audit rows and notices; a run with other totals must not,
which shows the comparison can fail. The database itself (issue 15): while voting is open it
holds only sealed ballots, whose private key is stored only wrapped under a key kept outside
it; the close destroys that key and writes the plain choices in random order in one new
transaction, so even raw heap pages (pageinspect, PostgreSQL) pair no receipt with a choice.
"""

import math
import os
import re
import secrets
import subprocess
import sys
from collections import Counter
from io import BytesIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.apps import apps
from django.contrib import admin
from django.db import connection, models, transaction
from docx import Document

from audit.models import AuditEvent
from core.errors import DomainError
from councils import sealing, services
from councils.demo import seed_councils
from councils.minutes import build_minutes
from councils.models import (
    Attendance,
    BallotReceipt,
    Council,
    Meeting,
    MeetingStatus,
    NomineeResult,
    OpenVote,
    Recusal,
    SealedBallot,
    SecretChoice,
)
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


def test_sealed_ballot_table_has_no_member_no_time_and_a_random_key():
    fields = {f.name: f for f in SealedBallot._meta.get_fields()}
    assert set(fields) == {"id", "meeting", "nominee", "sealed"}
    assert isinstance(SealedBallot._meta.pk, models.UUIDField)
    assert not any(isinstance(f, LINKING) for f in fields.values())
    people = {apps.get_model("councils", "CouncilMember"), apps.get_model("auth", "User")}
    people |= {apps.get_model("councils", "Attendance"), BallotReceipt, OpenVote, SecretChoice}
    assert not any(f.related_model in people for f in fields.values())


def test_receipt_table_says_who_voted_never_what():
    names = {f.name for f in BallotReceipt._meta.get_fields()}
    assert "choice" not in names
    assert not any(f.related_model is SecretChoice for f in BallotReceipt._meta.get_fields())


def test_no_model_points_at_a_secret_choice_and_no_admin_shows_ballots():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if model not in (SecretChoice, SealedBallot):
                assert field.related_model not in (SecretChoice, SealedBallot), (model, field)
    for hidden in (SecretChoice, SealedBallot, BallotReceipt, OpenVote):
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
    """Each ballot commits its receipt and its sealed choice together, so while voting is
    open the two rows carry neighbouring PostgreSQL transaction ids; no plain choice exists
    yet. Closing
    writes the plain choices in one new transaction: afterwards no choice shares anything
    with a receipt, the sealed rows are gone, and the counts are the ones cast."""
    seed_councils()
    council = Council.objects.get(organisation__code="hop-thanh")
    dossier = f.make_dossier_at_council(demo["th-hop-thanh"], level="intermediate", nominees=1)
    meeting = meeting_with(council, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(council))
    (nominee,) = dossier.active_nominees()
    choices = ["agree", "disagree", "agree", "agree", "agree"]
    for member, choice in zip(voters(council), choices, strict=True):
        services.cast_ballot(meeting.pk, by=member.user, nominee_id=nominee.pk, choice=choice)

    with connection.cursor() as cursor:
        receipts = _xmins(cursor, "councils_ballotreceipt", meeting.pk)
        assert len(receipts) == len(choices)  # one transaction per ballot
        # The pairing the probe found still exists (the receipt is inserted in a savepoint,
        # so its xid is the ballot's own or the next one), but only with an opaque blob...
        sealed = _xmins(cursor, "councils_sealedballot", meeting.pk)
        assert len(sealed) == len(choices)
        assert all(any(abs(int(r) - int(x)) <= 1 for x in sealed) for r in receipts)
        # ...and no plain choice is in the database while voting is open.
        assert _xmins(cursor, "councils_secretchoice", meeting.pk) == set()
        services.close_meeting(meeting.pk, by=chair_of(council), note="Kết luận")
        after = _xmins(cursor, "councils_secretchoice", meeting.pk)
        assert _xmins(cursor, "councils_sealedballot", meeting.pk) == set()
    assert not after & receipts
    assert len(after) == 1  # all written by the closing transaction
    counted = Counter(SecretChoice.objects.filter(meeting=meeting).values_list("choice", flat=True))
    assert counted == Counter({"agree": 4, "disagree": 1})


# -- Sealed ballots (issue 15): the database alone never links a member to a choice. ------


def _cast(meeting, council, nominee, choices) -> dict[int, str]:
    """Each voting member casts the given choice; returns member id -> choice (the truth)."""
    truth = {}
    for member, choice in zip(voters(council), choices, strict=True):
        assert services.cast_ballot(
            meeting.pk, by=member.user, nominee_id=nominee.pk, choice=choice
        )
        truth[member.pk] = choice
    return truth


def _keys(meeting: Meeting) -> sealing.MeetingKeys:
    meeting = Meeting.objects.get(pk=meeting.pk)
    return sealing.MeetingKeys(bytes(meeting.ballot_public_key), bytes(meeting.ballot_private_key))


def _raw_private_key(meeting: Meeting) -> bytes:
    """What the application holds in memory, with the key-encryption key, at the count."""
    private = sealing._private_key(_keys(meeting), meeting.pk)
    return private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def _dump() -> str:
    """Every row of every table of the application, binary columns in hex: what a reader
    of the whole database sees (the raw heap, old row versions included, is PostgreSQL's
    test below)."""
    lines = []
    for model in apps.get_models(include_auto_created=True):
        for row in model.objects.values_list():
            cells = [bytes(v).hex() if isinstance(v, bytes | memoryview) else str(v) for v in row]
            lines.append(f"INSERT INTO {model._meta.db_table!r}: {cells}")
    return "\n".join(lines)


@pytest.fixture
def open_session(councils, demo):
    council = councils["hop-thanh"]
    dossier = f.make_dossier_at_council(demo["th-hop-thanh"], level="intermediate", nominees=2)
    meeting = meeting_with(council, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(council))
    first, second = dossier.active_nominees()
    return council, meeting, first, second


def test_while_voting_is_open_the_database_holds_no_plain_choice_and_no_private_key(
    open_session,
):
    council, meeting, first, _ = open_session
    _cast(meeting, council, first, ["agree", "disagree", "agree", "disagree", "agree"])

    assert not SecretChoice.objects.exists()
    sealed = [bytes(b) for b in SealedBallot.objects.values_list("sealed", flat=True)]
    assert len(sealed) == 5
    # One size for every blob: "agree" (5 letters) and "disagree" (8) cannot be told apart.
    assert {len(b) for b in sealed} == {sealing.SEALED_BYTES}
    assert len(set(sealed)) == 5  # fresh randomness: two equal choices never look alike
    assert not any(b"agree" in b for b in sealed)
    dump = _dump()
    assert "INSERT INTO 'councils_ballotreceipt'" in dump  # the dump does read the tables...
    assert "INSERT INTO 'councils_secretchoice'" not in dump  # ...and no plain choice is there
    raw = _raw_private_key(meeting)
    assert raw.hex().upper() not in dump.upper()  # the private key is stored only wrapped
    assert _keys(meeting).wrapped_private_key.hex().upper() in dump.upper()  # (the scan reads)


def test_closing_destroys_the_private_key_so_saved_copies_of_sealed_ballots_never_open(
    open_session, settings
):
    council, meeting, first, second = open_session
    _cast(meeting, council, first, ["agree", "disagree", "agree", "agree", "agree"])
    _cast(meeting, council, second, ["disagree"] * 5)
    # What a backup, or an old row version left in the heap, keeps of the voting period.
    copied = list(SealedBallot.objects.values_list("nominee_id", "sealed"))
    before = _keys(meeting)
    assert len(sealing.open_choices(before, meeting_id=meeting.pk, sealed=copied)) == 10

    services.close_meeting(meeting.pk, by=chair_of(council), note="Kết luận")

    closed = Meeting.objects.get(pk=meeting.pk)
    assert bytes(closed.ballot_private_key) == b""
    assert not SealedBallot.objects.exists()
    with pytest.raises(DomainError) as refused:
        sealing.open_choices(_keys(meeting), meeting_id=meeting.pk, sealed=copied)
    assert refused.value.code == "ballot_key_unavailable"
    # An old copy of the wrapped key opens only with the key-encryption key, kept outside
    # the database: the database's reader, with another key, gets nothing.
    settings.BALLOT_KEY_ENCRYPTION_KEY = sealing.new_kek()
    with pytest.raises(DomainError):
        sealing.open_choices(before, meeting_id=meeting.pk, sealed=copied)
    # The count is what was cast, and the minutes' numbers come from it.
    results = {r.nominee_id: (r.agree, r.disagree) for r in NomineeResult.objects.all()}
    assert results == {first.pk: (4, 1), second.pk: (0, 5)}
    assert Counter(SecretChoice.objects.values_list("nominee_id", "choice")) == Counter(
        {(first.pk, "agree"): 4, (first.pk, "disagree"): 1, (second.pk, "disagree"): 5}
    )


def _state(meeting: Meeting) -> tuple:
    row = Meeting.objects.values().get(pk=meeting.pk)
    counts = [
        m.objects.count()
        for m in (
            Attendance,
            Recusal,
            BallotReceipt,
            SealedBallot,
            SecretChoice,
            NomineeResult,
            AuditEvent,
            OutboxMessage,
        )
    ]
    return row, counts


def test_secret_voting_fails_cleanly_without_the_key_encryption_key(
    client, councils, demo, settings
):
    council = councils["hop-thanh"]
    dossier = f.make_dossier_at_council(demo["th-hop-thanh"], level="intermediate", nominees=1)
    (nominee,) = dossier.active_nominees()
    meeting = meeting_with(council, [dossier])
    member = voters(council)[0]
    kek = settings.BALLOT_KEY_ENCRYPTION_KEY

    # Opening: no key pair can be made, so the meeting stays in preparation.
    settings.BALLOT_KEY_ENCRYPTION_KEY = ""
    before = _state(meeting)
    with pytest.raises(DomainError) as refused:
        services.open_meeting(meeting.pk, by=chair_of(council))
    assert refused.value.code == "ballot_key_unavailable"
    assert "BALLOT_KEY_ENCRYPTION_KEY" in str(refused.value)
    assert _state(meeting) == before

    settings.BALLOT_KEY_ENCRYPTION_KEY = kek
    services.open_meeting(meeting.pk, by=chair_of(council))

    # Casting: a ballot the count could never open is not taken, by service or by page.
    for missing in ("", sealing.new_kek(), "not base64!"):
        settings.BALLOT_KEY_ENCRYPTION_KEY = missing
        before = _state(meeting)
        with pytest.raises(DomainError) as refused:
            services.cast_ballot(meeting.pk, by=member.user, nominee_id=nominee.pk, choice="agree")
        assert refused.value.code == "ballot_key_unavailable"
        assert _state(meeting) == before
    client.force_login(member.user)
    page = client.post(
        f"/hoi-dong/phien/{meeting.pk}/bo-phieu/",
        {f"nominee-{nominee.pk}": "agree", "confirm": "on"},
        follow=True,
    )
    assert page.status_code == 200
    assert "BALLOT_KEY_ENCRYPTION_KEY" in page.content.decode()
    assert _state(meeting) == before

    # A rotation that keeps the old key after the new one still takes and counts ballots.
    settings.BALLOT_KEY_ENCRYPTION_KEY = f"{sealing.new_kek()},{kek}"
    assert services.cast_ballot(meeting.pk, by=member.user, nominee_id=nominee.pk, choice="agree")

    # Closing: the sealed ballots cannot be opened, so nothing is closed or counted.
    settings.BALLOT_KEY_ENCRYPTION_KEY = ""
    before = _state(meeting)
    with pytest.raises(DomainError) as refused:
        services.close_meeting(meeting.pk, by=chair_of(council))
    assert refused.value.code == "ballot_key_unavailable"
    assert _state(meeting) == before
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.OPEN

    settings.BALLOT_KEY_ENCRYPTION_KEY = kek
    services.close_meeting(meeting.pk, by=chair_of(council))
    assert NomineeResult.objects.get(nominee=nominee).agree == 1


def test_a_sealed_ballot_moved_to_another_nominee_stops_the_count_and_changes_nothing(
    open_session,
):
    council, meeting, first, second = open_session
    _cast(meeting, council, first, ["disagree"] * 5)
    _cast(meeting, council, second, ["agree"] * 5)
    # Someone with write access swaps two ballots between nominees: the totals would move.
    one = SealedBallot.objects.filter(nominee=first).first()
    other = SealedBallot.objects.filter(nominee=second).first()
    SealedBallot.objects.filter(pk=one.pk).update(nominee=second)
    SealedBallot.objects.filter(pk=other.pk).update(nominee=first)
    before = _state(meeting)
    with pytest.raises(DomainError) as refused:
        services.close_meeting(meeting.pk, by=chair_of(council))
    assert refused.value.code == "ballot_unreadable"
    assert _state(meeting) == before


ROOT = Path(__file__).resolve().parents[2]


def _production_check(**extra: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"BALLOT_KEY_ENCRYPTION_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_key_encryption_key():
    missing = _production_check()
    assert missing.returncode != 0
    assert "BALLOT_KEY_ENCRYPTION_KEY" in missing.stderr
    malformed = _production_check(BALLOT_KEY_ENCRYPTION_KEY="c2hvcnQ=")  # 5 bytes
    assert malformed.returncode != 0
    assert "BALLOT_KEY_ENCRYPTION_KEY" in malformed.stderr
    configured = _production_check(BALLOT_KEY_ENCRYPTION_KEY=sealing.new_kek())
    assert configured.returncode == 0, configured.stderr


# -- Raw heap pages (PostgreSQL, pageinspect): what a superuser reading the files sees. ------

RECEIPTS, SEALED, CHOICES = (
    "councils_ballotreceipt",
    "councils_sealedballot",
    "councils_secretchoice",
)


def _heap(cursor, table: str) -> list[tuple[str, str, bytes]]:
    """Every tuple version on the table's pages, live or dead: (xmin, xmax, raw data)."""
    cursor.execute(
        "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [table]
    )
    rows = []
    for page in range(cursor.fetchone()[0]):
        cursor.execute(
            "SELECT t_xmin::text, t_xmax::text, t_data "
            "FROM heap_page_items(get_raw_page(%s, %s)) WHERE t_data IS NOT NULL",
            [table, page],
        )
        rows += [(xmin, xmax, bytes(data)) for xmin, xmax, data in cursor.fetchall()]
    return rows


def _all_heap_bytes(cursor) -> bytes:
    """The raw pages of every table of the database (TOAST included)."""
    cursor.execute(
        "SELECT c.oid::regclass::text FROM pg_class c "
        "WHERE c.relkind IN ('r', 't', 'm') AND c.relpersistence = 'p'"
    )
    chunks = []
    for (table,) in cursor.fetchall():
        chunks += [data for _, _, data in _heap(cursor, table)]
    return b"".join(chunks)


def _people(round_: int, n: int) -> list[dict]:
    return [  # distinct people each meeting: one achievement is rewarded once
        {
            "kind": "individual",
            "full_name": f"Hoàng Văn Thắng {round_}-{i}",
            "identity_code": f"0310900{round_:02d}{i:03d}",
            "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm học.",
        }
        for i in range(n)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_raw_heap_pages_pair_no_receipt_with_a_choice_over_several_meetings(demo):
    """The attacker reads every page of the ballot tables with pageinspect (live and dead
    row versions), while voting is open and after each close, and pairs receipts with
    choices by transaction id or by physical order. He learns nothing beyond chance."""
    seed_councils()
    council = Council.objects.get(organisation__code="hop-thanh")
    members = voters(council)
    rng = secrets.SystemRandom()
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone()[0], "the attacker of this test is a superuser"
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        # Fresh files for the ballot tables: the heap holds this test's row versions only.
        cursor.execute(f"TRUNCATE {RECEIPTS}, {SEALED}, {CHOICES}")

    hits = trials = 0
    expected = 0.0
    for round_ in range(3):
        dossier = f.make_dossier_at_council(
            demo["th-hop-thanh"], level="intermediate", nominee_fields=_people(round_, 4)
        )
        nominees = list(dossier.active_nominees())  # before the close drops those who failed
        meeting = meeting_with(council, [dossier], title=f"Phiên {round_}")
        services.open_meeting(meeting.pk, by=chair_of(council))
        truth: dict[tuple[int, int], str] = {}
        for nominee in nominees:
            choices = [rng.choice(["agree", "disagree"]) for _ in members]
            for member, choice in _cast(meeting, council, nominee, choices).items():
                truth[(member, nominee.pk)] = choice
        raw_key = _raw_private_key(meeting)
        wrapped = _keys(meeting).wrapped_private_key

        with connection.cursor() as cursor:
            # -- voting open --
            receipt_xmins = {x for x, _, _ in _heap(cursor, RECEIPTS)}
            sealed = _heap(cursor, SEALED)
            assert not any(x in receipt_xmins for x, _, _ in _heap(cursor, CHOICES))
            # The receipt still pairs with a sealed row by xmin; the row is opaque...
            live_sealed = [d for x, xmax, d in sealed if xmax == "0"]
            assert len(live_sealed) == len(truth)
            assert len({len(d) for d in live_sealed}) == 1  # ...all of one size...
            assert not any(b"agree" in d for _, _, d in sealed)  # ...no plain text...
            everything = _all_heap_bytes(cursor)
            assert raw_key not in everything  # ...and its private key is nowhere in the clear
            assert wrapped in everything  # (only wrapped under the key outside the database)

            services.close_meeting(meeting.pk, by=chair_of(council), note="Kết luận")

            # -- after the close --
            cursor.execute("SELECT xmin::text FROM councils_meeting WHERE id = %s", [meeting.pk])
            (close_xid,) = cursor.fetchone()
            choice_xmins = {x for x, _, _ in _heap(cursor, CHOICES)}
            assert not choice_xmins & receipt_xmins  # pairing by transaction id: nothing
            # every plain choice ever written was written by a closing transaction
            assert close_xid in choice_xmins
            assert raw_key not in _all_heap_bytes(cursor)
            cursor.execute(
                "SELECT length(ballot_private_key) FROM councils_meeting WHERE id = %s",
                [meeting.pk],
            )
            assert cursor.fetchone()[0] == 0  # destroyed
            # Old sealed row versions (xmin = a ballot's) may linger until vacuum...
            assert not any(
                xmax == "0" for _, xmax, d in _heap(cursor, SEALED) if d in live_sealed
            )  # ...all deleted, and with the key gone they open for nobody.

            # Pairing by physical order: the i-th receipt of a nominee with its i-th choice.
            cursor.execute(
                f"SELECT member_id, nominee_id FROM {RECEIPTS} WHERE meeting_id = %s "  # noqa: S608
                "ORDER BY ctid",
                [meeting.pk],
            )
            receipts_in_order = cursor.fetchall()
            cursor.execute(
                f"SELECT nominee_id, choice FROM {CHOICES} WHERE meeting_id = %s "  # noqa: S608
                "ORDER BY ctid",
                [meeting.pk],
            )
            choices_in_order = cursor.fetchall()
        for nominee in nominees:
            guessed = [c for n, c in choices_in_order if n == nominee.pk]
            voted = [m for m, n in receipts_in_order if n == nominee.pk]
            assert len(guessed) == len(voted) == len(members)
            hits += sum(truth[(m, nominee.pk)] == c for m, c in zip(voted, guessed, strict=True))
            trials += len(voted)
            # Chance: a random order of this nominee's choices matches n_c of n with
            # probability n_c / n at each place.
            shares = Counter(guessed)
            expected += sum(k * k for k in shares.values()) / len(guessed)

    # Unshuffled, the order gave every choice (hits == trials); a random permutation gives
    # `expected` on average, with a spread under sqrt(trials) / 2.
    assert trials == 3 * 4 * len(members)
    assert hits <= expected + 4 * math.sqrt(trials) / 2, (hits, expected, trials)
