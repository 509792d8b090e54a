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
# Incremental oversight refreshes (after every commit of a watched row) would put the
# organizations other apps' tests create on credit lists (no 2025 annual report) and change
# what those tests are about; the oversight tests switch them on where they test them.
SERVICEPARK_OVERSIGHT_INCREMENTAL = False
# Two-factor sign-in is tested where it is tested (accounts/tests/test_two_factor.py).
SERVICEPARK_REQUIRE_2FA = False
# Every test request comes from 127.0.0.1: the per-address limit is tested on its own.
SERVICEPARK_LOGIN_RATE = "100000/m"
