"""Encryption of single fields at rest (AES-256-GCM) and keyed blind indexes for lookups.

Keys come from settings: `FIELD_ENCRYPTION_KEYS` (a list of base64 32-byte keys; the first
encrypts, the others still decrypt, so keys can be rotated) and `BLIND_INDEX_KEY`. A ciphertext
names the key that wrote it by a short id derived from the key itself. Decryption fails closed:
an unknown key, a wrong key, a tampered or truncated value all raise `FieldCryptoError`.
"""

import base64
import binascii
import functools
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.views.decorators.debug import sensitive_variables

VERSION = "v1"
NONCE_BYTES = 12
KEY_BYTES = 32


class FieldCryptoError(Exception):
    """A value could not be decrypted; never answered with garbage or an empty value."""


def decode_key(text: str, *, name: str) -> bytes:
    """A key as configured (url-safe or standard base64 of 32 bytes)."""
    try:
        raw = base64.urlsafe_b64decode(text.strip().replace("+", "-").replace("/", "_") + "==")
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{name} holds a value that is not base64.") from None
    if len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(f"{name} must hold base64 keys of {KEY_BYTES} bytes.")
    return raw


@functools.lru_cache(maxsize=8)
def key_id(key: bytes) -> str:
    """A short public name of a key: the ciphertext says which key to use, without revealing it."""
    return hashlib.sha256(b"unionhall-field-key:" + key).hexdigest()[:8]


def _keys() -> list[bytes]:
    configured = getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or []
    if isinstance(configured, str):
        configured = [k for k in configured.split(",") if k.strip()]
    if not configured:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold at least one key.")
    return _decoded(tuple(configured))


@functools.lru_cache(maxsize=8)
def _decoded(configured: tuple[str, ...]) -> list[bytes]:
    # Cached by the configured text, so a changed setting (a rotation, a test) takes effect at once.
    return [decode_key(k, name="FIELD_ENCRYPTION_KEYS") for k in configured]


@functools.lru_cache(maxsize=8)
def _cipher(key: bytes) -> AESGCM:
    return AESGCM(key)


@functools.lru_cache(maxsize=8)
def _blind_mac(configured: str) -> "hmac.HMAC":
    """The blind index's HMAC with its key already absorbed: copying it skips the key setup for each value."""
    return hmac.new(decode_key(configured, name="BLIND_INDEX_KEY"), digestmod=hashlib.sha256)


@sensitive_variables()
def encrypt(plaintext: str, *, context: str) -> str:
    """`v1:<key id>:<base64 nonce+ciphertext>`; `context` (e.g. the field) is bound as associated data."""
    key = _keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher(key).encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
    return f"{VERSION}:{key_id(key)}:{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"


@sensitive_variables()
def decrypt(token: str, *, context: str) -> str:
    try:
        version, kid, body = token.split(":", 2)
    except ValueError:
        raise FieldCryptoError("The encrypted value is malformed.") from None
    if version != VERSION:
        raise FieldCryptoError("The encrypted value has an unknown format version.")
    key = next((k for k in _keys() if hmac.compare_digest(key_id(k), kid)), None)
    if key is None:
        raise FieldCryptoError("The key that encrypted this value is not configured.")
    try:
        raw = base64.urlsafe_b64decode(body.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise FieldCryptoError("The encrypted value is malformed.") from None
    if len(raw) <= NONCE_BYTES:
        raise FieldCryptoError("The encrypted value is truncated.")
    try:
        plain = _cipher(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8"))
    except InvalidTag:
        raise FieldCryptoError("The encrypted value does not match its key or was altered.") from None
    return plain.decode("utf-8")


def needs_rotation(token: str) -> bool:
    """True when the value was written with a key other than the current first one."""
    parts = token.split(":", 2)
    return len(parts) != 3 or parts[1] != key_id(_keys()[0])


@sensitive_variables()
def blind_index(value: str, *, context: str) -> str:
    """A keyed HMAC-SHA256 of a normalised value: equal values match, the value cannot be read back."""
    configured = getattr(settings, "BLIND_INDEX_KEY", "") or ""
    if not configured:
        raise ImproperlyConfigured("BLIND_INDEX_KEY must be set.")
    mac = _blind_mac(configured).copy()
    mac.update(f"{context}\x1f{value}".encode())
    return mac.hexdigest()


def check_settings() -> None:
    """Raise ImproperlyConfigured unless both settings hold usable keys (production start-up)."""
    _keys()
    blind_index("", context="check")
