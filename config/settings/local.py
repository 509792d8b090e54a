"""Local development and the demo: SQLite by default, debug on."""

from config.settings.base import *  # noqa: F403

DEBUG = True
SERVICEPARK_ALLOW_DEMO = True
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
