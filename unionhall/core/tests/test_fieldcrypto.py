"""Field encryption (P19): round trip, fails closed on a wrong key or tampering, reads old keys after rotation."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from unionhall.core import fieldcrypto
from unionhall.core.fieldcrypto import FieldCryptoError, blind_index, decrypt, encrypt, key_id, needs_rotation

KEY_A = "ueLcF0sG0Mlsmu9Zxo1Q6w8EUYam68W7biRy9FsLenI="
KEY_B = "yotWBHp_gu6L0zD3bE141jVWA852JWNcBiLFvrkoa-E="
SECRET = "075090123457"
CONTEXT = "members.person.national_id"


@override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A])
def test_round_trip_and_a_fresh_nonce_each_time():
    first, second = encrypt(SECRET, context=CONTEXT), encrypt(SECRET, context=CONTEXT)
    assert first != second
    assert SECRET not in first
    assert first.startswith(f"v1:{key_id(base64.urlsafe_b64decode(KEY_A))}:")
    assert decrypt(first, context=CONTEXT) == SECRET == decrypt(second, context=CONTEXT)
    assert decrypt(encrypt("Nguyễn ١٢٣", context=CONTEXT), context=CONTEXT) == "Nguyễn ١٢٣"


def test_a_wrong_key_raises():
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        token = encrypt(SECRET, context=CONTEXT)
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]), pytest.raises(FieldCryptoError, match="not configured"):
        decrypt(token, context=CONTEXT)
    # The same key id with other key bytes (a misconfigured copy) fails on the tag, never with garbage.
    forged = token.replace(token.split(":")[1], key_id(base64.urlsafe_b64decode(KEY_B)))
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]), pytest.raises(FieldCryptoError, match="does not match"):
        decrypt(forged, context=CONTEXT)


@override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A])
@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-4] + ("AAAA" if not t.endswith("AAAA") else "BBBB"),
        lambda t: t[: len(t) // 2],
        lambda t: "v2" + t[2:],
        lambda t: "garbage",
        lambda t: t.split(":")[0] + ":" + t.split(":")[1] + ":!!!",
        lambda t: t.split(":")[0] + ":" + t.split(":")[1] + ":AAAA",
    ],
)
def test_tampered_values_raise(mangle):
    token = encrypt(SECRET, context=CONTEXT)
    with pytest.raises(FieldCryptoError):
        decrypt(mangle(token), context=CONTEXT)


@override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A])
def test_a_value_is_bound_to_its_field():
    token = encrypt(SECRET, context=CONTEXT)
    with pytest.raises(FieldCryptoError):
        decrypt(token, context="cases.denouncer.name")


def test_rotation_reads_old_ciphertexts_and_writes_with_the_new_key():
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        old = encrypt(SECRET, context=CONTEXT)
        assert not needs_rotation(old)
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        assert decrypt(old, context=CONTEXT) == SECRET
        assert needs_rotation(old)
        new = encrypt(SECRET, context=CONTEXT)
        assert not needs_rotation(new)
        assert new.split(":")[1] == key_id(base64.urlsafe_b64decode(KEY_B))
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        assert decrypt(new, context=CONTEXT) == SECRET
        with pytest.raises(FieldCryptoError):
            decrypt(old, context=CONTEXT)


def test_blind_index_is_keyed_and_deterministic():
    with override_settings(BLIND_INDEX_KEY=KEY_A):
        one = blind_index(SECRET, context=CONTEXT)
        assert one == blind_index(SECRET, context=CONTEXT)
        assert one != blind_index("075090123458", context=CONTEXT)
        assert one != blind_index(SECRET, context="other")
        assert SECRET not in one and len(one) == 64
    with override_settings(BLIND_INDEX_KEY=KEY_B):
        assert blind_index(SECRET, context=CONTEXT) != one


@pytest.mark.parametrize(
    ("keys", "index_key"),
    [([], KEY_A), ([KEY_A], ""), (["c2hvcnQ="], KEY_A), (["not base64 at all ~~"], KEY_A), ([KEY_A], "c2hvcnQ=")],
)
def test_missing_or_bad_keys_are_a_configuration_error(keys, index_key):
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=keys, BLIND_INDEX_KEY=index_key),
        pytest.raises(ImproperlyConfigured),
    ):
        fieldcrypto.check_settings()


def test_production_settings_require_the_keys(monkeypatch):
    import importlib
    import sys

    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("AUDIT_CHAIN_KEY", "check")
    monkeypatch.delenv("FIELD_ENCRYPTION_KEYS", raising=False)
    monkeypatch.delenv("BLIND_INDEX_KEY", raising=False)
    saved = {name: sys.modules.pop(name, None) for name in ("config.settings.prod", "config.settings.base")}
    try:
        with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
            importlib.import_module("config.settings.prod")
        monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", KEY_A)
        monkeypatch.setenv("BLIND_INDEX_KEY", "c2hvcnQ=")
        sys.modules.pop("config.settings.base", None)
        with pytest.raises(ImproperlyConfigured, match="32 bytes"):
            importlib.import_module("config.settings.prod")
        monkeypatch.setenv("BLIND_INDEX_KEY", KEY_B)
        sys.modules.pop("config.settings.base", None)
        prod = importlib.import_module("config.settings.prod")
        assert prod.FIELD_ENCRYPTION_KEYS == [KEY_A]
    finally:
        for name, module in saved.items():
            sys.modules.pop(name, None)
            if module is not None:
                sys.modules[name] = module
