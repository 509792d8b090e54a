"""Attachments to applications: at most 20 MB, type sniffed from the content (libmagic), the
name the uploader chose never used on disk, served only as a download."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath
from typing import Any

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record
from servicepark.common.permissions import require_permission
from servicepark.procurement.models import Application, Attachment
from servicepark.procurement.services.applications import window_open

OOXML = "application/vnd.openxmlformats-officedocument."
# Sniffed type → the file-name extensions that may carry it.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.ms-powerpoint": (".ppt",),
    OOXML + "wordprocessingml.document": (".docx",),
    OOXML + "spreadsheetml.sheet": (".xlsx",),
    OOXML + "presentationml.presentation": (".pptx",),
}
SNIFF_BYTES = 256 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "SERVICEPARK_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def sniff(head: bytes) -> str:
    """The MIME type libmagic reads from the first bytes of a file."""
    return str(magic.from_buffer(head, mime=True))


def check_upload(name: str, size: int, head: bytes) -> str:
    """The sniffed type of an acceptable upload; raises with the reason otherwise."""
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    kind = sniff(head)
    extension = PurePosixPath(name.lower()).suffix
    allowed = ALLOWED_TYPES.get(kind)
    if allowed is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a PDF, image or Office document (its content is %(kind)s); "
                "it was not stored."
            )
            % {"name": name, "kind": kind}
        )
    if extension not in allowed:
        raise ValidationError(
            _("“%(name)s” is named %(ext)s but its content is %(kind)s; it was not stored.")
            % {"name": name, "ext": extension or _("without an extension"), "kind": kind}
        )
    return kind


def _clean_name(name: str) -> str:
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return cleaned[:200] or "file"


def attachment_add(
    *, actor: Any, application: Application, upload: UploadedFile, label: str
) -> Attachment:
    label = (label or "").strip()
    if not label or len(label) > 100 or "\x00" in label:
        raise ValidationError(_("Say which document this is (at most 100 characters)."))
    name = _clean_name(upload.name or "")
    size = int(upload.size or 0)
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    kind = check_upload(name, size, head)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        application_id=application.pk,
        label=label,
        original_name=name,
        content_type=kind,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.save("upload", upload, save=False)
    try:
        with transaction.atomic():
            locked = (
                Application.objects.select_for_update()
                .select_related("call")
                .get(pk=application.pk)
            )
            require_permission("application.edit", actor, locked)
            window_open(locked.call)
            if locked.state == Application.State.WITHDRAWN:
                raise ValidationError(_("A withdrawn application cannot be changed."))
            attachment.save()
            audit_record(
                actor=actor,
                action="application.attach",
                obj=locked,
                after={
                    "label": label,
                    "name": name,
                    "type": kind,
                    "size": size,
                    "sha256": attachment.sha256,
                },
            )
    except BaseException:
        # Nothing half-done: the stored file goes when the row is not written.
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    """Take a document off the draft. Versions already submitted keep listing it, so the
    file and its row stay; only the draft stops showing it."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("call")
            .get(pk=attachment.application_id)
        )
        require_permission("application.edit", actor, locked)
        window_open(locked.call)
        row = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if row.removed_at is not None:
            raise ValidationError(_("This document was already removed."))
        row.removed_at = timezone.now()
        row.save(update_fields=["removed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="application.detach",
            obj=locked,
            before={"label": row.label, "name": row.original_name, "sha256": row.sha256},
        )
