"""Shared by the signed-PDF tests: the demo CA, an issued and signed decision, pyHanko."""

from io import BytesIO

import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from decisions.demo import seed_signing
from decisions.models import SignedDecision
from decisions.pdf import soffice_binary
from decisions.signing import demo_root, signed_path

needs_libreoffice = pytest.mark.skipif(
    soffice_binary() is None, reason="LibreOffice (soffice) is not installed"
)


def demo_trust() -> ValidationContext:
    seed_signing()
    return ValidationContext(trust_roots=[asn1_x509.Certificate.load(demo_root().root_der())])


def signed_bytes(decision) -> bytes:
    return signed_path(SignedDecision.objects.get(decision=decision)).read_bytes()


def validate(data: bytes, context: ValidationContext):
    signature = PdfFileReader(BytesIO(data), strict=False).embedded_signatures[0]
    return validate_pdf_signature(signature, context)
