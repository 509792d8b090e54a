"""Officials import from the web: upload, progress page, error report download."""

import csv
import io

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


def test_htmx_poll_returns_the_progress_fragment(official, upload):
    upload(official, ",".join(COLUMNS) + "\n")
    job = ImportJob.objects.get()
    fragment = official.get(f"/registry/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<div") and "<html" not in fragment
    assert 'data-state="failed"' in fragment


def test_others_cannot_see_a_job_or_import(client, official, upload):
    upload(official, ",".join(COLUMNS) + "\n")
    job = ImportJob.objects.get()
    client.logout()
    make_user("official", division="310107", username="sh")
    client.login(username="sh", password=PASSWORD)
    assert client.get(f"/registry/import/{job.pk}/").status_code == 404
    client.logout()
    make_user("auditor", division="510000", username="aud")
    client.login(username="aud", password=PASSWORD)
    assert client.get("/registry/import/").status_code == 403
