"""Hardening found by the security probe (issue 15): each test shows what a user or an
attacker would notice, and fails with its protection switched off."""

import io
import os
import re
import stat
import struct
import time
import zipfile
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command
from django.db import connection
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from config.middleware import LAST_SEEN_SESSION_KEY
from core.errors import DomainError
from councils import services as council_services
from councils.demo import seed_councils
from councils.models import Council
from decisions.models import RegisteredNumber
from demo.models import DemoAccount
from dossiers.models import Document, Dossier
from dossiers.services import attach_document
from notifications.models import MessageTemplate, OutboxMessage
from notifications.rendering import render_parts
from office.spreadsheets import table_xlsx
from organisations.demo import DEMO_PASSWORD
from tests import factories as f
from tests.councils.conftest import WHEN

ROOT = Path(__file__).resolve().parent.parent.parent
PROPOSER = "th-hop-thanh.thiduakhenthuong"
SECRETARIAT = "lang-son.vanphong"
MiB = 1 << 20
GiB = 1 << 30


def log_in(client, username, password, *, path="/dang-nhap/", ip="10.0.0.1"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- 1. Log-in throttling (django-axes) ---------------------------------------------------


def test_eleven_wrong_passwords_lock_the_account_even_against_the_right_one(client, demo):
    for _ in range(11):
        assert log_in(client, PROPOSER, "sai-mat-khau").status_code in (200, 429)
    response = log_in(client, PROPOSER, DEMO_PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    text = response.content.decode()
    assert "Đăng nhập tạm khóa" in text
    assert "thử lại sau 15 phút" in text
    # ...from another machine too: the lock is on the account, not only on the IP.
    other = Client()
    assert log_in(other, PROPOSER, DEMO_PASSWORD, ip="10.9.9.9").status_code == 429
    assert not signed_in(other)


def test_the_lock_spares_other_accounts_and_ends_after_the_cool_off(client, demo):
    for _ in range(11):
        log_in(client, PROPOSER, "sai-mat-khau")
    colleague = Client()
    assert log_in(colleague, SECRETARIAT, DEMO_PASSWORD, ip="10.0.0.2").status_code == 302
    assert signed_in(colleague)

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, PROPOSER, DEMO_PASSWORD).status_code == 302
    assert signed_in(client)


def test_one_machine_trying_many_accounts_is_locked_out(client, demo):
    users = list(get_user_model().objects.order_by("username")[:11])
    for user in users:
        log_in(client, user.username, "sai-mat-khau", ip="10.6.6.6")
    response = log_in(client, SECRETARIAT, DEMO_PASSWORD, ip="10.6.6.6")
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_admin_log_in_page_is_throttled_too(client, demo):
    for _ in range(11):
        log_in(client, "lang-son.quantri", "sai-mat-khau", path="/quan-tri/login/")
    response = log_in(client, "lang-son.quantri", DEMO_PASSWORD, path="/quan-tri/login/")
    assert response.status_code == 429
    assert "thử lại sau 15 phút" in response.content.decode()
    assert not signed_in(client)


# --- 2. Headers and sessions ----------------------------------------------------------------


def test_pages_carry_a_content_security_policy_without_inline_code(client, demo):
    for response in (client.get("/dang-nhap/"), as_user(client, PROPOSER).get("/")):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE
)


def test_no_template_holds_inline_script_or_style():
    """`default-src 'self'` would silently break any; the policy stays strict without nonces."""
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        if not path.is_relative_to(ROOT / "templates" / "notifications")  # e-mails, not pages
        for match in INLINE.finditer(path.read_text())
    ]
    assert offenders == []


def as_user(client, username):
    client.force_login(f.user(username))
    return client


def test_signed_in_pages_and_downloads_are_never_stored(client, demo):
    draft = f.make_draft(demo["th-hop-thanh"])
    document = Document.objects.filter(dossier=draft).first()
    as_user(client, PROPOSER)
    for url in ("/", f"/ho-so/{draft.pk}/", f"/ho-so/tai-lieu/{document.pk}/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control, url
        assert "private" in cache_control, url


def test_a_session_idle_for_longer_than_the_timeout_is_logged_out(client, demo, settings):
    assert settings.SESSION_IDLE_TIMEOUT == 8 * 3600
    as_user(client, PROPOSER)
    assert client.get("/").status_code == 200

    session = client.session
    session[LAST_SEEN_SESSION_KEY] = int(time.time()) - 8 * 3600 + 120  # 7 h 58 min ago
    session.save()
    assert client.get("/").status_code == 200

    session = client.session
    session[LAST_SEEN_SESSION_KEY] = int(time.time()) - 8 * 3600 - 1
    session.save()
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0].startswith("/dang-nhap/")
    assert "không thao tác trong 8 giờ" in response.content.decode()
    assert not signed_in(client)


def test_sessions_expire_within_a_working_day_and_rotate_at_log_in(client, demo):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    planted = SessionStore()
    planted["planted"] = True
    planted.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    log_in(client, PROPOSER, DEMO_PASSWORD)
    assert signed_in(client)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != planted.session_key
    assert "_auth_user_id" not in SessionStore(session_key=planted.session_key).load()


def test_sqlite_writers_wait_for_the_lock_instead_of_failing():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["timeout"] >= 20
    assert options["transaction_mode"] == "IMMEDIATE"


# --- 3. Uploads -----------------------------------------------------------------------------


def _zip64(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP whose entries are written by hand: (name, deflated data, CRC, declared size)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, size in members:
        offset = out.tell()
        raw = name.encode()
        extra = struct.pack("<HHQQ", 1, 16, size, len(data))
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                45,
                0,
                8,
                0,
                0x21,
                crc,
                0xFFFFFFFF,  # sizes in the ZIP64 extra field
                0xFFFFFFFF,
                len(raw),
                len(extra),
            )
            + raw
            + extra
            + data
        )
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                45,
                45,
                0,
                8,
                0,
                0x21,
                crc,
                0xFFFFFFFF,
                0xFFFFFFFF,
                len(raw),
                len(extra),
                0,
                0,
                0,
                0,
                offset,
            )
            + raw
            + extra
        )
    start = out.tell()
    out.write(central.getvalue())
    count = len(members)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, central.tell(), start, 0))
    return out.getvalue()


def _deflated(data: bytes) -> tuple[bytes, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data)


def zip_bomb() -> bytes:
    """A .docx whose document.xml inflates to 8 GiB of zeros from about 8 MB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    # After a full flush the deflater starts afresh, so each MiB of zeros deflates alike.
    segment = packer.compress(bytes(MiB)) + packer.flush(zlib.Z_FULL_FLUSH)
    bomb = segment * (8 * GiB // MiB) + packer.flush(zlib.Z_FINISH)
    zeros_crc = 0x41D912FF  # zlib.crc32 of 8 GiB of zero bytes
    types, types_crc = _deflated(b"<Types/>")
    return _zip64(
        [
            ("[Content_Types].xml", types, types_crc, 8),
            ("word/document.xml", bomb, zeros_crc, 8 * GiB),
        ]
    )


@pytest.fixture
def draft(demo):
    return f.make_draft(demo["th-hop-thanh"], documents=False)


def refused(draft, data: bytes, name: str) -> str:
    rows = Document.objects.count()
    with pytest.raises(DomainError) as error:
        attach_document(
            draft.pk,
            by=f.user(PROPOSER),
            category="other",
            name=name,
            size=len(data),
            chunks=[data],
        )
    assert error.value.field == "file"
    assert Document.objects.count() == rows
    return error.value.in_languages()["vi"]


def test_a_zip_bomb_docx_is_refused_in_under_a_second(draft, settings):
    bomb = zip_bomb()
    assert len(bomb) < 9 * MiB
    started = time.perf_counter()
    message = refused(draft, bomb, "bao-cao.docx")
    assert time.perf_counter() - started < 1.0
    assert "giải nén chiếm 8,192 MB" in message
    assert "bom nén" in message


def test_a_docx_of_too_many_parts_is_refused(draft):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for index in range(250):
            archive.writestr(f"word/media/anh{index}.png", b"")
    assert "252 thành phần, quá giới hạn 200" in refused(draft, buffer.getvalue(), "bc.docx")


def pdf(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    "body",
    [
        b"1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj",
        b"1 0 obj << /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >> endobj",
        b"1 0 obj << /OpenAction << /S /Launch /F (cmd.exe) >> >> endobj",
    ],
    ids=["javascript", "hex-escaped", "launch"],
)
def test_a_pdf_with_an_action_that_runs_code_is_refused(draft, body):
    assert "mã lệnh tự chạy" in refused(draft, pdf(body), "to-trinh.pdf")


def test_a_pdf_hiding_javascript_in_a_compressed_object_stream_is_refused(draft):
    hidden = zlib.compress(b"2 0 << /S /JavaScript /JS (app.alert(1)) >>")
    body = (
        b"1 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(hidden)
        + hidden
        + b"\nendstream\nendobj"
    )
    assert "mã lệnh tự chạy" in refused(draft, pdf(body), "to-trinh.pdf")


def test_a_pdf_carrying_svg_with_an_event_handler_is_refused(draft):
    body = b'1 0 obj << /EF (<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>) >> endobj'
    assert "HTML/SVG" in refused(draft, pdf(body), "to-trinh.pdf")


def png_with(kind: bytes, body: bytes) -> bytes:
    chunk = struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return f.PNG[:8] + chunk + f.PNG[8:]


def jpeg_with_comment(comment: bytes) -> bytes:
    jfif = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", len(jfif) + 2)
        + jfif
        + b"\xff\xfe"
        + struct.pack(">H", len(comment) + 2)
        + comment
        + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"
        + b"\x12\x34\x56\x78"
        + b"\xff\xd9"
    )


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (png_with(b"tEXt", b"Comment\x00<script>alert(1)</script>"), "anh.png"),
        (
            png_with(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"<svg onload=alert(1)>")),
            "anh.png",
        ),
        (jpeg_with_comment(b"<html><body onload=alert(1)>"), "anh.jpg"),
    ],
    ids=["png-text", "png-compressed-text", "jpeg-comment"],
)
def test_an_image_carrying_markup_in_its_metadata_is_refused(draft, data, name):
    assert "phần thông tin ảnh" in refused(draft, data, name)


def test_an_image_with_markup_after_its_data_is_refused(draft):
    assert "dữ liệu lạ" in refused(draft, f.PNG + b"<script>alert(1)</script>", "anh.png")


def test_ordinary_files_still_pass_and_are_stored_for_the_server_only(draft):
    proposer = f.user(PROPOSER)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", "<w:document>" + "Khen thưởng " * 5000 + "</w:document>"
        )
    compressed, _crc = _deflated(b"BT /F1 12 Tf (Danh sach khen thuong) Tj ET")
    files = [
        (f.PDF, "to-trinh.pdf"),
        (
            pdf(
                b"1 0 obj << /Length %d /Filter /FlateDecode >>\nstream\n" % len(compressed)
                + compressed
                + b"\nendstream\nendobj"
            ),
            "scan.pdf",
        ),
        (f.PNG, "anh.png"),
        (png_with(b"tEXt", b"Software\x00khenthuong"), "anh2.png"),
        (jpeg_with_comment(b"Anh chup ngay 12/04/2027"), "anh.jpg"),
        (buffer.getvalue(), "bao-cao.docx"),
    ]
    for data, name in files:
        document = f.upload(draft, proposer, "other", data=data, name=name)
        path = Path(settings.PRIVATE_STORAGE_ROOT) / document.stored_name[:2] / document.stored_name
        assert path.read_bytes() == data
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, name
        assert stat.S_IMODE(os.stat(path.parent).st_mode) & 0o077 == 0, name


# --- 4. Spreadsheet exports -----------------------------------------------------------------


def test_text_that_looks_like_a_formula_is_written_as_text():
    values = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\t=1+1", "\r=1", "Nguyễn Văn An", 7]
    data = table_xlsx("Danh sách", ["Cột"] * len(values), [values])
    sheet = load_workbook(io.BytesIO(data)).active
    cells = sheet[3]
    assert [c.value for c in cells] == values  # as typed, never computed
    for cell in cells[:6]:
        assert cell.data_type == "s", cell.value
        assert cell.quotePrefix, cell.value
    assert not cells[6].quotePrefix  # ordinary text is left alone
    assert cells[7].data_type == "n"  # numbers stay numbers


# --- 5. HTTP 500s found by the probe --------------------------------------------------------


@pytest.fixture
def meeting(demo):
    seed_councils()
    council = Council.objects.get(organisation__code="lang-son")
    return council_services.create_meeting(
        council.pk, by=f.user(SECRETARIAT), title="Xét khen thưởng", scheduled_for=WHEN, place=""
    )


@pytest.mark.parametrize(
    "data",
    [
        {"action": "add", "dossier": "abc"},
        {"action": "add", "dossier": "9" * 30},
        {"action": "add", "dossier": "999999"},
        {"action": "add"},
        {"action": "remove", "item": "x"},
        {"action": "remove", "item": "123456"},
    ],
    ids=["letters", "huge", "missing-dossier", "empty", "bad-item", "missing-item"],
)
def test_a_malformed_agenda_choice_is_a_message_not_a_500(client, meeting, data):
    as_user(client, SECRETARIAT)
    response = client.post(f"/hoi-dong/phien/{meeting.pk}/chuong-trinh/", data, follow=True)
    assert response.status_code == 200
    assert "Tải lại trang" in response.content.decode()
    assert meeting.items.count() == 0


def test_an_impossible_received_on_date_is_a_message_not_a_500(client, demo):
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"]))
    before = Dossier.objects.values("status", "current_stage_id").get(pk=dossier.pk)
    client.force_login(f.stage_secretariat(dossier))
    response = client.post(
        f"/ho-so/{dossier.pk}/thao-tac/accept_complete/", {"received_on": "2026-13-45"}, follow=True
    )
    assert response.status_code == 200
    assert "Ngày nhận đủ hồ sơ" in response.content.decode()
    assert Dossier.objects.values("status", "current_stage_id").get(pk=dossier.pk) == before


@pytest.mark.parametrize("number", ["4294967296", "99999999999999999999", "1000000"])
def test_an_over_large_register_number_is_a_form_error_not_a_500(client, demo, number):
    as_user(client, SECRETARIAT)
    external = client.post(
        "/quyet-dinh/so-quyet-dinh/",
        {
            "action": "external",
            "ext-issuer": demo["lang-son"].pk,
            "ext-number": number,
            "ext-issued_on": "2026-12-31",
        },
    )
    void = client.post(
        "/quyet-dinh/so-quyet-dinh/",
        {
            "action": "void",
            "void-issuer": demo["lang-son"].pk,
            "void-year": 2026,
            "void-number": number,
            "void-reason": "Viết nhầm",
            "void-confirm": "on",
        },
    )
    for response in (external, void):
        assert response.status_code == 200
        assert "999999" in response.content.decode()
    assert not RegisteredNumber.objects.exists()


def test_the_admin_dossier_page_opens_for_a_dossier_with_documents(client, demo):
    dossier = f.make_draft(demo["th-hop-thanh"])
    assert dossier.documents.exists()
    operator = get_user_model().objects.create_superuser("nen-tang.vanhanh", password="x" * 20)
    client.force_login(operator)
    response = client.get(f"/quan-tri/dossiers/dossier/{dossier.pk}/change/")
    assert response.status_code == 200
    assert dossier.reference in response.content.decode()


# --- 6. seed_demo and the published demo password -------------------------------------------


def test_seed_demo_refuses_to_run_with_debug_off(db):
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", "--quiet")
    assert "DEBUG đang tắt" in str(error.value)
    assert "--force" in str(error.value)
    assert not get_user_model().objects.exists()


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--quiet", "--force")


@pytest.mark.parametrize("door", ["/dang-nhap/", "/quan-tri/login/"])
def test_a_demo_account_must_change_the_published_password_first(client, seeded, door):
    username = "lang-son.quantri"
    assert DemoAccount.objects.filter(user__username=username).exists()
    assert log_in(client, username, DEMO_PASSWORD, path=door).status_code == 302
    for url in ("/", "/ho-so/", "/quan-tri/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/doi-mat-khau/", url
    page = client.get("/doi-mat-khau/", follow=True)
    assert "mật khẩu mẫu công khai" in page.content.decode()

    new = "Lang-Son-mat-khau-moi-2027"
    response = client.post(
        "/doi-mat-khau/",
        {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200

    client.post("/dang-xuat/")
    assert log_in(client, username, new).status_code == 302
    assert client.get("/").status_code == 200


def test_force_login_and_unseeded_accounts_are_not_held(client, seeded, demo):
    client.force_login(f.user(PROPOSER))  # how the test suite signs in
    assert client.get("/").status_code == 200
    DemoAccount.objects.all().delete()  # an account the fixtures made, not seed_demo
    other = Client()
    log_in(other, SECRETARIAT, DEMO_PASSWORD)
    assert other.get("/").status_code == 200


# --- 7. Notice templates see plain values only ----------------------------------------------


def notice_for(username: str) -> OutboxMessage:
    return OutboxMessage.objects.create(
        recipient=f.user(username),
        template="dossier_status_changed",
        context={"reference": "HS-1", "title": "T", "url": "/ho-so/1/"},
        dedupe_key="x",
    )


def test_an_edited_notice_template_cannot_reach_the_recipients_password(demo):
    message = notice_for(PROPOSER)
    MessageTemplate.objects.create(
        slug="dossier_status_changed",
        language="vi",
        subject="{{ reference }}",
        body_text=(
            "[{{ message.recipient.password }}][{{ message.recipient.email }}]"
            "[{{ message.recipient.memberships.all }}][{{ message.context }}]"
            "[{{ message.recipient.name }}][{{ title }}]"
        ),
        body_html="<p>{{ message.recipient.password }}</p>",
    )
    parts = render_parts(message.template, {"message": message, **message.context})
    password = message.recipient.password
    assert password not in parts.text
    assert password not in parts.html
    assert parts.text.startswith("[][][][]")
    assert f"[{message.recipient.get_full_name()}][T]" in parts.text


@pytest.mark.parametrize(
    ("body", "error"),
    [("{% debug %}", TemplateSyntaxError), ('{% include "base.html" %}', TemplateDoesNotExist)],
)
def test_an_edited_notice_template_can_neither_dump_nor_include(demo, body, error):
    message = notice_for(PROPOSER)
    MessageTemplate.objects.create(
        slug="dossier_status_changed", language="vi", subject="S", body_text=body
    )
    with pytest.raises(error):
        render_parts(message.template, {"message": message, **message.context})
