"""One run of a bulk import, from the web or the command line."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicepark.common.models import BaseModel


class ImportJob(BaseModel):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("file unusable")
        INTERRUPTED = "interrupted", _("stopped before the end")

    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    original_name = models.CharField(_("file name"), max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    bytes_done = models.BigIntegerField(default=0)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    dry_run = models.BooleanField(default=False)
    all_or_nothing = models.BooleanField(default=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_stored = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    errors_path = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The uploader's language: the background run writes its messages in it.
    language = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    @property
    def stalled(self) -> bool:
        """Queued or running, but no batch finished for SERVICEPARK_IMPORT_STALL_MINUTES: the
        process that ran it was stopped (or no worker is running)."""
        if self.state not in (self.State.QUEUED, self.State.RUNNING) or self.updated_at is None:
            return False
        return self.updated_at < self.stall_cutoff()

    @staticmethod
    def stall_cutoff() -> dt.datetime:
        """A job whose last heartbeat is older than this has stalled."""
        return timezone.now() - dt.timedelta(minutes=settings.SERVICEPARK_IMPORT_STALL_MINUTES)

    @property
    def percent(self) -> int:
        if self.state in (self.State.DONE, self.State.FAILED):
            return 100
        if not self.size_bytes:
            return 0
        return min(99, int(self.bytes_done * 100 / self.size_bytes))
