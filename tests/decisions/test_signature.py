"""The signed decision: PAdES signature pyHanko validates against the demo root, broken by
one changed byte; the certificate is checked before signing and stored encrypted."""

from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.db import connection

from core.errors import DomainError
from decisions.demo import seed_signing
from decisions.models import IssuerCertificate, SignedDecision
from decisions.signing import (
    DEMO_PASSWORD,
    FieldBox,
    Pkcs12Signer,
    _build_certificate,
    _name,
    active_certificate,
    certificate_signer,
    make_demo_certificate,
    store_certificate,
)
from registry.models import RegistryEntry
from tests.factories import user

from .helpers import decision_for, issue
from .signed_helpers import demo_trust, needs_libreoffice, signed_bytes, validate

pytestmark = pytest.mark.django_db


@needs_libreoffice
def test_issued_decision_is_signed_by_its_issuers_certificate_and_one_byte_breaks_it(
    demo, settings, django_capture_on_commit_callbacks, client
):
    settings.KHENTHUONG_SIGN_ON_ISSUE = True
    trust = demo_trust()
    _dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"], nominees=2)
    with django_capture_on_commit_callbacks(execute=True):
        decision = issue(draft, by=user("lang-son.lanhdao"), on=date(2027, 1, 4))
    data = signed_bytes(decision)

    status = validate(data, trust)
    assert status.intact, status.pretty_print_details()
    assert status.valid
    assert status.trusted
    expected = active_certificate(demo["lang-son"].pk)
    assert status.signing_cert.sha256.hex() == expected.fingerprint
    assert status.signer_reported_dt is not None  # the signing time is embedded

    tampered = bytearray(data)
    tampered[12] ^= 0x01  # a byte of the header comment: still parses, digest differs
    assert not validate(bytes(tampered), trust).intact

    # The page that downloads it serves those very bytes, and the public page their hash.
    client.force_login(user("lang-son.vanphong"))
    response = client.get(f"/quyet-dinh/{decision.pk}/quyet-dinh.pdf")
    assert response.status_code == 200
    assert response.content == data
    client.logout()
    entry = RegistryEntry.objects.filter(decision=decision).first()
    page = client.get(f"/xac-minh/{entry.verification_token}/").content.decode()
    assert SignedDecision.objects.get(decision=decision).sha256 in page


def test_issue_without_a_certificate_stays_issued_and_unsigned(
    demo, settings, django_capture_on_commit_callbacks
):
    settings.KHENTHUONG_SIGN_ON_ISSUE = True
    _dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    with django_capture_on_commit_callbacks(execute=True):
        decision = issue(draft, by=user("lang-son.lanhdao"))
    decision.refresh_from_db()
    assert decision.status == "issued"
    assert decision.label == "Số: 01/QĐ-UBND"
    assert not SignedDecision.objects.filter(decision=decision).exists()


def _ca(now):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name("Test Root")
    root = _build_certificate(
        subject=name,
        issuer=name,
        public_key=key.public_key(),
        signing_key=key,
        ca=True,
        not_before=now - timedelta(days=800),
        not_after=now + timedelta(days=800),
    )
    return key, root


def test_an_expired_certificate_is_refused_before_anything_is_signed(db):
    now = datetime.now(UTC)
    key, root = _ca(now)
    expired = make_demo_certificate(
        "Ủy ban nhân dân xã Hợp Thành",
        root_key=key,
        root_certificate=root,
        not_before=now - timedelta(days=400),
        not_after=now - timedelta(days=1),
    )
    signer = Pkcs12Signer(expired, DEMO_PASSWORD.encode())
    with pytest.raises(DomainError) as refused:
        signer.sign(
            b"%PDF-1.7 not reached", field_box=FieldBox(0, (0, 0, 1, 1)), reason="", location=""
        )
    assert refused.value.code == "certificate_expired"
    assert "hết hạn" in str(refused.value)
    with pytest.raises(DomainError) as stored:
        store_certificate(None, pkcs12_data=expired, password=DEMO_PASSWORD)
    assert stored.value.code == "certificate_expired"
    assert not IssuerCertificate.objects.exists()


def test_a_ca_certificate_without_signing_usage_is_refused(db):
    now = datetime.now(UTC)
    key, root = _ca(now)
    data = pkcs12.serialize_key_and_certificates(
        b"root", key, root, None, serialization.BestAvailableEncryption(b"x")
    )
    with pytest.raises(DomainError) as refused:
        store_certificate(None, pkcs12_data=data, password="x")
    assert refused.value.code == "certificate_key_usage"


def test_certificates_are_stored_encrypted_and_need_the_key_from_settings(demo, settings):
    seed_signing()
    row = active_certificate(demo["lang-son"].pk)
    raw = bytes(row.encrypted_pkcs12)
    with connection.cursor() as cursor:
        cursor.execute("SELECT encrypted_password FROM decisions_issuercertificate")
        stored = b"".join(bytes(r[0]) for r in cursor.fetchall())
    assert DEMO_PASSWORD.encode() not in stored
    assert b"0\x82" not in raw[:4]  # not a DER PKCS#12 in the clear
    assert "demo" not in repr(row)
    settings.KHENTHUONG_CERTIFICATE_KEYS = ["kYnCq3xKOdn2pmJdHn3s6M6V3uJ0Qd1hZ9Wl3k8b2YU="]
    with pytest.raises(DomainError) as locked:
        certificate_signer(row)
    assert locked.value.code == "certificate_locked"


def test_demo_ca_is_idempotent(demo):
    seed_signing()
    first = list(IssuerCertificate.objects.values_list("fingerprint", flat=True))
    seed_signing()
    assert list(IssuerCertificate.objects.values_list("fingerprint", flat=True)) == first
    assert IssuerCertificate.objects.filter(is_demo_root=True).count() == 1
