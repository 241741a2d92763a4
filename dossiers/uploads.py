"""Checking an uploaded file by its content, before anything is written to disk.

Only PDF, DOCX, JPEG and PNG are accepted; the name's extension must match what the bytes
are. Files that are two formats at once (polyglots: a PDF carrying a ZIP or a script, an
image with data after its end marker) are refused, because a viewer may open the other one.

Hardening (issue 15, docs/security.md):
- a ZIP container (DOCX; XLSX should it ever be accepted) is judged by its central directory
  before a single member is decompressed: at most ZIP_MAX_MEMBERS members, ZIP_MAX_UNCOMPRESSED
  bytes in all, and no member inflating more than ZIP_MAX_RATIO times (a "zip bomb" of 8 GiB in
  8 MB is refused in milliseconds). zipfile never inflates a member past its declared size,
  so the CRC pass that follows is bounded by the same cap;
- markup that a browser or a PDF viewer would run is refused: in a PDF, JavaScript or launch
  actions (/JS, /JavaScript, /Launch, also hex-escaped such as /J#53, and inside compressed
  object streams) and SVG or HTML with event handlers; in a JPEG or PNG, HTML or script in the
  metadata segments (APPn, COM; tEXt, zTXt, iTXt) or after the image data;
- stored files are readable by the server's user only (0600, folders 0700): `write_private`.
"""

import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

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

# ZIP containers: judged from the central directory, before anything is inflated.
ZIP_MAX_MEMBERS = 200
ZIP_MAX_UNCOMPRESSED = 50 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FROM = 1024 * 1024  # small members (XML parts) may compress better than 100:1

# Markup a browser or viewer would run: SVG, HTML, script, event handlers, script URLs.
MARKUP = re.compile(
    rb"<svg[\s>/]|<script|<html|<iframe|<body|<object|<embed|<\?php|javascript:|vbscript:"
    rb"|\bon(?:load|error|click|mouseover|focus|begin|activate)\s*=",
    re.IGNORECASE,
)
# PDF names that run code or other programs when the document is opened or clicked.
PDF_ACTIVE_NAMES = {b"JS", b"JavaScript", b"Launch", b"RichMedia", b"XFA"}
PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
PDF_STREAM = re.compile(rb"stream\r?\n")
PDF_IMAGE = re.compile(rb"/Subtype\s*/Image")
# Image metadata (PNG's compressed text chunks) is inflated up to this many bytes in all.
IMAGE_MAX_INFLATED = 4 * 1024 * 1024
# Inflating the PDF's compressed streams to look inside them stops at this many bytes.
PDF_MAX_INFLATED = 50 * 1024 * 1024


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
    for part in (data, *_pdf_streams(data)):
        _check_pdf_part(part)


def _pdf_name(raw: bytes) -> bytes:
    # PDF 1.2+ lets a name spell any byte as #xx: /J#61vaScript is /JavaScript.
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)


def _check_pdf_part(part: bytes) -> None:
    for match in PDF_NAME.finditer(part):
        if _pdf_name(match.group(1)) in PDF_ACTIVE_NAMES:
            raise _refuse(
                _(
                    "tệp PDF chứa mã lệnh tự chạy (JavaScript hoặc lệnh mở chương trình); hãy "
                    "in lại ra PDF không có mã lệnh."
                )
            )
    if MARKUP.search(part):
        raise _refuse(_("tệp PDF chứa mã HTML/SVG hoặc mã lệnh (script) bên trong."))


def _pdf_streams(data: bytes):
    """The inflated content of the PDF's compressed streams (object streams hide names).

    Images are skipped (pixels hold no names, and a scan inflates to hundreds of MB); the
    rest may inflate to PDF_MAX_INFLATED in all, beyond which the file is refused rather
    than left half read.
    """
    budget = PDF_MAX_INFLATED
    view = memoryview(data)
    for match in PDF_STREAM.finditer(data):
        header = data[max(0, match.start() - 1024) : match.start()]
        if PDF_IMAGE.search(header.rsplit(b" obj", 1)[-1]):
            continue
        if budget <= 0:
            raise _refuse(_("tệp PDF có nội dung nén quá lớn để kiểm tra."))
        try:
            chunk = zlib.decompressobj().decompress(view[match.end() :], budget)
        except zlib.error:
            continue  # not a Flate stream: nothing of ours to read
        budget -= len(chunk)
        yield chunk


def _check_zip_container(data: bytes, label: str) -> zipfile.ZipFile:
    """Open the archive's directory and refuse a bomb before any member is inflated."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise _refuse(_("tệp %(kind)s bị hỏng.") % {"kind": label}) from exc
    members = archive.infolist()
    if len(members) > ZIP_MAX_MEMBERS:
        raise _refuse(
            _("tệp %(kind)s có %(count)d thành phần, quá giới hạn %(limit)d.")
            % {"kind": label, "count": len(members), "limit": ZIP_MAX_MEMBERS}
        )
    total = sum(m.file_size for m in members)
    if total > ZIP_MAX_UNCOMPRESSED:
        raise _refuse(
            _(
                "tệp %(kind)s khi giải nén chiếm %(size)s MB, quá giới hạn %(limit)d MB "
                "(có thể là “bom nén”)."
            )
            % {
                "kind": label,
                "size": f"{total / 1048576:,.0f}",
                "limit": ZIP_MAX_UNCOMPRESSED // 1048576,
            }
        )
    for member in members:
        if member.file_size > ZIP_RATIO_FROM and member.file_size > ZIP_MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise _refuse(
                _("tệp %(kind)s có thành phần nén bất thường (tỉ lệ nén trên %(ratio)d lần).")
                % {"kind": label, "ratio": ZIP_MAX_RATIO}
            )
    return archive


def _check_docx(data: bytes) -> None:
    archive = _check_zip_container(data, "DOCX")
    try:
        with archive:
            names = set(archive.namelist())
            if archive.testzip() is not None:
                raise _refuse(_("tệp DOCX bị hỏng."))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise _refuse(_("tệp DOCX bị hỏng.")) from exc
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise _refuse(_("tệp không phải văn bản Word (DOCX)."))
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _refuse(_("tệp Word chứa macro; hãy lưu lại dưới dạng DOCX không có macro."))


def _check_png(data: bytes) -> None:
    if not data.endswith(b"IEND\xaeB`\x82"):
        raise _refuse(_("tệp PNG có dữ liệu lạ sau phần kết thúc ảnh."))
    _check_image_metadata(_png_metadata(data), "PNG")


def _check_jpeg(data: bytes) -> None:
    if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise _refuse(_("tệp JPG có dữ liệu lạ sau phần kết thúc ảnh."))
    _check_image_metadata(_jpeg_metadata(data), "JPG")


def _check_image_metadata(parts, label: str) -> None:
    for part in parts:
        if MARKUP.search(part):
            raise _refuse(
                _("tệp %(kind)s chứa mã HTML/SVG hoặc mã lệnh (script) trong phần thông tin ảnh.")
                % {"kind": label}
            )


def _png_metadata(data: bytes):
    """Every chunk but the pixels (IDAT), header, palette and end; compressed text inflated."""
    budget = IMAGE_MAX_INFLATED
    position = 8
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind in (b"IDAT", b"PLTE", b"IHDR", b"IEND"):
            continue
        yield body
        compressed = None
        if kind == b"zTXt" and b"\x00" in body:  # keyword NUL method text
            compressed = body[body.index(b"\x00") + 2 :]
        elif kind == b"iTXt" and b"\x00" in body:  # keyword NUL flag method lang NUL tr NUL
            rest = body[body.index(b"\x00") + 1 :]
            if rest[:1] == b"\x01" and rest[2:].count(b"\x00") >= 2:
                compressed = rest[2:].split(b"\x00", 2)[2]
        if compressed is not None:
            if budget <= 0:
                raise _refuse(_("tệp PNG có phần thông tin nén quá lớn."))
            try:
                text = zlib.decompressobj().decompress(compressed, budget)
            except zlib.error:
                raise _refuse(_("tệp PNG bị hỏng.")) from None
            budget -= len(text)
            yield text


def _jpeg_metadata(data: bytes):
    """The APPn (EXIF, XMP, ICC) and COM segments before the image data starts (SOS)."""
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xDA:  # start of scan: entropy-coded pixels follow
            return
        if 0xD0 <= marker <= 0xD8 or marker == 0x01:  # markers without a length
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            yield data[position + 4 : position + 2 + length]
        position += 2 + length


def write_private(path: Path, data: bytes) -> None:
    """Write a stored upload readable by the server's user only (file 0600, folders 0700).

    Created with O_EXCL under a random name: never follows or overwrites an existing file.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)  # the umask may have narrowed it; never wider than this
