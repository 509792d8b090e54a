"""Import jobs: the record of each import, and running one from the web in the background."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from servicepark.common.audit import audit_record
from servicepark.common.permissions import require_permission
from servicepark.registry.models import ImportJob
from servicepark.registry.services.importing import (
    ImportOutcome,
    file_sha256,
    import_file_check,
    organizations_import,
)
from servicepark.registry.tabular import UnusableFile


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_job_start(
    *,
    actor: Any,
    path: Path,
    original_name: str,
    dry_run: bool = False,
    all_or_nothing: bool = False,
) -> ImportJob:
    with transaction.atomic():
        job = ImportJob.objects.create(
            actor=actor if getattr(actor, "pk", None) else None,
            original_name=original_name[:255],
            stored_path=str(path),
            sha256=file_sha256(path),
            size_bytes=path.stat().st_size,
            dry_run=dry_run,
            all_or_nothing=all_or_nothing,
            state=ImportJob.State.RUNNING,
        )
        audit_record(
            actor=actor,
            action="import.start",
            obj=job,
            after={
                "file": job.original_name,
                "sha256": job.sha256,
                "dry_run": dry_run,
                "all_or_nothing": all_or_nothing,
            },
        )
    return job


def import_job_finish(*, job: ImportJob, outcome: ImportOutcome) -> ImportJob:
    with transaction.atomic():
        job.rows_total = outcome.rows_total
        job.rows_stored = outcome.rows_stored
        job.rows_rejected = outcome.rows_rejected
        job.message = outcome.unusable
        job.state = ImportJob.State.FAILED if outcome.unusable else ImportJob.State.DONE
        job.bytes_done = job.size_bytes
        job.finished_at = timezone.now()
        job.save()
        audit_record(
            actor=job.actor,
            action="import.finish",
            obj=job,
            after={"state": job.state, "stored": job.rows_stored, "rejected": job.rows_rejected},
        )
    return job


def import_job_submit(
    *, actor: Any, upload: UploadedFile, dry_run: bool, all_or_nothing: bool
) -> ImportJob:
    """Keep the uploaded file under a random name and queue the import."""
    require_permission("organization.import", actor)
    if upload.size and upload.size > settings.SERVICEPARK_IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.")
            % {"mb": settings.SERVICEPARK_IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    target = _import_dir() / f"{uuid.uuid4().hex}.upload"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    # A file that is plainly not an import (another kind, encoding or set of columns, or no
    # rows) is refused at once rather than failing later on the job's page.
    try:
        import_file_check(target)
    except UnusableFile as exc:
        target.unlink(missing_ok=True)
        raise ValidationError(exc.message) from None
    job = import_job_start(
        actor=actor,
        path=target,
        original_name=upload.name or "upload",
        dry_run=dry_run,
        all_or_nothing=all_or_nothing,
    )
    job.state = ImportJob.State.QUEUED
    job.language = translation.get_language() or settings.LANGUAGE_CODE
    job.save(update_fields=["state", "language"])
    job_id = job.pk
    transaction.on_commit(lambda: run_import_job.enqueue(job_id))
    return job


@task()
def run_import_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("actor").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        _run(job)


def _run(job: ImportJob) -> None:
    job_id = job.pk
    ImportJob.objects.filter(pk=job_id).update(state=ImportJob.State.RUNNING)
    errors_path = Path(job.stored_path).with_suffix(".errors.csv")

    def progress(fraction: float, outcome: ImportOutcome) -> None:
        ImportJob.objects.filter(pk=job_id).update(
            bytes_done=int(fraction * job.size_bytes),
            rows_total=outcome.rows_total,
            rows_stored=outcome.rows_stored,
            rows_rejected=outcome.rows_rejected,
        )

    with errors_path.open("w", encoding="utf-8", newline="") as out:
        outcome = organizations_import(
            actor=job.actor,
            path=Path(job.stored_path),
            job=job,
            errors_out=out,
            dry_run=job.dry_run,
            all_or_nothing=job.all_or_nothing,
            on_progress=progress,
        )
    job.errors_path = str(errors_path)
    job.save(update_fields=["errors_path"])
    import_job_finish(job=job, outcome=outcome)


def import_jobs_recover(*, actor: Any) -> list[ImportJob]:
    """Mark stalled running jobs (no heartbeat for SERVICEPARK_IMPORT_STALL_MINUTES) as interrupted,
    audited, so nobody waits for them. Their stored batches stay; importing the file again
    stores the rest and reports the stored rows as duplicates."""
    marked = []
    with transaction.atomic():
        for job in ImportJob.objects.select_for_update().filter(
            state=ImportJob.State.RUNNING, updated_at__lt=ImportJob.stall_cutoff()
        ):
            before = job.state
            job.state = ImportJob.State.INTERRUPTED
            with translation.override(job.language or settings.LANGUAGE_CODE):
                job.message = _(
                    "The import stopped before the end; %(stored)d rows had been stored. Import "
                    "the file again: rows already stored will be reported as duplicates."
                ) % {"stored": job.rows_stored}
            job.finished_at = timezone.now()
            job.save(update_fields=["state", "message", "finished_at", "updated_at"])
            audit_record(
                actor=actor,
                action="import.interrupted",
                obj=job,
                before={"state": before},
                after={"state": job.state, "stored": job.rows_stored},
            )
            marked.append(job)
    return marked


def copy_errors(job: ImportJob, out: Any) -> None:
    with Path(job.errors_path).open("rb") as src:
        shutil.copyfileobj(src, out)
