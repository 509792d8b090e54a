import dataclasses

import pytest

from servicepark.accounts.tests.factories import make_user
from servicepark.procurement.services.calls import call_create, call_publish
from servicepark.procurement.services.catalogue import purchaser_create
from servicepark.procurement.tests.test_calls import data as call_data
from servicepark.registry.tests.factories import make_org


@pytest.fixture
def call():
    """A published, open off-catalogue purchase call for elderly care in Chengdu (2 years,
    direct/attached)."""
    official = make_user("official", division="510100")
    buyer = make_user("purchaser", division="510100")
    purchaser = purchaser_create(
        actor=official, name="成都市民政局", kind="civil_affairs", division_code="510100"
    )
    data = dataclasses.replace(
        call_data(None),
        off_catalogue_reason="试点",
        fields=["elderly"],
        eligibility={"kinds": ["direct", "attached"], "min_years": 2, "within": "510100"},
    )
    created = call_create(actor=buyer, purchaser=purchaser, data=data)
    return call_publish(actor=buyer, call=created)


@pytest.fixture
def spina():
    """An eligible Chengdu organization and its admin."""
    org = make_org(
        name="成都高新区推动力公益发展中心", division_code="510107019", founded_on="2009-06-01"
    )
    return org, make_user("org_admin", organization=org)
