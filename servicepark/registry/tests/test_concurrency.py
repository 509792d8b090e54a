"""Concurrent writers: the audit chain stays intact and nothing is registered twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection  # noqa: F401  (named by the skipif conditions)

from servicepark.common.actors import SystemActor
from servicepark.common.audit import audit_record, audit_verify
from servicepark.common.models import AuditEvent
from servicepark.common.tests.threads import run_parallel
from servicepark.registry.models import ImportJob, Organization
from servicepark.registry.services.importing import organizations_import
from servicepark.registry.tests.factories import valid_uscc
from servicepark.registry.validation import COLUMNS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_parallel_audit_appends_keep_one_chain():
    def writer(n):
        return lambda: [
            audit_record(actor=SystemActor(f"w{n}"), action="x.y", object_type="x", object_id=i)
            for i in range(25)
        ]

    assert run_parallel([writer(n) for n in range(4)]) == []
    assert AuditEvent.objects.count() == 100
    assert audit_verify() is None


def test_two_imports_of_overlapping_files_register_each_code_once(tmp_path: Path):
    shared = [valid_uscc() for _ in range(40)]
    paths = []
    for n in range(2):
        own = [valid_uscc() for _ in range(10)]
        lines = [",".join(COLUMNS)]
        for code in shared + own:
            lines.append(
                f"{code},,并发测试中心{code},,social_service_agency,direct,510107019,,"
                f"王{n},2015-01-01,community,,"
            )
        path = tmp_path / f"f{n}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    outcomes = []

    def importer(path):
        def go():
            job = ImportJob.objects.create(original_name=path.name)
            outcomes.append(organizations_import(actor=SystemActor("cli"), path=path, job=job))

        return go

    assert run_parallel([importer(p) for p in paths]) == []
    assert Organization.objects.count() == 60
    assert Organization.objects.filter(uscc__in=shared).count() == 40
    assert sum(o.rows_stored for o in outcomes) == 60
    assert sum(o.rows_rejected for o in outcomes) == 40
    assert audit_verify() is None
