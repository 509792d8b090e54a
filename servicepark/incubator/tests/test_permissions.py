"""Every incubator permission rule, allowed and denied."""

import datetime as dt

import pytest
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.common.permissions import has_permission
from servicepark.incubator.models import Booking, Park, Residency, Space
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.smoke, pytest.mark.usefixtures("english")]


@pytest.fixture
def park():
    return Park.objects.create(name="服务园", division_id="510107")


def test_park_staff_manage_and_others_do_not(park):
    assert has_permission("park.manage", make_user("center_staff", division="510100"), park)[0]
    allowed, reason = has_permission(
        "park.manage", make_user("center_staff", division="370103"), park
    )
    assert not allowed and reason
    assert not has_permission("park.manage", make_user("official", division="510107"), park)[0]


def test_residents_book_outsiders_do_not(park):
    org = make_org()
    admin = make_user("org_admin", organization=org)
    assert not has_permission("park.book", admin, park)[0]
    Residency.objects.create(park=park, organization=org, proposal="x", state="incubating")
    assert has_permission("park.book", admin, park)[0]
    assert has_permission("park.book", make_user("center_staff", division="510107"), park)[0]
    partner = make_org(name="区残联下属服务社")
    partner_admin = make_user("org_admin", organization=partner)
    assert not has_permission("park.book", partner_admin, park)[0]
    park.partners.add(partner)
    assert has_permission("park.book", partner_admin, park)[0]


def test_residency_rules(park):
    org = make_org()
    residency = Residency.objects.create(park=park, organization=org, proposal="x")
    admin = make_user("org_admin", organization=org)
    staff = make_user("center_staff", division="510107")
    assert has_permission("residency.decide", staff, residency)[0]
    assert not has_permission("residency.decide", admin, residency)[0]
    assert has_permission("residency.leave", admin, residency)[0]
    assert not has_permission(
        "residency.leave", make_user("org_admin", organization=make_org()), residency
    )[0]
    assert has_permission("residency.apply", admin, org)[0]
    assert not has_permission("residency.apply", make_user("org_member", organization=org), org)[0]


def test_residency_score_rule_admits_the_panel_while_it_is_an_application(park):
    residency = Residency.objects.create(park=park, organization=make_org(), proposal="x")
    expert = make_user("expert", division="510107")
    assert has_permission("residency.score", expert, residency)[0]
    assert has_permission(
        "residency.score", make_user("center_staff", division="510107"), residency
    )[0]
    assert not has_permission("residency.score", make_user("expert", division="370103"), residency)[
        0
    ]
    assert not has_permission(
        "residency.score", make_user("org_admin", organization=residency.organization), residency
    )[0]
    residency.state = "incubating"
    assert not has_permission("residency.score", expert, residency)[0]
    assert has_permission("park.intake_panel", expert, park)[0]
    assert not has_permission("park.intake_panel", make_user("expert", division="370103"), park)[0]
    assert not has_permission("park.intake_panel", make_user("official", division="510107"), park)[
        0
    ]


def test_booking_cancel_rule(park):
    hall = Space.objects.create(park=park, name="大厅", kind="hall", capacity=100)
    org = make_org()
    booker = make_user("org_member", organization=org)
    start = timezone.now() + dt.timedelta(days=1)
    booking = Booking.objects.create(
        space=hall,
        organization=org,
        booked_by=booker,
        title="活动",
        start=start,
        end=start + dt.timedelta(hours=1),
        attendees=10,
    )
    assert has_permission("booking.cancel", booker, booking)[0]
    assert has_permission("booking.cancel", make_user("org_admin", organization=org), booking)[0]
    assert has_permission("booking.cancel", make_user("center_staff", division="510107"), booking)[
        0
    ]
    allowed, reason = has_permission(
        "booking.cancel", make_user("org_admin", organization=make_org()), booking
    )
    assert not allowed and "cancel" in reason
