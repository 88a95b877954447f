"""Development settings: SQLite in var/, debug on, a fixed development secret."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-secret-key-change-me-in-production-0123456789"  # noqa: F405
AUDIT_CHAIN_KEY = AUDIT_CHAIN_KEY or "dev-only-audit-chain-key"  # noqa: F405
VAR_DIR.mkdir(parents=True, exist_ok=True)
