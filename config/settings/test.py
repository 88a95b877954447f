"""Test settings: fast hashing, in-memory mail, plain static storage for live servers."""

from .base import *  # noqa: F403
from .base import VAR_DIR

SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
AUDIT_CHAIN_KEY = "test-audit-chain-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
AXES_FAILURE_LIMIT = 5
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
STATIC_ROOT = VAR_DIR / "staticfiles"  # served by the finders; the folder only quiets WhiteNoise
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
FIELD_ENCRYPTION_KEYS = ["Yejuh70sN60lkMf8_lxaTgSBKLMWNSb40cP-MgDVarU="]  # test-only keys
BLIND_INDEX_KEY = "6aKZMT3BG9HwgOKlUO0g9vzBlpIRbiSP2Yi0ZwjgdEE="
