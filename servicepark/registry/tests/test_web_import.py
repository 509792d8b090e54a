"""Officials import from the web: upload, progress page, error report download."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicepark.accounts.tests.factories import PASSWORD, make_user
from servicepark.registry.models import ImportJob, Organization
from servicepark.registry.tests.factories import valid_uscc
from servicepark.registry.validation import COLUMNS

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Queued work starts after commit; these tests run inside one transaction, so the commit
    callbacks are run when the request ends (the test task backend runs the import inline)."""

    def post(client, text: str, **options):
        data = {"file": SimpleUploadedFile("名单.csv", text.encode("gbk"), "text/csv"), **options}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/registry/import/", data)

    return post


@pytest.fixture
def official(client):
    make_user("official", division="510100", username="off")
    client.login(username="off", password=PASSWORD)
    return client


@pytest.mark.smoke
def test_upload_progress_and_error_report(official, upload):
    tail = "social_service_agency,direct,{},,李明,2015-01-01,community,,"
    good = f"{valid_uscc()},,成都市武侯区晨曦社区服务中心,," + tail.format("510107019")
    outside = f"{valid_uscc()},,上海某中心,," + tail.format("310107015")
    bad = "abc,,坏数据,,social_service_agency,direct,510107019,,,,,,"
    response = upload(official, "\n".join([",".join(COLUMNS), good, outside, bad]) + "\n")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = official.get(response["Location"]).content.decode()
    assert 'data-state="done"' in page
    assert job.original_name == "名单.csv"
    report = official.get(f"/registry/import/{job.pk}/errors.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert {(r["row"], r["code"]) for r in rows} == {
        ("3", "outside_jurisdiction"),
        ("4", "uscc_lowercase"),
    }
    assert Organization.objects.filter(name="成都市武侯区晨曦社区服务中心").exists()
    assert not Organization.objects.filter(name="上海某中心").exists()


def broken_past_its_start() -> str:
    """A file whose start looks right and which breaks past what the upload check reads: its
    import fails in the background."""
    row = "abc,,某中心,,social_service_agency,direct,510107019,,,,,,\n"
    return ",".join(COLUMNS) + "\n" + row * 1200 + "\x00\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "空文件"),  # Django's own check
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "二进制"),
        ("名称,地址\n某中心,成都\n".encode("gbk"), "缺少列"),
        ((",".join(COLUMNS) + "\n").encode(), "没有数据行"),
        (b"PK\x03\x04 not really a workbook", "XLSX"),
        ("\ufeff名称".encode("utf-16"), "UTF-16"),
    ],
    ids=["empty", "image", "wrong-columns", "header-only", "fake-xlsx", "utf-16"],
)
def test_an_upload_that_is_not_an_import_is_refused_at_once(official, body, message, settings):
    imports = Path(settings.MEDIA_ROOT) / "imports"
    before = set(imports.iterdir()) if imports.exists() else set()
    response = official.post(
        "/registry/import/", {"file": SimpleUploadedFile("名单.csv", body, "text/csv")}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in e for e in errors), errors
    assert not ImportJob.objects.exists()
    assert (set(imports.iterdir()) if imports.exists() else set()) == before


def test_htmx_poll_returns_the_progress_fragment(official, upload):
    upload(official, broken_past_its_start())
    job = ImportJob.objects.get()
    fragment = official.get(f"/registry/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<div") and "<html" not in fragment
    assert 'data-state="failed"' in fragment


def test_others_cannot_see_a_job_or_import(client, official, upload):
    upload(official, broken_past_its_start())
    job = ImportJob.objects.get()
    client.logout()
    make_user("official", division="310107", username="sh")
    client.login(username="sh", password=PASSWORD)
    assert client.get(f"/registry/import/{job.pk}/").status_code == 404
    client.logout()
    make_user("auditor", division="510000", username="aud")
    client.login(username="aud", password=PASSWORD)
    assert client.get("/registry/import/").status_code == 403


def test_an_import_whose_process_died_says_so_and_is_marked_interrupted(official, tmp_path):
    """A job left "running" by a killed process stops polling once it has had no heartbeat
    for the stall period, explains what to do, and `servicepark serve` marks it interrupted."""
    import datetime as dt

    from django.utils import timezone

    from servicepark.common.actors import SystemActor
    from servicepark.common.models import AuditEvent
    from servicepark.registry.services.import_jobs import import_job_start, import_jobs_recover

    path = tmp_path / "orgs.csv"
    path.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="off")
    job = import_job_start(actor=user, path=path, original_name="orgs.csv")
    done = import_job_start(actor=user, path=path, original_name="done.csv")
    ImportJob.objects.filter(pk=done.pk).update(state="done")
    ImportJob.objects.filter(pk=job.pk).update(rows_stored=400, language="en")
    page = official.get(f"/registry/import/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "hx-get" in page and "import-stalled" not in page  # still fresh: keeps polling
    assert import_jobs_recover(actor=SystemActor("t")) == []

    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    ImportJob.objects.filter(pk__in=[job.pk, done.pk]).update(updated_at=an_hour_ago)
    page = official.get(f"/registry/import/{job.pk}/").content.decode()
    assert "import-stalled" in page and "hx-get" not in page
    assert [j.pk for j in import_jobs_recover(actor=SystemActor("t"))] == [job.pk]
    job.refresh_from_db()
    assert job.state == "interrupted" and "400 rows had been stored" in job.message
    assert ImportJob.objects.get(pk=done.pk).state == "done"
    assert AuditEvent.objects.filter(action="import.interrupted", object_id=str(job.pk)).exists()
    page = official.get(f"/registry/import/{job.pk}/").content.decode()
    assert "400 rows had been stored" in page and "hx-get" not in page
