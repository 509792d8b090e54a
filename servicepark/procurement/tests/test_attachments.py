"""Attachments: size limit, content sniffing, safe names, kept with submitted versions."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from servicepark.procurement.models import Attachment
from servicepark.procurement.services.applications import (
    application_save_draft,
    application_start,
    application_submit,
)
from servicepark.procurement.services.attachments import attachment_add, attachment_remove
from servicepark.procurement.tests.helpers import PDF, attach_required, pdf
from servicepark.procurement.tests.test_applications import content

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ" + b"\x90\x00" * 30 + b"\x00" * 60 + b"PE\x00\x00" + b"\x00" * 200


def docx() -> bytes:
    """The parts of a Word file that identify it (libmagic reads the zip's first entries)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def draft(call, spina):
    org, admin = spina
    app = application_start(actor=admin, call=call, organization=org)
    return app, admin


@pytest.mark.smoke
@pytest.mark.parametrize(
    ("name", "body", "needle"),
    [
        ("方案.pdf", ELF, "not a PDF, image or Office document"),
        ("方案.pdf", PE, "not a PDF, image or Office document"),
        ("方案.docx", PDF, "named .docx but its content is application/pdf"),
        ("空.pdf", b"", "empty"),
        ("大.pdf", PDF + b"0" * (20 * 1024 * 1024), "at most 20.0"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(draft, settings, name, body, needle):
    app, admin = draft
    files_before = set(settings.MEDIA_ROOT.rglob("*"))
    upload = SimpleUploadedFile(name, body, content_type="application/pdf")
    with pytest.raises(ValidationError) as err:
        attachment_add(actor=admin, application=app, upload=upload, label="项目实施方案")
    assert needle in err.value.messages[0]
    assert not Attachment.objects.exists()
    assert set(settings.MEDIA_ROOT.rglob("*")) == files_before


def test_good_files_are_stored_under_a_random_name(draft):
    app, admin = draft
    stored = attachment_add(
        actor=admin, application=app, upload=pdf("../../etc/passwd<>.pdf"), label="登记证书"
    )
    assert stored.content_type == "application/pdf" and stored.original_name == "passwd.pdf"
    assert "passwd" not in stored.file.name and stored.file.name.startswith("applications/")
    office = attachment_add(
        actor=admin,
        application=app,
        upload=SimpleUploadedFile("预算.docx", docx()),
        label="项目预算表",
    )
    assert office.content_type.endswith("wordprocessingml.document")


def test_submitted_versions_keep_their_documents(draft):
    app, admin = draft
    application_save_draft(actor=admin, application=app, content=content())
    attach_required(admin, app)
    first = application_submit(actor=admin, application=app, submission_key="1")
    old = app.attachments.get(label="登记证书")
    attachment_remove(actor=admin, attachment=old)
    attachment_add(actor=admin, application=app, upload=pdf("新证书.pdf"), label="登记证书")
    second = application_submit(actor=admin, application=app, submission_key="2")
    assert [d["name"] for d in first.content["attachments"]] == ["登记证书.pdf", "项目预算表.pdf"]
    assert [d["name"] for d in second.content["attachments"]] == ["项目预算表.pdf", "新证书.pdf"]
    assert Attachment.objects.filter(pk=old.pk).exists()  # still there for version 1
    with pytest.raises(ValidationError):
        attachment_remove(actor=admin, attachment=old)
