"""Checking an uploaded file by its content, before anything is written to disk.

Only PDF, DOCX, JPEG and PNG are accepted; the name's extension must match what the bytes
are. Files that are two formats at once (polyglots: a PDF carrying a ZIP or a script, an
image with data after its end marker) are refused, because a viewer may open the other one.
"""

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

EXTENSIONS = {
    "pdf": ("application/pdf", {".pdf"}),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {".docx"},
    ),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}),
    "png": ("image/png", {".png"}),
}
# Signatures that must not appear inside a PDF: another container or an executable.
FOREIGN_IN_PDF = (b"PK\x03\x04", b"PK\x05\x06", b"MZ\x90\x00", b"\x7fELF", b"<script", b"<html")


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    data: bytes


def _refuse(reason) -> DomainError:
    return DomainError(
        "invalid_file", _("Tệp đính kèm: %(reason)s") % {"reason": reason}, field="file"
    )


def detect(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    return None


def check_upload(name: str, size: int, chunks) -> CheckedFile:
    """Validate an upload; raise DomainError (field "file") saying why it was refused."""
    limit = settings.MAX_UPLOAD_BYTES
    if size > limit:
        raise _refuse(
            _("dung lượng %(size)s MB vượt quá giới hạn %(limit)s MB.")
            % {"size": round(size / 1048576, 1), "limit": limit // 1048576}
        )
    data = b"".join(chunks)
    if len(data) > limit:
        raise _refuse(_("dung lượng vượt quá giới hạn %(limit)s MB.") % {"limit": limit // 1048576})
    if not data:
        raise _refuse(_("tệp rỗng."))
    kind = detect(data)
    if kind is None:
        raise _refuse(
            _(
                "chỉ nhận PDF, DOCX, JPG, PNG; nội dung tệp “%(name)s” không thuộc các "
                "định dạng này."
            )
            % {"name": name}
        )
    content_type, extensions = EXTENSIONS[kind]
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in extensions:
        raise _refuse(
            _("phần mở rộng “%(ext)s” không khớp với nội dung tệp (%(kind)s).")
            % {"ext": ext or "—", "kind": kind.upper()}
        )
    {"pdf": _check_pdf, "docx": _check_docx, "png": _check_png, "jpeg": _check_jpeg}[kind](data)
    return CheckedFile(kind, content_type, data)


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise _refuse(_("tệp PDF không kết thúc đúng chuẩn (có dữ liệu lạ sau phần kết)."))
    lowered = data.lower()
    for signature in FOREIGN_IN_PDF:
        if signature.lower() in lowered:
            raise _refuse(_("tệp PDF chứa một định dạng khác bên trong (tệp đa định dạng)."))


def _check_docx(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if archive.testzip() is not None:
                raise _refuse(_("tệp DOCX bị hỏng."))
    except zipfile.BadZipFile as exc:
        raise _refuse(_("tệp DOCX bị hỏng.")) from exc
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise _refuse(_("tệp không phải văn bản Word (DOCX)."))
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _refuse(_("tệp Word chứa macro; hãy lưu lại dưới dạng DOCX không có macro."))


def _check_png(data: bytes) -> None:
    if not data.endswith(b"IEND\xaeB`\x82"):
        raise _refuse(_("tệp PNG có dữ liệu lạ sau phần kết thúc ảnh."))


def _check_jpeg(data: bytes) -> None:
    if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise _refuse(_("tệp JPG có dữ liệu lạ sau phần kết thúc ảnh."))
