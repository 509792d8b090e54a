"""Local development and the demo: SQLite by default, debug on."""

from config.env import env_bool
from config.settings.base import *  # noqa: F403

DEBUG = True
SERVICEPARK_ALLOW_DEMO = True
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The demo accounts sign in with a password only; production asks officials, purchasers,
# experts and auditors for a TOTP code as well (SERVICEPARK_REQUIRE_2FA in base.py).
SERVICEPARK_REQUIRE_2FA = env_bool("SERVICEPARK_REQUIRE_2FA", False)
