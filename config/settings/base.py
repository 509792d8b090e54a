"""Settings shared by every environment."""

from __future__ import annotations

from config.env import BASE_DIR, VAR_DIR, database_config, env_str

SECRET_KEY = env_str("SERVICEPARK_SECRET_KEY", "insecure-local-only-key")
DEBUG = False
ALLOWED_HOSTS = [
    h for h in env_str("SERVICEPARK_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "servicepark.common",
    "servicepark.geo",
    "servicepark.accounts",
    "servicepark.registry",
    "servicepark.procurement",
    "servicepark.incubator",
    "servicepark.transparency",
    "servicepark.oversight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "servicepark.common.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "servicepark.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "servicepark" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "servicepark.common.context.nav",
            ],
        },
    },
]

DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "servicepark" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Largest import file accepted from the web; the command line has no limit.
SERVICEPARK_IMPORT_MAX_BYTES = 200 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Loading demo data is only for local and test settings.
SERVICEPARK_ALLOW_DEMO = False
# Tokens issued by POST /api/v1/auth/token stay valid this long.
SERVICEPARK_API_TOKEN_DAYS = 30
# Open data: the OCDS ocid prefix registered for this publisher, the 360Giving prefix, and the
# publisher's name as it appears in the packages.
SERVICEPARK_OCID_PREFIX = env_str("SERVICEPARK_OCID_PREFIX", "ocds-spk000")
SERVICEPARK_360G_PREFIX = env_str("SERVICEPARK_360G_PREFIX", "360G-spk")
SERVICEPARK_PUBLISHER_NAME = env_str("SERVICEPARK_PUBLISHER_NAME", "Servicepark")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Oversight (issue 6). Annual reports for year Y are due in Y+1 on these month-day dates:
# social groups first to their supervising unit, then to the registrar.
SERVICEPARK_ANNUAL_REPORT_DEADLINES = {
    "social_group": {"supervisor": "03-31", "registrar": "05-31"},
    "foundation": {"registrar": "03-31"},
    "default": {"registrar": "05-31"},
}
# Evaluation grades: points per part (1,000 in all), the lowest total for each grade, years
# a grade is valid, and how early holders are reminded that it expires.
SERVICEPARK_GRADE_PARTS = {"basic": 60, "governance": 370, "performance": 450, "public": 120}
SERVICEPARK_GRADE_BANDS = {"5A": 950, "4A": 900, "3A": 800, "2A": 700, "1A": 600}
SERVICEPARK_GRADE_VALID_YEARS = 5
SERVICEPARK_GRADE_NOTICE_DAYS = 180
# Early warning: a "large" contract (yuan), points per signal severity (the score is capped at
# 100), and the lowest severity that raises an alert for officials.
SERVICEPARK_LARGE_CONTRACT = 500_000
SERVICEPARK_RISK_WEIGHTS = {1: 5, 2: 15, 3: 30}
SERVICEPARK_ALERT_MIN_SEVERITY = 2
# Re-evaluate an organization's signals when a row a rule watches is saved (after commit).
SERVICEPARK_OVERSIGHT_INCREMENTAL = True
# The first year whose annual report the platform tracks (reports before it are not asked for).
SERVICEPARK_ANNUAL_REPORTS_FROM = 2025

# --- Accounts and sessions (issue 7) --------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "servicepark.accounts.backends.LockoutBackend",  # refuses locked-out username + address
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "servicepark.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Two-factor (TOTP) is required of the roles that decide and see much: officials, purchasers,
# experts and auditors (their pages and API tokens). Local development and tests switch it off.
SERVICEPARK_REQUIRE_2FA = True
SERVICEPARK_2FA_ROLES = ("official", "purchaser", "expert", "auditor")
OTP_TOTP_ISSUER = "Servicepark"
# Login and token requests per client address (django-ratelimit, on the default cache).
SERVICEPARK_LOGIN_RATE = "20/m"
RATELIMIT_VIEW = "servicepark.common.views.rate_limited"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): our own scripts and styles only, no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Responses to API requests sent with an Idempotency-Key are kept this long.
SERVICEPARK_IDEMPOTENCY_HOURS = 24
# Personal data of individuals (servicepark/common/personal.py): Fernet keys, the first one
# encrypting, all of them decrypting (rotate by putting a new key first and running
# `servicepark personal rekey`), and the key of the digests that find a person again.
# The defaults are for development only; production refuses them.
DEV_PERSONAL_DATA_KEY = "c2VydmljZXBhcmstbG9jYWwtcGVyc29uYWwtZGF0YSE="  # noqa: S105
DEV_PERSONAL_INDEX_KEY = "insecure-local-only-personal-index-key"  # noqa: S105
SERVICEPARK_PERSONAL_DATA_KEYS = [
    k.strip()
    for k in env_str("SERVICEPARK_PERSONAL_DATA_KEYS", DEV_PERSONAL_DATA_KEY).split(",")
    if k.strip()
]
SERVICEPARK_PERSONAL_INDEX_KEY = env_str("SERVICEPARK_PERSONAL_INDEX_KEY", DEV_PERSONAL_INDEX_KEY)
# Retention in days (`servicepark purge`): holders' contact and ID details after their
# contract ended; a person's phone after the last of their roles ended; login records.
SERVICEPARK_RETENTION_DAYS = {
    "voucher_holders": 3 * 365,
    "former_members": 5 * 365,
    "login_records": 180,
}
# An import with no finished batch for this long was stopped (its process was killed).
SERVICEPARK_IMPORT_STALL_MINUTES = 10
