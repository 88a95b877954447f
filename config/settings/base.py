"""Settings shared by every environment; each value can be set from the environment."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("UNIONHALL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "unionhall.core",
    "unionhall.accounts",
    "unionhall.audit",
    "unionhall.orgunits",
    "unionhall.access",
    "unionhall.datafiles",
    "unionhall.members",
    "unionhall.movements",
    "unionhall.initiatives",
    "unionhall.awards",
    "unionhall.programmes",
    "unionhall.practices",
    "unionhall.activities",
    "unionhall.democracy",
    "unionhall.reports",
    "unionhall.demo",
    "unionhall.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "unionhall.api.middleware.ApiErrorShapeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "unionhall.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "unionhall.core.middleware.RejectNulBytesMiddleware",
    "unionhall.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "unionhall.core.context_processors.navigation",
            ],
            "builtins": ["unionhall.core.templatetags.formatting"],
        },
    }
]


# Widgets render with the project's templates (the unit-code input with its suggestions).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"


def database_config(url: str) -> dict[str, Any]:
    """One DATABASE_URL for SQLite (embedded default) and PostgreSQL (production)."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0"))))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait instead of failing.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;"
            ),
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Client-side binding keeps per-value plans for path-prefix filters (performance.md §4.4).
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


DATABASES = {"default": database_config(os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'unionhall.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Shared by the web process and the worker (an import's writing progress); several hosts need a shared one.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("UNIONHALL_CACHE_DIR", str(VAR_DIR / "cache")),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "orgunits:tree"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Lock by account, not by address: a whole union office often shares one NAT address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
]
LOCALE_PATHS = [Path(os.environ.get("UNIONHALL_LOCALE_DIR", BASE_DIR / "locale"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "unionhall_language"
LANGUAGE_COOKIE_SECURE = False

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

MAILERS: dict[str, dict[str, Any]] = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "unionhall@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "unionhall.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API's inline script would break under the site's CSP; /api/v1/docs/ replaces it.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "unionhall.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "unionhall.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "unionhall.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("API_USER_RATE", "6000/hour")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "unionhall API",
    "DESCRIPTION": "Units, lifecycle operations and access for unionhall.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status`: each choice set gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "UnitStatusEnum": "unionhall.orgunits.choices.UnitStatus",
        "MembershipStatusEnum": "unionhall.members.choices.MembershipStatus",
        "CardStatusEnum": "unionhall.members.choices.CardStatus",
        "JobStatusEnum": "unionhall.datafiles.choices.JobStatus",
        "MovementKindEnum": "unionhall.movements.choices.MovementKind",
        "MovementScopeEnum": "unionhall.movements.choices.MovementScope",
        "MovementStatusEnum": "unionhall.movements.choices.MovementStatus",
        "MilestoneKindEnum": "unionhall.movements.choices.MilestoneKind",
        "InitiativeStatusEnum": "unionhall.initiatives.choices.Status",
        "GrantScopeEnum": "unionhall.access.choices.GrantScope",
        "EventKindEnum": "unionhall.orgunits.choices.EventKind",
        "AwardKindEnum": "unionhall.awards.choices.AwardKind",
        "NominationStatusEnum": "unionhall.awards.choices.NominationStatus",
        "RecordKindEnum": "unionhall.datafiles.kinds.kind_choices",
        "ActivityStatusEnum": "unionhall.activities.choices.ActivityStatus",
        "ActivityKindRoleEnum": "unionhall.activities.choices.KindRole",
        "ComplianceStateEnum": "unionhall.democracy.choices.ComplianceState",
        "PracticeKindEnum": "unionhall.practices.choices.PracticeKind",
        "PracticeFieldEnum": "unionhall.practices.choices.PracticeField",
        "InitiativeFieldEnum": "unionhall.initiatives.choices.Field",
        "PartyRoleEnum": "unionhall.programmes.choices.PartyRole",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Keys for the hash-chained audit log.
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")

# Field encryption (national IDs): base64 32-byte keys, comma-separated; the first encrypts, the
# others still decrypt (rotation). The blind-index key makes lookups possible without the plain value.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", "")
BLIND_INDEX_KEY = os.environ.get("BLIND_INDEX_KEY", "")

# Imports: the largest file and the most rows accepted (datafiles.limits has the other limits).
DATAFILES_MAX_BYTES = int(os.environ.get("DATAFILES_MAX_BYTES", str(50 * 1024 * 1024)))
DATAFILES_MAX_ROWS = int(os.environ.get("DATAFILES_MAX_ROWS", "1000000"))
