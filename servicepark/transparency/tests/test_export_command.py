"""`servicepark export`: exit codes, and a file that appears whole or not at all."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from servicepark.transparency.exports import ocds
from servicepark.transparency.tests.standards import errors, ocds_package_validator

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("export", *args, "--lang", "en", stdout=out, stderr=err)
    return int(exit_info.value.code or 0), out.getvalue(), err.getvalue()


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_writes_both_packages(world, tmp_path):
    path = tmp_path / "ocds.json"
    code, out, err = run("ocds", "--out", str(path), "--uri", "https://data.example.org/o.json")
    assert (code, err) == (0, "")
    assert "Wrote 15 releases of 4 contracting processes" in out
    package = json.loads(path.read_text(encoding="utf-8"))
    assert package["uri"] == "https://data.example.org/o.json"
    assert errors(ocds_package_validator(), package) == []
    # The usual permissions for the umask, not mkstemp's private 0600.
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    code, out, _ = run("360giving", "--out", str(tmp_path / "grants.json"))
    assert code == 0 and "Wrote 2 grants" in out
    assert leftovers(tmp_path) == ["grants.json", "ocds.json"]


def test_default_uri_is_a_unique_urn(world, tmp_path):
    run("ocds", "--out", str(tmp_path / "a.json"))
    run("ocds", "--out", str(tmp_path / "b.json"))
    a, b = (json.loads((tmp_path / n).read_text())["uri"] for n in ("a.json", "b.json"))
    assert a.startswith("urn:uuid:") and a != b


def test_nothing_to_publish_exits_1_without_a_file(db, tmp_path):
    code, out, err = run("ocds", "--out", str(tmp_path / "ocds.json"))
    assert code == 1 and "no call is published" in err and out == ""
    code, _, err = run("360giving", "--out", str(tmp_path / "grants.json"))
    assert code == 1 and "no grant call has final awards" in err
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["missing/ocds.json", "a-file/ocds.json", "."])
def test_unwritable_path_exits_2_without_a_file(world, tmp_path, where):
    (tmp_path / "a-file").write_text("not a directory")
    target = tmp_path / where
    code, out, err = run("ocds", "--out", str(target))
    assert code == 2 and out == ""
    assert err.startswith(f"Cannot write {target}: ") and "Nothing was written." in err
    assert leftovers(tmp_path) == ["a-file"]


def test_system_directory_exits_2(world):
    # /sys refuses new files even to root.
    code, _, err = run("ocds", "--out", "/sys/servicepark-ocds.json")
    assert code == 2 and "Cannot write /sys/servicepark-ocds.json" in err


def test_a_failure_halfway_leaves_the_previous_file(world, tmp_path, monkeypatch):
    path = tmp_path / "ocds.json"
    path.write_text("previous export", encoding="utf-8")
    real = ocds.process_releases
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(ocds, "process_releases", failing)
    with pytest.raises(RuntimeError):
        call_command("export", "ocds", "--out", str(path), stdout=io.StringIO())
    assert path.read_text(encoding="utf-8") == "previous export"
    assert leftovers(tmp_path) == ["ocds.json"]
