"""Signing decisions: a Signer interface, a PKCS#12 signer (pyHanko, PAdES), the stored
certificates and the demo CA; `sign_issued_decision` turns an issued decision into its
signed PDF.

Decree 30/2020 app. I and Circular 15/2025/TT-BKHCN art. 5: offices exchange signed PDFs;
the signing software embeds the signature, the certificate and the time, and checks the
certificate before it signs. Here:
- `check_certificate` refuses a certificate not yet valid, expired, or without a key usage
  for signing (digitalSignature or nonRepudiation) before anything is signed;
- `Pkcs12Signer` signs PAdES baseline B-B (subfilter ETSI.CAdES.detached): the certificate
  (and its chain) in the CMS, the signing time in the signature dictionary (/M); no
  timestamp authority is configured, so the time is the server's claim (B-T needs a TSA:
  docs/signing.md);
- the visible block sits in the signature block of the decision (Decree 30 app. I: the
  organisation's signature over the left third of the signer's, with the organisation's
  name and the time in ISO 8601, blue, 10 pt): on the page holding "Nơi nhận:", in the right
  column, over the signer's name (located with pypdf's text positions; a fixed box in the
  lower right if the name cannot be found).

A hardware token or the national signing plugin replaces `Pkcs12Signer` by another `Signer`
(docs/signing.md: pyHanko's interrupted signing hands out the digest of the byte range and
embeds the CMS it gets back).
"""

import base64
import hashlib
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.stamp import StaticStampStyle
from pypdf import PdfReader

from audit.services import record_event
from core.errors import DomainError
from organisations.models import Organisation

from .documents import build_decision, decision_doc
from .models import Decision, DecisionStatus, IssuerCertificate, SignedDecision
from .pdf import docx_to_pdf

log = logging.getLogger(__name__)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FIELD_NAME = "ChuKyCoQuan"
FONT_FILE = "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
MM = 72 / 25.4
# Fallback box (points, PDF origin bottom left): the right column of the signature table
# (x 110–195 mm of an A4 page with 30/15 mm margins), a band 90–120 mm above the page foot.
FALLBACK_BOX = (110 * MM, 90 * MM, 195 * MM, 120 * MM)
SIGNED_DIR = "signed-decisions"


@dataclass(frozen=True)
class FieldBox:
    """Where the visible signature goes: page index (0-based) and box in PDF points."""

    page: int
    box: tuple[float, float, float, float]


class Signer(Protocol):
    """Anything that turns a PDF into a signed PDF (a PKCS#12 file, a token, a remote HSM)."""

    def sign(self, pdf: bytes, *, field_box: FieldBox, reason: str, location: str) -> bytes: ...


# --- the certificate check -------------------------------------------------------------------


def check_certificate(certificate: x509.Certificate, *, at: datetime) -> None:
    """Refuse a certificate that may not sign at `at` (before anything is signed).

    Not yet valid, expired, or a key usage without digitalSignature / nonRepudiation
    (contentCommitment), or an extended key usage that excludes document signing.
    """
    if at < certificate.not_valid_before_utc:
        raise DomainError(
            "certificate_not_yet_valid",
            _("Chứng thư số: chưa có hiệu lực (hiệu lực từ ngày %(day)s).")
            % {"day": certificate.not_valid_before_utc.astimezone(VIETNAM).strftime("%d/%m/%Y")},
            field="certificate",
        )
    if at > certificate.not_valid_after_utc:
        raise DomainError(
            "certificate_expired",
            _("Chứng thư số: đã hết hạn ngày %(day)s, không dùng để ký được.")
            % {"day": certificate.not_valid_after_utc.astimezone(VIETNAM).strftime("%d/%m/%Y")},
            field="certificate",
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise DomainError(
            "certificate_key_usage",
            _("Chứng thư số: không được cấp cho mục đích ký số (thiếu digitalSignature)."),
            field="certificate",
        )
    try:
        extended = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        extended = None
    if extended is not None and not (
        {ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE, ExtendedKeyUsageOID.EMAIL_PROTECTION}
        & set(extended)
        or x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12") in extended  # document signing
        or x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36") in extended  # id-kp-documentSigning
    ):
        raise DomainError(
            "certificate_key_usage",
            _("Chứng thư số: mục đích sử dụng mở rộng không cho phép ký văn bản."),
            field="certificate",
        )


# --- the PKCS#12 signer ------------------------------------------------------------------------


def appearance_image(lines: list[str], *, width_pt: float, height_pt: float) -> Image.Image:
    """The visible signature's text as a transparent picture (Decree 30 app. I: blue,
    Times New Roman 10 pt; Liberation Serif is its metric twin).

    Drawn with Pillow rather than as PDF text: pyHanko's OpenType text engine spaced the
    glyphs far apart and dropped some Vietnamese letters with the fontTools and uharfbuzz
    releases installed (docs/signing.md); a picture at 4x the page resolution reads alike.
    """
    scale = 4
    image = Image.new("RGBA", (int(width_pt * scale), int(height_pt * scale)), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype(FONT_FILE, 10 * scale)
    except OSError:
        font = ImageFont.load_default(size=10 * scale)
    y = 2 * scale
    for line in lines:
        draw.text((2 * scale, y), line, font=font, fill=(0, 0, 204, 255))
        y += 13 * scale
    return image


class Pkcs12Signer:
    """PAdES B-B signature with a key and certificate from a PKCS#12 archive (in memory)."""

    def __init__(
        self, pkcs12_data: bytes, password: bytes | None, *, organisation_name: str = ""
    ) -> None:
        key, certificate, _chain = pkcs12.load_key_and_certificates(pkcs12_data, password)
        if key is None or certificate is None:
            raise DomainError(
                "certificate_invalid",
                _("Chứng thư số: tệp PKCS#12 không chứa khóa bí mật và chứng thư."),
                field="certificate",
            )
        self.certificate = certificate
        self.organisation_name = organisation_name
        self._signer = signers.SimpleSigner.load_pkcs12_data(
            pkcs12_data, other_certs=[], passphrase=password
        )

    def sign(self, pdf: bytes, *, field_box: FieldBox, reason: str, location: str) -> bytes:
        now = timezone.now()
        check_certificate(self.certificate, at=now)
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        fields.append_signature_field(
            writer,
            sig_field_spec=fields.SigFieldSpec(
                sig_field_name=FIELD_NAME, on_page=field_box.page, box=field_box.box
            ),
        )
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            reason=reason,
            location=location,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            embed_validation_info=False,
        )
        box = field_box.box
        lines = [
            "Ký bởi: " + (self.organisation_name or _subject_cn(self.certificate)),
            # Decree 30 app. I: the time in ISO 8601, Vietnam time.
            "Thời gian ký: " + now.astimezone(VIETNAM).isoformat(timespec="seconds"),
        ]
        style = StaticStampStyle(
            background=PdfImage(
                appearance_image(lines, width_pt=box[2] - box[0], height_pt=box[3] - box[1])
            ),
            border_width=0,
        )
        signer = signers.PdfSigner(metadata, signer=self._signer, stamp_style=style)
        output = BytesIO()
        signer.sign_pdf(writer, output=output)
        return output.getvalue()


def _subject_cn(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def _issuer_cn(certificate: x509.Certificate) -> str:
    names = certificate.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.issuer.rfc4514_string()


def signature_box(pdf: bytes, *, signer_name: str) -> FieldBox:
    """The box over the signer's name in the signature block (see the module docstring).

    The block is on the first page holding "Nơi nhận:" (the decision body ends there; the
    attached list follows on a new page). On it, the last line reading the signer's name in
    the right half gives the baseline; the box spans the right column from just above the
    name up through the blank lines left for the signature.
    """
    reader = PdfReader(BytesIO(pdf))
    page_index = next(
        (i for i, page in enumerate(reader.pages) if "Nơi nhận" in (page.extract_text() or "")),
        len(reader.pages) - 1,
    )
    page = reader.pages[page_index]
    found: list[float] = []
    name = " ".join(signer_name.split())

    def visit(text, _cm, tm, _font, _size) -> None:
        if name and text.strip() and text.strip() in name and tm[4] > 100 * MM:
            found.append(tm[5])

    page.extract_text(visitor_text=visit)
    if not found:
        return FieldBox(page=page_index, box=FALLBACK_BOX)
    baseline = min(found)
    return FieldBox(page=page_index, box=(110 * MM, baseline + 18, 195 * MM, baseline + 52))


# --- stored certificates (encrypted) -----------------------------------------------------------


def _fernet() -> MultiFernet:
    keys = list(getattr(settings, "KHENTHUONG_CERTIFICATE_KEYS", []) or [])
    if not keys:
        # Development and tests only (docs/signing.md): production sets its own keys, so
        # rotating SECRET_KEY does not lock the certificates out.
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"khenthuong-certificates"
        ).derive(settings.SECRET_KEY.encode())
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def _decrypt(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken:
        raise DomainError(
            "certificate_locked",
            _(
                "Chứng thư số: không giải mã được (khóa KHENTHUONG_CERTIFICATE_KEYS đã đổi?). "
                "Quản trị viên cần tải lại tệp PKCS#12."
            ),
            field="certificate",
        ) from None


def _fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def inspect_pkcs12(pkcs12_data: bytes, password: str, *, check: bool = True) -> x509.Certificate:
    """The certificate of a PKCS#12 file, refused (DomainError) if it does not open with the
    password, lacks a key, or (with `check`) may not sign today. Writes nothing."""
    secret = password.encode() if password else None
    try:
        key, certificate, _chain = pkcs12.load_key_and_certificates(pkcs12_data, secret)
    except ValueError:
        raise DomainError(
            "certificate_invalid",
            _("Chứng thư số: không mở được tệp PKCS#12 (sai mật khẩu hoặc tệp hỏng)."),
            field="certificate",
        ) from None
    if key is None or certificate is None:
        raise DomainError(
            "certificate_invalid",
            _("Chứng thư số: tệp PKCS#12 không chứa khóa bí mật và chứng thư."),
            field="certificate",
        )
    if check:
        check_certificate(certificate, at=timezone.now())
    return certificate


@transaction.atomic
def store_certificate(
    organisation: Organisation | None,
    *,
    pkcs12_data: bytes,
    password: str,
    by=None,
    demo_root: bool = False,
) -> IssuerCertificate:
    """Keep an uploaded PKCS#12 (encrypted) as the organisation's signing certificate.

    Side effects: the organisation's previous active certificate is retired, the new row,
    an audit row (public facts only; never the password). Refused: a wrong password or a
    file without key and certificate, a certificate that may not sign today.
    """
    certificate = inspect_pkcs12(pkcs12_data, password, check=not demo_root)
    if not demo_root:
        IssuerCertificate.objects.filter(
            organisation=organisation, active=True, is_demo_root=False
        ).update(active=False)
    crypt = _fernet()
    row = IssuerCertificate.objects.create(
        organisation=organisation,
        subject=certificate.subject.rfc4514_string(),
        issuer_name=certificate.issuer.rfc4514_string(),
        serial=format(certificate.serial_number, "x"),
        fingerprint=_fingerprint(certificate),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        encrypted_pkcs12=crypt.encrypt(pkcs12_data),
        encrypted_password=crypt.encrypt(password.encode()),
        active=not demo_root,
        is_demo_root=demo_root,
        uploaded_by=by,
    )
    if by is not None:
        record_event(
            row,
            action="store_certificate",
            actor=by,
            data={"subject": row.subject, "serial": row.serial, "not_after": str(row.not_after)},
        )
    return row


def certificate_signer(row: IssuerCertificate) -> Pkcs12Signer:
    password = _decrypt(row.encrypted_password)
    return Pkcs12Signer(
        _decrypt(row.encrypted_pkcs12),
        password or None,
        organisation_name=row.organisation.name if row.organisation else "",
    )


def active_certificate(organisation_id: int) -> IssuerCertificate | None:
    return IssuerCertificate.objects.filter(
        organisation_id=organisation_id, active=True, is_demo_root=False
    ).first()


# --- the signed decision -----------------------------------------------------------------------


def signed_path(signed: SignedDecision) -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / signed.path


def _write_private(relative: str, data: bytes) -> None:
    target = Path(settings.PRIVATE_STORAGE_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # O_EXCL: a signed file is written once; 0600: readable by the service account only.
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def sign_issued_decision(decision_id: int, *, signer: Signer | None = None) -> SignedDecision:
    """Produce, sign and store the PDF of an issued decision. Idempotent: a decision signed
    already returns its row (a rerun of the task, or two workers, sign it once).

    Runs after issue_decision has committed (decisions.tasks.sign_decision), holding no row
    lock while LibreOffice and the signature take their seconds; only the final write takes
    the decision's row lock, to refuse a second copy. Refused: not issued, no active
    certificate for the issuer, a certificate that may not sign today.
    """
    existing = SignedDecision.objects.filter(decision_id=decision_id).first()
    if existing:
        return existing
    decision = Decision.objects.select_related("issuer", "award_type").get(pk=decision_id)
    if decision.status != DecisionStatus.ISSUED:
        raise DomainError("not_issued", _("Quyết định chưa ban hành: chưa ký số được."))
    row = None
    if signer is None:
        row = active_certificate(decision.issuer_id)
        if row is None:
            raise DomainError(
                "no_certificate",
                _("Chứng thư số: cơ quan ban hành chưa có chứng thư số đang dùng để ký."),
                field="certificate",
            )
        signer = certificate_signer(row)
    pdf = docx_to_pdf(build_decision(decision_doc(decision)))
    signed_pdf = signer.sign(
        pdf,
        field_box=signature_box(pdf, signer_name=decision.signer_name),
        reason=f"Ban hành Quyết định {decision.number_symbol}",
        location=getattr(settings, "KHENTHUONG_SIGN_LOCATION", "Việt Nam"),
    )
    digest = hashlib.sha256(signed_pdf).hexdigest()
    relative = f"{SIGNED_DIR}/{decision.issued_on:%Y}/{decision.pk}-{digest[:16]}.pdf"
    with transaction.atomic():
        Decision.objects.select_for_update().get(pk=decision_id)
        existing = SignedDecision.objects.filter(decision_id=decision_id).first()
        if existing:
            return existing
        _write_private(relative, signed_pdf)
        certificate = getattr(signer, "certificate", None)
        signed = SignedDecision.objects.create(
            decision=decision,
            path=relative,
            sha256=digest,
            size=len(signed_pdf),
            certificate=row,
            signer_subject=_subject_cn(certificate) if certificate is not None else "",
            signed_at=timezone.now(),
        )
        record_event(
            decision,
            action="sign_decision",
            actor=decision.issued_by,
            data={"sha256": digest, "certificate": row.fingerprint if row else ""},
        )
    return signed


# --- the demo CA -------------------------------------------------------------------------------

DEMO_ROOT_CN = "khenthuong Demo Root CA (KHÔNG DÙNG THẬT)"
DEMO_PASSWORD = "demo"  # noqa: S105 -- the demo certificates protect nothing


def _name(common_name: str, organisation: str = "khenthuong demo") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _build_certificate(
    *,
    subject: x509.Name,
    issuer: x509.Name,
    public_key,
    signing_key,
    ca: bool,
    not_before: datetime,
    not_after: datetime,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    return builder.sign(signing_key, hashes.SHA256())


def make_demo_certificate(
    organisation_name: str,
    *,
    root_key,
    root_certificate: x509.Certificate,
    not_before: datetime,
    not_after: datetime,
) -> bytes:
    """A PKCS#12 (password DEMO_PASSWORD) for one organisation, issued by the demo root."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = _build_certificate(
        subject=_name(organisation_name, organisation_name),
        issuer=root_certificate.subject,
        public_key=key.public_key(),
        signing_key=root_key,
        ca=False,
        not_before=not_before,
        not_after=not_after,
    )
    return pkcs12.serialize_key_and_certificates(
        organisation_name.encode(),
        key,
        certificate,
        [root_certificate],
        serialization.BestAvailableEncryption(DEMO_PASSWORD.encode()),
    )


@dataclass(frozen=True)
class DemoCA:
    root_certificate: x509.Certificate
    root_key: object

    def root_der(self) -> bytes:
        return self.root_certificate.public_bytes(serialization.Encoding.DER)


def demo_root() -> DemoCA | None:
    row = IssuerCertificate.objects.filter(is_demo_root=True).first()
    if row is None:
        return None
    key, certificate, _chain = pkcs12.load_key_and_certificates(
        _decrypt(row.encrypted_pkcs12), _decrypt(row.encrypted_password)
    )
    return DemoCA(root_certificate=certificate, root_key=key)


@transaction.atomic
def make_demo_ca(organisations: Sequence[Organisation]) -> DemoCA:
    """The demo root CA and one signing certificate per issuing organisation, stored as
    encrypted PKCS#12 rows. Idempotent: an organisation with an active certificate keeps it.
    Never for production: the root is self-signed and trusted by nobody."""
    ca = demo_root()
    now = timezone.now().astimezone(UTC)
    if ca is None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = _name(DEMO_ROOT_CN)
        certificate = _build_certificate(
            subject=name,
            issuer=name,
            public_key=key.public_key(),
            signing_key=key,
            ca=True,
            not_before=now - timedelta(days=1),
            not_after=now + timedelta(days=3650),
        )
        data = pkcs12.serialize_key_and_certificates(
            b"demo-root",
            key,
            certificate,
            None,
            serialization.BestAvailableEncryption(DEMO_PASSWORD.encode()),
        )
        store_certificate(None, pkcs12_data=data, password=DEMO_PASSWORD, demo_root=True)
        ca = DemoCA(root_certificate=certificate, root_key=key)
    for organisation in organisations:
        if active_certificate(organisation.pk):
            continue
        data = make_demo_certificate(
            organisation.name,
            root_key=ca.root_key,
            root_certificate=ca.root_certificate,
            not_before=now - timedelta(days=1),
            not_after=now + timedelta(days=730),
        )
        store_certificate(organisation, pkcs12_data=data, password=DEMO_PASSWORD)
    return ca
