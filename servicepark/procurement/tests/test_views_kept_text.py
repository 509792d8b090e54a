"""A refused vote, objection or answer to an objection comes back with the message and what
was typed (in the form, or to copy where the form is gone), and stores nothing."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.common.models import AuditEvent
from servicepark.procurement.models import Decision, Objection, Vote
from servicepark.procurement.services.bulletins import objection_answer, objection_file
from servicepark.procurement.services.decisions import decision_propose, decision_publish, vote_cast
from servicepark.procurement.tests.test_decisions import apply, scored  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NOT_STORED = "What you typed was not stored"


def stored():
    return [
        list(m.objects.order_by("pk").values()) for m in (Decision, Vote, Objection, AuditEvent)
    ]


def refused(client, url, data):
    """POST and the page answered: the form again, not a redirect."""
    response = client.post(url, data)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def proposed(scored):  # noqa: F811
    call, buyer, apps, group, _experts = scored
    return decision_propose(actor=buyer, call=call), buyer, apps, group


@pytest.fixture
def published(proposed):
    decision, buyer, apps, group = proposed
    for member in group[:2]:
        decision = vote_cast(actor=member, decision=decision, choice="approve")
    return decision_publish(actor=buyer, decision=decision), buyer, apps, group


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"choice": "maybe", "comment": "预算偏高，需再议"}, "Vote “approve” or “reject”."),
        ({"choice": "reject", "comment": "预算偏高\x00"}, "at most 2,000 characters"),
        ({"choice": "reject", "comment": "预算偏高" * 501}, "at most 2,000 characters"),
    ],
)
def test_a_refused_vote_keeps_the_comment(client, proposed, data, message):
    decision, _buyer, _apps, group = proposed
    client.force_login(group[0])
    before = stored()
    page = refused(client, f"/decisions/{decision.pk}/vote/", data)
    assert message in page and "Your vote is recorded." not in page
    comment = data["comment"].replace("\x00", "")
    assert f'value="{comment}"' in page  # in the comment box of the vote form
    if data["choice"] == "reject":
        assert 'value="reject" checked' in page
    assert stored() == before


def test_a_vote_refused_once_voting_closed_keeps_the_comment_to_copy(client, proposed):
    decision, _buyer, _apps, group = proposed
    for member in group[:2]:
        vote_cast(actor=member, decision=decision, choice="approve")
    client.force_login(group[2])
    before = stored()
    data = {"choice": "reject", "comment": "资质材料不全"}
    page = refused(client, f"/decisions/{decision.pk}/vote/", data)
    assert "Voting on this proposal is closed." in page
    assert NOT_STORED in page and ">资质材料不全</textarea>" in page
    assert stored() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("评分有误\x00请复核", "must be plain text of at most 5,000 characters"),
        ("评分有误" * 1251, "must be plain text of at most 5,000 characters"),
    ],
)
def test_a_refused_objection_keeps_the_text(client, published, text, message):
    decision, _buyer, apps, _group = published
    client.force_login(make_user("org_admin", organization=apps[2].organization))
    before = stored()
    page = refused(client, f"/bulletins/{decision.pk}/objections/", {"text": text})
    assert message in page and "Your objection is filed" not in page
    assert f">{text.replace(chr(0), '')}</textarea>" in page
    assert stored() == before


def test_an_objection_after_the_period_keeps_the_text_to_copy(client, published):
    decision, _buyer, apps, _group = published
    Decision.objects.filter(pk=decision.pk).update(
        objection_ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    client.force_login(make_user("org_admin", organization=apps[2].organization))
    before = stored()
    page = refused(client, f"/bulletins/{decision.pk}/objections/", {"text": "评分有误，请复核。"})
    assert "The objection period for this result is over." in page
    assert NOT_STORED in page and ">评分有误，请复核。</textarea>" in page
    assert 'name="text"' not in page  # no form to file it with
    assert stored() == before


def test_markup_typed_in_an_objection_comes_back_escaped(client, published):
    decision, _buyer, apps, _group = published
    client.force_login(make_user("org_admin", organization=apps[2].organization))
    text = "<script>alert(1)</script>" * 300
    response = client.post(f"/bulletins/{decision.pk}/objections/", {"text": text})
    assert "<script>alert(1)" not in response.content.decode()
    assert "&lt;script&gt;alert(1)" in response.content.decode()
    assert not Objection.objects.exists()


@pytest.fixture
def objection(published):
    decision, buyer, apps, _group = published
    objector = make_user("org_admin", organization=apps[2].organization)
    return objection_file(actor=objector, decision=decision, text="评分有误"), buyer


@pytest.mark.parametrize(
    "answer",
    ["经复核评分无误\x00", "经复核评分无误" * 715],
)
def test_a_refused_answer_keeps_the_text(client, objection, answer):
    found, buyer = objection
    client.force_login(buyer)
    before = stored()
    page = refused(client, f"/objections/{found.pk}/answer/", {"answer": answer, "upheld": "1"})
    assert "The answer must be plain text of at most 5,000 characters." in page
    assert f">{answer.replace(chr(0), '')}</textarea>" in page
    assert 'name="upheld" value="1" checked' in page
    assert stored() == before


def test_an_answer_to_an_annulled_result_keeps_the_text(client, objection):
    found, buyer = objection
    decision = found.decision
    other = objection_file(
        actor=make_user("org_admin", organization=decision.awards.first().application.organization),
        decision=decision,
        text="程序有误",
    )
    objection_answer(actor=buyer, objection=other, answer="异议成立", upheld=True)
    client.force_login(buyer)
    before = stored()
    page = refused(client, f"/objections/{found.pk}/answer/", {"answer": "经复核评分无误"})
    assert "This result is no longer open to objections." in page
    assert ">经复核评分无误</textarea>" in page
    assert stored() == before


def test_an_answer_to_an_answered_objection_keeps_the_text_to_copy(client, objection):
    found, buyer = objection
    objection_answer(actor=buyer, objection=found, answer="评分无误", upheld=False)
    client.force_login(buyer)
    before = stored()
    page = refused(client, f"/objections/{found.pk}/answer/", {"answer": "另一份答复"})
    assert "This objection has already been answered." in page
    assert NOT_STORED in page and ">另一份答复</textarea>" in page
    assert stored() == before
