"""Word → PDF with LibreOffice headless; page helpers over pypdf. No database.

Every conversion gets its own LibreOffice profile (`-env:UserInstallation`) and its own
working directory: two soffice processes sharing a profile lock each other out (the second
exits at once, having converted nothing), so concurrent issues or downloads would fail at
random. A fresh profile costs about a second at start-up; that is the price of isolation.

Fonts: the Word files ask for Times New Roman; on a server without it fontconfig substitutes
Liberation Serif (fonts-liberation, metric-compatible, full Vietnamese coverage), so lines
break where Word breaks them. LibreOffice embeds (subsets of) every font it uses by default;
`embedded_fonts()` lists them with pdffonts so a test can check.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader, PdfWriter

from core.errors import DomainError


def soffice_binary() -> str | None:
    configured = getattr(settings, "KHENTHUONG_SOFFICE", "") or ""
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, *, timeout: float | None = None) -> bytes:
    """Convert one .docx (bytes) to PDF (bytes) with a private LibreOffice profile.

    Refused (DomainError `pdf_unavailable` / `pdf_failed`): LibreOffice missing, the
    conversion timed out (its whole process group is killed) or produced nothing.
    """
    binary = soffice_binary()
    if not binary:
        raise DomainError(
            "pdf_unavailable",
            _("Bản PDF: máy chủ chưa cài LibreOffice (soffice), không chuyển được sang PDF."),
        )
    timeout = timeout or float(getattr(settings, "KHENTHUONG_PDF_TIMEOUT", 120))
    work = Path(tempfile.mkdtemp(prefix="kh-pdf-"))
    profile = Path(tempfile.gettempdir()) / f"lo-{uuid.uuid4().hex}"
    try:
        source = work / "document.docx"
        source.write_bytes(data)
        command = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        # A new session: on timeout the whole group (oosplash and soffice.bin) is killed,
        # not only the launcher, which would leave soffice.bin holding the profile.
        process = subprocess.Popen(  # noqa: S603 -- fixed argv, no shell
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "HOME": str(work)},
        )
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise DomainError(
                "pdf_failed",
                _("Bản PDF: LibreOffice không chuyển xong trong %(s)s giây.") % {"s": int(timeout)},
            ) from None
        target = work / "document.pdf"
        if process.returncode != 0 or not target.exists():
            raise DomainError(
                "pdf_failed",
                _("Bản PDF: LibreOffice không chuyển được tài liệu (%(err)s).")
                % {"err": (err or b"").decode("utf-8", "replace").strip()[:200] or "?"},
            )
        return target.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page (pypdf), for finding where things landed."""
    return [page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages]


def first_page_with(pdf: bytes, needle: str) -> int | None:
    for index, text in enumerate(page_texts(pdf)):
        if needle in _flat(text):
            return index
    return None


def _flat(text: str) -> str:
    return " ".join(text.split())


def split_pages(pdf: bytes, start: int, stop: int | None = None) -> bytes:
    """Pages [start, stop) as a new PDF (an unsigned extract, e.g. the attached list)."""
    reader = PdfReader(BytesIO(pdf))
    writer = PdfWriter()
    for page in reader.pages[start:stop]:
        writer.add_page(page)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def embedded_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded?) for each font of the PDF, from poppler's pdffonts."""
    binary = shutil.which("pdffonts")
    if not binary:
        return []
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        result = subprocess.run(  # noqa: S603 -- fixed argv
            [binary, handle.name], capture_output=True, text=True, timeout=60, check=False
        )
    fonts = []
    for line in result.stdout.splitlines()[2:]:
        parts = line.split()
        # name type [encoding words] emb sub uni object ID: the "emb" column is 5th from end.
        if len(parts) >= 7:
            fonts.append((parts[0], parts[-5] == "yes"))
    return fonts
