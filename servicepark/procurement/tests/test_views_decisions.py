"""The pages of applying, screening, judging and deciding: who may see and do what, and
that bad input comes back as a message with nothing changed."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicepark.accounts.tests.factories import make_user
from servicepark.procurement.models import Application, ApplicationVersion, Attachment, Decision
from servicepark.procurement.services.decisions import decision_propose, decision_publish, vote_cast
from servicepark.procurement.tests.helpers import PDF
from servicepark.procurement.tests.test_decisions import scored  # noqa: F401  (fixture)
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def form_data(**overrides):
    data = {
        "title": "社区长者关爱",
        "summary": "为独居老人提供上门探访",
        "beneficiaries": "独居老人 200 人",
        "targets": "每月探访 800 人次",
        "activities": "上门探访\n健康讲座",
        "leading_group": "王晓明",
        "advisory_board": "高教授",
        "project_office": "李四",
        "line0_item": "人员费用",
        "line0_requested": "100000.00",
        "line0_source": "基金会",
        "line0_matching": "50000.00",
    }
    data.update(overrides)
    return data


@pytest.mark.smoke
def test_an_organization_applies_through_the_pages(client, call, spina):
    org, admin = spina
    client.force_login(admin)
    page = client.get(f"/calls/{call.pk}/").content.decode()
    assert 'id="apply"' in page
    response = client.post(f"/calls/{call.pk}/apply/", {"organization": org.pk})
    app = Application.objects.get()
    assert response.url == f"/applications/{app.pk}/"
    client.post(f"/applications/{app.pk}/", form_data(line0_requested="abc"))
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert "budget line 1" in page  # the bad amount is named before submitting
    for label in call.required_documents:
        client.post(
            f"/applications/{app.pk}/attachments/",
            {"label": label, "file": SimpleUploadedFile(f"{label}.pdf", PDF)},
        )
    fake = SimpleUploadedFile("方案.pdf", b"MZ" + b"\x00" * 500)
    page = client.post(
        f"/applications/{app.pk}/attachments/", {"label": "方案", "file": fake}, follow=True
    ).content.decode()
    assert "not a PDF, image or Office document" in page
    assert Attachment.objects.count() == len(call.required_documents)
    data = form_data(action="submit", submission_key="k1")
    client.post(f"/applications/{app.pk}/", data)
    client.post(f"/applications/{app.pk}/", data)  # a double click
    assert ApplicationVersion.objects.count() == 1
    app.refresh_from_db()
    assert app.state == "submitted" and str(app.requested_total) == "100000.00"
    download = client.get(f"/attachments/{Attachment.objects.first().pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    other = make_user("org_admin", organization=make_org(name="别家机构"))
    client.force_login(other)
    assert client.get(f"/applications/{app.pk}/").status_code == 404
    assert client.get(f"/attachments/{Attachment.objects.first().pk}/").status_code == 404


def test_run_the_call_pages_are_for_the_purchaser_and_center(client, scored):  # noqa: F811
    call, buyer, apps, group, experts = scored
    assert client.get(f"/calls/{call.pk}/manage/").status_code == 302  # to the login page
    client.force_login(make_user("org_admin", organization=apps[0].organization))
    assert client.get(f"/calls/{call.pk}/manage/").status_code == 403
    client.force_login(make_user("center_staff", division="510100"))
    page = client.get(f"/calls/{call.pk}/manage/").content.decode()
    assert "甲社工中心" in page and 'id="propose"' not in page  # screens, does not decide
    client.force_login(buyer)
    page = client.get(f"/calls/{call.pk}/manage/").content.decode()
    assert 'id="propose"' in page and "3 of 3 scored" in page
    bad = client.post(
        f"/calls/{call.pk}/manage/propose/",
        {"min_per_field": "environment: 1000000"},
        follow=True,
    ).content.decode()
    assert "field minimums add up to 1000000.00" in bad and not Decision.objects.exists()
    client.post(f"/calls/{call.pk}/manage/propose/", {"max_per_organization": "1"})
    decision = Decision.objects.get()
    client.force_login(group[0])
    assert client.get(f"/decisions/{decision.pk}/").status_code == 200
    client.post(f"/decisions/{decision.pk}/vote/", {"choice": "approve"})
    client.force_login(group[1])
    client.post(f"/decisions/{decision.pk}/vote/", {"choice": "approve"})
    assert Decision.objects.get().state == "approved"
    client.force_login(buyer)
    response = client.post(f"/decisions/{decision.pk}/publish/")
    assert response.url == f"/bulletins/{decision.pk}/"


def test_bulletins_are_public_and_objections_need_an_account(client, scored):  # noqa: F811
    call, buyer, apps, group, _experts = scored
    decision = decision_propose(actor=buyer, call=call)
    assert client.get(f"/bulletins/{decision.pk}/").status_code == 404  # not yet published
    for member in group[:2]:
        vote_cast(actor=member, decision=decision, choice="approve")
    decision_publish(actor=buyer, decision=Decision.objects.get(pk=decision.pk))
    listing = client.get("/bulletins/").content.decode()
    assert call.title in listing
    page = client.get(f"/bulletins/{decision.pk}/").content.decode()
    assert "甲社工中心" in page and "450,000.00" in page
    for expert in _experts:
        # Jurors stay anonymous. The page's random CSRF tokens (in the htmx headers and in the
        # forms' hidden inputs) are left out: they may contain "e0".
        visible = re.sub(r'"X-CSRFToken": "[^"]*"', "", page)
        visible = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", visible)
        assert expert.user.username not in visible
    assert client.post(f"/bulletins/{decision.pk}/objections/", {"text": "x"}).status_code == 302
    assert not decision.objections.exists()
    client.force_login(make_user("org_admin", organization=apps[2].organization))
    client.post(f"/bulletins/{decision.pk}/objections/", {"text": "评分有误"})
    assert decision.objections.get().organization == apps[2].organization


def test_an_expert_scores_on_the_page_once_and_within_range(client, call, spina):
    from servicepark.procurement.services.jury import jury_assign
    from servicepark.procurement.services.screening import application_screen
    from servicepark.procurement.tests.helpers import close
    from servicepark.procurement.tests.test_jury import expert, submitted

    app = submitted(call, "评分组织")
    experts = [expert(f"p{i}") for i in range(3)]
    buyer = make_user("purchaser", division="510100")
    application_screen(actor=buyer, application=app, passed=True)
    close(call)
    jury_assign(actor=buyer, call=call)
    sheet = app.assignments.get(expert=experts[0])
    client.force_login(experts[1].user)
    assert client.get(f"/reviews/{sheet.pk}/").status_code == 404  # not theirs
    client.force_login(experts[0].user)
    page = client.get("/reviews/").content.decode()
    assert f"/reviews/{sheet.pk}/" in page
    bad = client.post(
        f"/reviews/{sheet.pk}/", {"score_need": "31", "score_design": "1", "score_capacity": "1"}
    )
    assert bad.status_code == 200  # the sheet comes back with what was typed
    assert "takes a whole number from 0 to 30" in bad.content.decode()
    sheet.refresh_from_db()
    assert sheet.submitted_at is None
    client.post(
        f"/reviews/{sheet.pk}/", {"score_need": "20", "score_design": "30", "score_capacity": "20"}
    )
    sheet.refresh_from_db()
    assert sheet.scores == {"need": 20, "design": 30, "capacity": 20}


def test_a_purchaser_opens_a_call_through_the_form(client, call):
    buyer = make_user("purchaser", division="510100")
    client.force_login(buyer)
    assert 'id="open-call"' in client.get("/calls/").content.decode()
    data = {
        "purchaser": call.purchaser.pk,
        "kind": "purchase",
        "off_catalogue_reason": "新增需求",
        "method": "public_tender",
        "title": "社区心理支持服务",
        "total_budget": "100000.00",
        "per_project_min": "0",
        "per_project_cap": "200000.00",  # above the budget
        "matching_percent": "50",
        "min_years": "0",
        "rubric": "需求分析: 40\n项目设计: 60",
        "jury_size": "3",
        "opens_at": "2030-01-01T09:00:00",
        "closes_at": "2030-02-01T17:00:00",
        "objection_days": "7",
        "fields_of_service": ["community"],
    }
    page = client.post("/calls/new/", data).content.decode()
    assert "within the total budget" in page
    bad_rubric = client.post("/calls/new/", {**data, "rubric": "需求分析 40"}).content.decode()
    assert "criterion: points" in bad_rubric
    count = type(call).objects.count()
    response = client.post("/calls/new/", {**data, "per_project_cap": "50000.00"})
    created = type(call).objects.exclude(pk=call.pk).get()
    assert type(call).objects.count() == count + 1 and response.url == f"/calls/{created.pk}/"
    assert created.matching_ratio == 0.5 and created.rubric[1]["max_points"] == 60
    assert created.closes_at.hour == 9  # 17:00 Beijing time is 09:00 UTC
    client.post(f"/calls/{created.pk}/publish/")
    created.refresh_from_db()
    assert created.state == "published"
    client.force_login(make_user("org_admin", organization=make_org(name="无关机构")))
    assert client.get("/calls/new/").status_code == 403


def test_the_decisions_on_the_run_page_link_only_for_those_who_may_open_them(client, scored):  # noqa: F811
    call, buyer, apps, group, _experts = scored
    decision = decision_propose(actor=buyer, call=call)
    link = f'href="/decisions/{decision.pk}/"'
    center = make_user("center_staff", division="510100")
    client.force_login(center)
    page = client.get(f"/calls/{call.pk}/manage/").content.decode()
    assert "Round 1" in page and link not in page  # shown, not linked: they would get 403
    assert client.get(f"/decisions/{decision.pk}/").status_code == 403
    client.force_login(buyer)
    assert link in client.get(f"/calls/{call.pk}/manage/").content.decode()
    assert client.get(f"/decisions/{decision.pk}/").status_code == 200


def test_the_attachment_form_labels_have_no_ascii_colon(client, call, spina):
    org, admin = spina
    client.force_login(admin)
    client.post(f"/calls/{call.pk}/apply/", {"organization": org.pk})
    app = Application.objects.get()
    client.cookies["django_language"] = "zh-hans"
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert '<label for="id_file">文件（PDF、图片或 Office 文档，不超过 20 MB）</label>' in page
    assert '<label for="id_label">材料名称</label>' in page
    assert "）:" not in page


def test_the_review_page_punctuates_by_language_and_capitalises_the_grade(client, call):
    from django.utils import timezone

    from servicepark.oversight.tests.rules.builders import contract
    from servicepark.procurement.models import Evaluation
    from servicepark.procurement.services.jury import jury_assign
    from servicepark.procurement.tests.helpers import close
    from servicepark.procurement.tests.test_jury import expert, submitted

    app = submitted(call, "评分组织")
    done = contract(app.organization)
    Evaluation.objects.create(
        contract=done,
        evaluator=make_org(name="评估所"),
        grade="good",
        total=83,
        submitted_at=timezone.now(),
    )
    experts = [expert(f"p{i}") for i in range(3)]
    close(call)
    jury_assign(actor=make_user("purchaser", division="510100"), call=call)
    sheet = app.assignments.get(expert=experts[0])
    client.force_login(experts[0].user)
    page = client.get(f"/reviews/{sheet.pk}/").content.decode()
    assert f"{done.title} ({done.number}): Good, 83.00 — 评估所" in page
    assert "（" not in page and "：" not in page
    client.cookies["django_language"] = "zh-hans"
    page = client.get(f"/reviews/{sheet.pk}/").content.decode()
    assert f"{done.title}（{done.number}）：良好，83.00 — 评估所" in page


def test_applications_read_as_the_list_or_the_period_by_their_place(client, call, spina):
    org, admin = spina
    client.force_login(admin)
    client.post(f"/calls/{call.pk}/apply/", {"organization": org.pk})
    client.cookies["django_language"] = "zh-hans"
    listing = client.get("/applications/").content.decode()
    assert "<h1>申报书</h1>" in listing and ">申报书</a>" in listing  # the heading and the nav
    assert "申报期" not in listing
    assert "<dt>申报期</dt>" in client.get(f"/calls/{call.pk}/").content.decode()


def test_applying_for_something_that_is_not_an_organization_gets_a_message(client, call, spina):
    _org, admin = spina
    client.force_login(admin)
    for bad in ("abc", "99999999999999999999", ""):
        page = client.post(f"/calls/{call.pk}/apply/", {"organization": bad}, follow=True)
        assert page.status_code == 200
        assert "Choose one of the organizations listed." in page.content.decode(), bad
    assert not Application.objects.exists()
