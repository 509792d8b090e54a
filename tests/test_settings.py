"""Production settings refuse to start with development defaults."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.smoke

GOOD_KEY = "k" * 50
DATA_KEY = "cHJvZHVjdGlvbi10ZXN0LWtleS1ub3QtdGhlLWRldjE="  # a valid Fernet key, not the dev one
PERSONAL = {"SERVICEPARK_PERSONAL_DATA_KEYS": DATA_KEY, "SERVICEPARK_PERSONAL_INDEX_KEY": "i" * 40}


def load_production(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SERVICEPARK_")}
    clean.update(PERSONAL)
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_starts_with_a_real_key():
    result = load_production(SERVICEPARK_SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SERVICEPARK_SECRET_KEY"),
        ({"SERVICEPARK_SECRET_KEY": "insecure-local-only-key"}, "SERVICEPARK_SECRET_KEY"),
        ({"SERVICEPARK_SECRET_KEY": GOOD_KEY, "SERVICEPARK_DEBUG": "1"}, "DEBUG"),
        ({"SERVICEPARK_SECRET_KEY": GOOD_KEY, "SERVICEPARK_ALLOW_DEMO": "true"}, "Demo"),
        (
            {
                "SERVICEPARK_SECRET_KEY": GOOD_KEY,
                "SERVICEPARK_PERSONAL_DATA_KEYS": "c2VydmljZXBhcmstbG9jYWwtcGVyc29uYWwtZGF0YSE=",
            },
            "development key",
        ),
        (
            {"SERVICEPARK_SECRET_KEY": GOOD_KEY, "SERVICEPARK_PERSONAL_DATA_KEYS": "not-a-key"},
            "not a Fernet key",
        ),
        (
            {"SERVICEPARK_SECRET_KEY": GOOD_KEY, "SERVICEPARK_PERSONAL_INDEX_KEY": ""},
            "SERVICEPARK_PERSONAL_INDEX_KEY",
        ),
    ],
)
def test_production_refuses_defaults(env, message):
    result = load_production(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_demo_command_refuses_in_production():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SERVICEPARK_")}
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SERVICEPARK_SECRET_KEY": GOOD_KEY,
            "DATABASE_URL": "sqlite:///:memory:",
            **PERSONAL,
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "servicepark.cli", "demo"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "disabled" in result.stderr


def test_check_deploy_with_production_settings_reports_nothing(tmp_path):
    """`servicepark check --deploy` with production settings: no errors, no warnings."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SERVICEPARK_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"  # browser tests'
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SERVICEPARK_SECRET_KEY="x7!Qp2#" * 8,
        SERVICEPARK_ALLOWED_HOSTS="servicepark.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path}/deploy.sqlite3",
        **PERSONAL,
    )
    result = subprocess.run(
        [sys.executable, "-m", "servicepark.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
