import datetime as dt

import pytest
from django.utils import timezone

from servicepark.oversight.models import Severity
from servicepark.oversight.rules import RULES
from servicepark.oversight.tests.rules.builders import (
    AS_OF,
    DAY,
    application,
    call,
    evaluate,
    explain,
    set_org,
    severity,
)
from servicepark.registry.models import Membership, Person
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "related_parties"


def org(rep, phone="", address=""):
    return set_org(make_org(legal_representative=rep), phone=phone, address=address)


def test_applicants_sharing_phone_and_address(english):
    first = org("王芳", phone="028-8888 1234", address="成都市武侯区 长寿路 1 号")
    second = org("李强", phone="02888881234", address="成都市武侯区长寿路1号")
    third = org("赵敏", phone="028-6666 0000", address="成都市锦江区春熙路 9 号")
    bid = call(title="社区养老服务项目", closes_on=AS_OF - 100 * DAY)
    apps = {o.pk: application(bid, o) for o in (first, second, third)}
    hits = {(h.organization_id, h.key): h for h in evaluate(RULE)}
    assert sorted(hits) == sorted(
        [(first.pk, f"call:{bid.pk}:{second.pk}"), (second.pk, f"call:{bid.pk}:{first.pk}")]
    )
    hit = hits[first.pk, f"call:{bid.pk}:{second.pk}"]
    assert severity(RULE, hit) == Severity.HIGH
    assert [e["id"] for e in hit.evidence] == [bid.pk, apps[first.pk].pk, apps[second.pk].pk]
    assert explain(RULE, hit) == (
        f"In the call “社区养老服务项目”, this organization and {second.name} both applied and "
        "share the phone number 02888881234; the address 成都市武侯区长寿路1号: they may not be "
        "competing independently."
    )


def test_same_legal_representative_or_person_on_both_boards(english):
    first, second, third = org("王芳"), org("王 芳"), org("赵敏")
    person = Person.objects.create(name="陈静")
    for o, role in ((second, "board_member"), (third, "director")):
        Membership.objects.create(person=person, organization=o, role=role)
    bid = call()
    for o in (first, second, third):
        application(bid, o)
    hits = {(h.organization_id, h.key): h for h in evaluate(RULE)}
    assert set(hits) == {
        (first.pk, f"call:{bid.pk}:{second.pk}"),
        (second.pk, f"call:{bid.pk}:{first.pk}"),
        (second.pk, f"call:{bid.pk}:{third.pk}"),
        (third.pk, f"call:{bid.pk}:{second.pk}"),
    }
    assert hits[first.pk, f"call:{bid.pk}:{second.pk}"].params["shared"] == {
        "legal_representative": ["王 芳"]
    }
    assert explain(RULE, hits[third.pk, f"call:{bid.pk}:{second.pk}"]) == (
        f"In the call “{bid.title}”, this organization and {second.name} both applied and "
        "share 陈静 as legal representative, board member or director of both: they may not be "
        "competing independently."
    )


def test_near_misses_do_not_fire():
    first, second = org("王芳", phone="028-8888 1234"), org("李强", phone="028-8888 1234")
    third, fourth = org("赵敏"), org("孙丽")
    person = Person.objects.create(name="陈静")
    Membership.objects.create(person=person, organization=third, role="board_member")
    Membership.objects.create(
        person=person, organization=fourth, role="director", ended_on=AS_OF - DAY
    )
    Membership.objects.create(person=person, organization=first, role="staff")
    old = call(closes_on=AS_OF - 366 * DAY)  # deadline more than a year ago
    application(old, first)
    application(old, second)
    bid = call()
    application(bid, first)
    application(bid, second, state="draft")
    application(bid, third)
    application(bid, fourth)
    other = call()
    application(other, second)
    assert evaluate(RULE) == []


def test_incremental_run_reports_only_its_organizations():
    first, second, third = org("王芳"), org("王芳"), org("赵敏")
    bid = call()
    for o in (first, second, third):
        application(bid, o)
    assert evaluate(RULE, third) == []
    assert [(h.organization_id, h.key) for h in evaluate(RULE, first)] == [
        (first.pk, f"call:{bid.pk}:{second.pk}")
    ]


def test_a_saved_application_refreshes_every_applicant_to_the_call():
    first, second, third, elsewhere = org("王芳"), org("李强"), org("赵敏"), org("孙丽")
    bid = call(closes_on=timezone.localdate() + dt.timedelta(days=10))
    apps = [application(bid, o) for o in (first, second, third)]
    application(call(closes_on=timezone.localdate()), elsewhere)
    rule = RULES[RULE]
    assert rule.organizations_touched(apps[0]) == {first.pk, second.pk, third.pk}
    assert rule.organizations_touched(first) == {first.pk, second.pk, third.pk}
    assert rule.organizations_touched(elsewhere) == {elsewhere.pk}
