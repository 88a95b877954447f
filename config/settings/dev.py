"""Development settings: SQLite in var/, debug on, a fixed development secret."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-secret-key-change-me-in-production-0123456789"  # noqa: F405
AUDIT_CHAIN_KEY = AUDIT_CHAIN_KEY or "dev-only-audit-chain-key"  # noqa: F405
STATIC_ROOT = VAR_DIR / "staticfiles"  # served by the finders; the folder only quiets WhiteNoise
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or ["05a2hBbx_tGKatt7Oi6chQcOPOpYIyg-DomXA8JsTpQ="]  # noqa: F405
BLIND_INDEX_KEY = BLIND_INDEX_KEY or "oDNTgr5gbYty4iBatFGvd_1psTCm4X27azQe31xP5vY="  # noqa: F405
