"""The repository's copy of the standards is the official one beside the project."""

import hashlib

import pytest

from servicepark.transparency.tests.standards import REPO_STANDARDS, SHARED_STANDARDS


def _digests(root):
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.skipif(
    not SHARED_STANDARDS.is_dir(), reason="../shared/standards is not beside this clone"
)
def test_the_copy_matches_the_shared_standards():
    assert _digests(REPO_STANDARDS) == _digests(SHARED_STANDARDS)


def test_the_copy_holds_the_schemas_the_tests_use():
    for name in (
        "ocds-1.1/release-package-schema.json",
        "ocds-1.1/release-schema.json",
        "ocds-1.1/codelists/method.csv",
        "360giving-1.4/360-giving-package-schema.json",
        "360giving-1.4/360-giving-schema.json",
    ):
        assert (REPO_STANDARDS / name).is_file(), name
