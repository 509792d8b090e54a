"""Production: refuses to start when left with development defaults."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_str, personal_key_errors
from config.settings.base import *  # noqa: F403

DEBUG = env_bool("SERVICEPARK_DEBUG", False)
SECRET_KEY = env_str("SERVICEPARK_SECRET_KEY", "")
SERVICEPARK_ALLOW_DEMO = env_bool("SERVICEPARK_ALLOW_DEMO", False)

DEV_KEY = "insecure-local-only-key"  # noqa: S105  (the development default, refused here)
if not SECRET_KEY or SECRET_KEY == DEV_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SERVICEPARK_SECRET_KEY must be set to a random value of 32+ chars.")
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if SERVICEPARK_ALLOW_DEMO:
    raise ImproperlyConfigured("Demo data must not be loaded in production.")
if DEV_PERSONAL_DATA_KEY in SERVICEPARK_PERSONAL_DATA_KEYS:  # noqa: F405
    raise ImproperlyConfigured("SERVICEPARK_PERSONAL_DATA_KEYS must not hold the development key.")
if SERVICEPARK_PERSONAL_INDEX_KEY == DEV_PERSONAL_INDEX_KEY:  # noqa: F405
    raise ImproperlyConfigured("SERVICEPARK_PERSONAL_INDEX_KEY must be set.")
for _problem in personal_key_errors(
    SERVICEPARK_PERSONAL_DATA_KEYS,  # noqa: F405
    SERVICEPARK_PERSONAL_INDEX_KEY,  # noqa: F405
):
    raise ImproperlyConfigured(_problem)

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only (behind a TLS-terminating proxy that sets X-Forwarded-Proto).
SECURE_SSL_REDIRECT = env_bool("SERVICEPARK_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SERVICEPARK_REQUIRE_2FA = True
