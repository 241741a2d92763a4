"""Sealed secret ballots: what a member chose is unreadable in the database until the count.

Threat (issue 15): anyone with full read access to the database, the application's own role
included, paired receipts with choices by transaction id (`xmin`) and physical order. A
ballot's receipt and its sealed choice are still written by one transaction (one ballot per
member and nominee stays atomic), so their transaction ids (`xmin`) still pair them; what
changes is that the sealed row is useless to whoever pairs it:

- Opening a meeting makes an X25519 key pair. The public key is stored on the meeting; the
  private key only wrapped (AES-256-GCM) under the key-encryption key (KEK), which lives in
  the environment (settings.BALLOT_KEY_ENCRYPTION_KEY), never in the database.
- A choice is sealed to the public key (ephemeral X25519, HKDF-SHA256, ChaCha20-Poly1305,
  the construction of libsodium's sealed box and of HPKE). Every choice is padded to the
  same length, so the size of a blob says nothing either.
- Closing opens the blobs, writes the plain choices in random order as new rows of one new
  transaction, deletes the blobs and empties the wrapped private key. Old tuple versions
  that linger in the heap then hold blobs that nothing can open any more.

Pure: no ORM. Refusals are DomainErrors; the services call these before writing anything.
"""

import base64
import binascii
import os
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

VERSION = b"\x01"
RAW = serialization.Encoding.Raw
# Every plaintext is padded to this many bytes: "agree" and "disagree" seal to blobs of one size.
CHOICE_BYTES = 16
# The sealing key is fresh for every blob (ephemeral key pair), so a fixed nonce is safe.
ZERO_NONCE = bytes(12)
SEALED_BYTES = len(VERSION) + 32 + CHOICE_BYTES + 16

KEY_UNAVAILABLE = _(
    "Phiếu kín: máy chủ chưa có khóa mã hóa khóa phiếu (BALLOT_KEY_ENCRYPTION_KEY) hoặc khóa "
    "không mở được khóa của phiên họp này, nên không thể nhận hay kiểm phiếu kín. Chưa có gì "
    "được ghi; đề nghị quản trị hệ thống cấu hình lại khóa rồi thực hiện lại."
)
BALLOT_UNREADABLE = _(
    "Phiếu kín: có phiếu không giải mã được hoặc không thuộc người được đề nghị ghi trên phiếu "
    "(dữ liệu phiếu đã bị sửa?). Phiên họp chưa kết thúc; đề nghị quản trị hệ thống kiểm tra."
)


def key_unavailable() -> DomainError:
    return DomainError("ballot_key_unavailable", KEY_UNAVAILABLE, field="choice")


@dataclass(frozen=True)
class MeetingKeys:
    """What the meeting row stores: the public key, and the private key wrapped under the KEK."""

    public_key: bytes
    wrapped_private_key: bytes


def parse_keys(value: str) -> list[bytes]:
    """The KEKs in a setting: URL-safe base64 of 32 bytes each, comma-separated, newest first
    (the first wraps, all unwrap: a rotation keeps meetings opened under the old key). Raises
    ValueError on a malformed key (production settings refuse to start on it)."""
    keys = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        try:
            key = base64.urlsafe_b64decode(part.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError) as error:
            raise ValueError("BALLOT_KEY_ENCRYPTION_KEY: not URL-safe base64") from error
        if len(key) != 32:
            raise ValueError("BALLOT_KEY_ENCRYPTION_KEY: each key must be 32 bytes")
        keys.append(key)
    return keys


def new_kek() -> str:
    """A fresh key-encryption key, as the setting takes it."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def _keks() -> list[bytes]:
    try:
        keys = parse_keys(getattr(settings, "BALLOT_KEY_ENCRYPTION_KEY", "") or "")
    except ValueError:
        raise key_unavailable() from None
    if not keys:
        raise key_unavailable()
    return keys


def _wrap_aad(meeting_id: int) -> bytes:
    # Bound to the meeting: a wrapped key copied onto another meeting does not open.
    return b"khenthuong/ballot-key/v1/meeting:%d" % meeting_id


def _seal_aad(meeting_id: int, nominee_id: int) -> bytes:
    # Bound to meeting and nominee: a blob moved to another nominee fails at the count.
    return b"khenthuong/ballot/v1/meeting:%d/nominee:%d" % (meeting_id, nominee_id)


def new_meeting_keys(meeting_id: int) -> MeetingKeys:
    """A key pair for one meeting; refused (ballot_key_unavailable) without a KEK."""
    kek = _keks()[0]
    private = X25519PrivateKey.generate()
    nonce = os.urandom(12)
    raw = private.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    wrapped = VERSION + nonce + AESGCM(kek).encrypt(nonce, raw, _wrap_aad(meeting_id))
    return MeetingKeys(
        private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw), wrapped
    )


def _private_key(keys: MeetingKeys, meeting_id: int) -> X25519PrivateKey:
    wrapped = bytes(keys.wrapped_private_key)
    if len(wrapped) < 1 + 12 + 16 or wrapped[:1] != VERSION:
        raise key_unavailable()  # destroyed at close, or never made
    nonce, body = wrapped[1:13], wrapped[13:]
    for kek in _keks():
        try:
            raw = AESGCM(kek).decrypt(nonce, body, _wrap_aad(meeting_id))
        except InvalidTag:
            continue
        private = X25519PrivateKey.from_private_bytes(raw)
        public = private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
        if public != bytes(keys.public_key):
            raise key_unavailable()
        return private
    raise key_unavailable()


def check_openable(keys: MeetingKeys, meeting_id: int) -> None:
    """Refuse (ballot_key_unavailable) unless the count will be able to open this meeting's
    ballots: a ballot that could never be counted must not be taken."""
    _private_key(keys, meeting_id)


def _derive(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"khenthuong/ballot/v1" + ephemeral + recipient,
    ).derive(shared)


def seal_choice(public_key: bytes, *, meeting_id: int, nominee_id: int, choice: str) -> bytes:
    """The choice sealed to the meeting's public key: only its private key opens it."""
    data = choice.encode("utf-8")
    if not data or len(data) > CHOICE_BYTES or b"\x00" in data:
        raise ValueError("choice does not fit the sealed ballot")
    recipient = bytes(public_key)
    if len(recipient) != 32:
        raise key_unavailable()
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    key = _derive(
        ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient)),
        ephemeral_public,
        recipient,
    )
    padded = data.ljust(CHOICE_BYTES, b"\x00")
    body = ChaCha20Poly1305(key).encrypt(ZERO_NONCE, padded, _seal_aad(meeting_id, nominee_id))
    return VERSION + ephemeral_public + body


def open_choices(
    keys: MeetingKeys, *, meeting_id: int, sealed: Iterable[tuple[int, bytes]]
) -> list[tuple[int, str]]:
    """(nominee id, choice) for each (nominee id, blob), in the same order.

    Refused: no KEK or key destroyed (ballot_key_unavailable); a blob that does not
    authenticate for its meeting and nominee (ballot_unreadable): nothing is counted then.
    """
    private = _private_key(keys, meeting_id)
    recipient = bytes(keys.public_key)
    opened = []
    for nominee_id, blob in sealed:
        blob = bytes(blob)
        if len(blob) != SEALED_BYTES or blob[:1] != VERSION:
            raise DomainError("ballot_unreadable", BALLOT_UNREADABLE, field="choice")
        ephemeral_public, body = blob[1:33], blob[33:]
        try:
            # A planted low-order point makes exchange() raise ValueError: unreadable too.
            key = _derive(
                private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public)),
                ephemeral_public,
                recipient,
            )
            padded = ChaCha20Poly1305(key).decrypt(
                ZERO_NONCE, body, _seal_aad(meeting_id, nominee_id)
            )
        except (InvalidTag, ValueError):
            raise DomainError("ballot_unreadable", BALLOT_UNREADABLE, field="choice") from None
        opened.append((nominee_id, padded.rstrip(b"\x00").decode("utf-8")))
    return opened
