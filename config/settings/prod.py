"""Production settings: secrets from the environment, HTTPS only, hashed static files."""

import os

from django.core.exceptions import ImproperlyConfigured

from unionhall.core.fieldcrypto import decode_key

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
if len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters.")
if not AUDIT_CHAIN_KEY:  # noqa: F405
    raise ImproperlyConfigured("AUDIT_CHAIN_KEY must be set.")
if not FIELD_ENCRYPTION_KEYS or not BLIND_INDEX_KEY:  # noqa: F405
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY must be set.")
for _key in [*FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY]:  # noqa: F405
    decode_key(_key, name="FIELD_ENCRYPTION_KEYS / BLIND_INDEX_KEY")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("SMTP_HOST", "localhost"),
            "port": int(os.environ.get("SMTP_PORT", "25")),
            "username": os.environ.get("SMTP_USER") or None,
            "password": os.environ.get("SMTP_PASSWORD") or None,
            "use_tls": env_bool("SMTP_USE_TLS", False),
        },
    }
}
