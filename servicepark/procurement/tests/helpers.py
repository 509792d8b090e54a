"""Small builders shared by the procurement tests."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from servicepark.procurement.services.attachments import attachment_add

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "document.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def attach_required(actor, application) -> None:
    """Attach a small PDF for each document the call requires."""
    for label in application.call.required_documents:
        attachment_add(
            actor=actor, application=application, upload=pdf(f"{label}.pdf"), label=label
        )


def close(call) -> None:
    """Move the call's deadline one second into the past (the window is over)."""
    import datetime as dt

    from django.utils import timezone

    from servicepark.procurement.models import Call

    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    call.refresh_from_db()
