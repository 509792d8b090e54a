"""Tests: the database comes from DATABASE_URL (PostgreSQL in `make test`)."""

import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403

DEBUG = False
SERVICEPARK_ALLOW_DEMO = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Background tasks run inline in tests so that outcomes can be asserted directly.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Uploaded files of the tests go to a throwaway directory, never into var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="servicepark-test-media-"))
