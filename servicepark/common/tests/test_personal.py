"""Individuals' phone and ID numbers: encrypted at rest, masked on pages, revealed only to
roles that need them with a reason, and every reveal audited."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.db import connection

from servicepark.accounts.tests.factories import make_user
from servicepark.common.models import AuditEvent
from servicepark.common.personal import (
    _fernet,
    digest,
    encrypt_column,
    mask_id_number,
    mask_name,
    mask_phone,
)
from servicepark.procurement.models import Voucher
from servicepark.procurement.services.vouchers import voucher_scheme_create, vouchers_issue
from servicepark.procurement.tests.conftest import call, spina  # noqa: F401  (fixtures)
from servicepark.procurement.tests.money_fixtures import (  # noqa: F401  (fixtures)
    awarded,
    contract_input,
    provider_admin,
    sign_and_start,
)
from servicepark.procurement.tests.test_decisions import scored  # noqa: F401  (fixture)
from servicepark.registry.models import Person
from servicepark.registry.services.people import membership_add
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PHONE = "13800280002"
ID_NUMBER = "11010519491231002X"


def raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def everything_audited() -> str:
    return json.dumps(
        [[e.patch, e.context] for e in AuditEvent.objects.all()],
        ensure_ascii=False,
    )


@pytest.fixture
def person_in_org():
    org = make_org(name="绿芽社工中心", division_code="510107019")
    official = make_user("official", division="510107")
    membership = membership_add(
        actor=official, organization=org, name="高建", role="board_member", phone=PHONE
    )
    return org, official, membership


@pytest.mark.smoke
def test_masks_show_enough_to_recognise_and_no_more():
    assert mask_phone("13800280002") == "138****0002"
    assert mask_phone("028-85123456") == "028-****3456"
    assert mask_id_number(ID_NUMBER) == "110105********002X"
    assert mask_name("张桂兰") == "张**" and mask_name("欧阳娜娜") == "欧阳**"
    assert mask_phone("") == mask_id_number("") == ""


@pytest.mark.smoke
def test_a_phone_is_stored_encrypted_and_found_again_by_its_digest(person_in_org):
    org, official, membership = person_in_org
    stored = raw("registry_person", "phone")
    assert stored[0].startswith("gAAAAA") and PHONE not in stored[0]
    assert Person.objects.get().phone == PHONE
    other = make_org(name="青柠公益", division_code="510107019")
    again = membership_add(
        actor=official, organization=other, name="高建", role="advisor", phone="138 0028 0002"
    )
    assert again.person_id == membership.person_id  # the same person, across organizations
    assert Person.objects.get().phone_digest == digest(PHONE, "phone")
    assert PHONE not in everything_audited()


def test_a_lost_key_is_named_and_a_rotated_key_still_reads(person_in_org, settings):
    old = settings.SERVICEPARK_PERSONAL_DATA_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.SERVICEPARK_PERSONAL_DATA_KEYS = [new]
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        Person.objects.get().phone  # noqa: B018
    settings.SERVICEPARK_PERSONAL_DATA_KEYS = [new, old]
    assert Person.objects.get().phone == PHONE
    call_command("personal", "rekey")
    settings.SERVICEPARK_PERSONAL_DATA_KEYS = [new]  # the old key can go now
    assert Person.objects.get().phone == PHONE
    assert AuditEvent.objects.filter(action="personal.rekey").exists()
    _fernet.cache_clear()


def test_the_migration_encrypts_plain_values_once(person_in_org):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_person SET phone = %s, phone_digest = ''", [PHONE])
    editor = SimpleNamespace(connection=connection)  # what a migration's schema editor offers
    assert encrypt_column(editor, "registry_person", "phone", "phone_digest", "phone") == 1
    assert encrypt_column(editor, "registry_person", "phone", "phone_digest", "phone") == 0
    person = Person.objects.get()
    assert person.phone == PHONE and person.phone_digest == digest(PHONE, "phone")


def test_the_organization_page_masks_the_phone_and_reveals_it_with_an_audited_reason(
    client, person_in_org
):
    org, official, membership = person_in_org
    client.force_login(official)
    page = client.get(f"/organizations/{org.pk}/").content.decode()
    assert "138****0002" in page and PHONE not in page
    url = f"/personal/registry.person/{membership.person_id}/phone/reveal/"
    assert url in page
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "State why" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="personal.reveal").exists()
    shown = client.post(url, {"reason": "核实董事联系方式"})
    assert shown.status_code == 200 and PHONE in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="personal.reveal")
    assert event.actor_id == official.pk and event.object_id == str(membership.person_id)
    recorded = {op["path"].lstrip("/"): op["value"] for op in event.patch}
    assert recorded == {"field": "phone", "reason": "核实董事联系方式", "shown": "138****0002"}
    assert PHONE not in everything_audited()


def test_who_may_not_see_a_phone_gets_no_button_and_no_value(client, person_in_org):
    org, _official, membership = person_in_org
    url = f"/personal/registry.person/{membership.person_id}/phone/reveal/"
    elsewhere = make_user("official", division="370103")
    client.force_login(elsewhere)
    assert client.post(url, {"reason": "好奇"}).status_code == 403
    client.force_login(make_user("org_admin", organization=make_org(name="别家机构")))
    response = client.post(url, {"reason": "好奇"})
    assert response.status_code == 403 and PHONE not in response.content.decode()
    client.force_login(make_user("official", division="510107"))
    assert (
        client.post(
            f"/personal/registry.person/{membership.person_id}/name/reveal/", {"reason": "核实"}
        ).status_code
        == 403
    )  # not a revealable field
    assert (
        client.post("/personal/accounts.user/1/phone/reveal/", {"reason": "核实"}).status_code
        == 403
    )
    client.logout()
    assert client.post(url, {"reason": "核实"}).status_code == 302  # to the login page
    assert not AuditEvent.objects.filter(action="personal.reveal").exists()


@pytest.fixture
def voucher_contract(awarded):  # noqa: F811
    _call, buyer, apps, decision = awarded
    admin = provider_admin(apps[1])
    contract = sign_and_start(
        buyer,
        decision.awards.get(application=apps[1]),
        admin,
        contract_input("150000.00", vouchers="30000.00"),
    )
    scheme = voucher_scheme_create(
        actor=buyer, contract=contract, service="日间照料一天", public_share="60.00"
    )
    return contract, scheme, buyer, admin


def test_voucher_holders_are_checked_line_by_line_and_stored_encrypted(voucher_contract):
    contract, scheme, buyer, _admin = voucher_contract
    with pytest.raises(ValidationError) as bad:
        vouchers_issue(
            actor=buyer,
            scheme=scheme,
            holders=["张桂兰，13800280002，110105194912310021", "李国强，12345", "王, , 1, 2"],
        )
    assert bad.value.messages == [
        "Line 1: not a valid resident ID number (18 characters, checksum).",
        "Line 2: not a valid Chinese phone number.",
        "Line 3: at most a name, a phone and an ID number.",
    ]
    with pytest.raises(ValidationError, match="listed twice"):
        vouchers_issue(
            actor=buyer, scheme=scheme, holders=[f"张桂兰,,{ID_NUMBER}", f"张桂兰\t\t{ID_NUMBER}"]
        )
    assert not Voucher.objects.exists()
    issued = vouchers_issue(
        actor=buyer, scheme=scheme, holders=[f"张桂兰，{PHONE}，{ID_NUMBER.lower()}", "李国强"]
    )
    assert [v.holder for v in issued] == ["张桂兰", "李国强"]
    with pytest.raises(ValidationError, match="already has a voucher"):
        vouchers_issue(actor=buyer, scheme=scheme, holders=[f"张桂兰,,{ID_NUMBER}"])
    stored = raw("procurement_voucher", "holder_id_number")
    assert stored[0].startswith("gAAAAA") and stored[1] == ""
    assert Voucher.objects.get(holder="张桂兰").holder_id_number == ID_NUMBER
    assert ID_NUMBER not in everything_audited() and PHONE not in everything_audited()


def test_the_contract_page_masks_holders_for_both_parties_and_nobody_else_reveals(
    client, voucher_contract
):
    contract, scheme, buyer, admin = voucher_contract
    voucher = vouchers_issue(actor=buyer, scheme=scheme, holders=[f"张桂兰，{PHONE}，{ID_NUMBER}"])[
        0
    ]
    url = f"/personal/procurement.voucher/{voucher.pk}/holder_id_number/reveal/"
    for user in (buyer, admin):
        client.force_login(user)
        page = client.get(f"/contracts/{contract.pk}/").content.decode()
        assert "110105********002X" in page and ID_NUMBER not in page and url in page
        shown = client.post(url, {"reason": "核对身份"}, HTTP_HX_REQUEST="true")
        assert (
            shown.content.decode().strip() == f'<span class="personal revealed">{ID_NUMBER}</span>'
        )
    assert AuditEvent.objects.filter(action="personal.reveal").count() == 2
    client.force_login(make_user("purchaser", division="370103"))
    assert client.post(url, {"reason": "核对"}).status_code == 403


def test_production_settings_need_their_own_keys():
    from config.env import personal_key_errors

    assert personal_key_errors([], "") == [
        "SERVICEPARK_PERSONAL_DATA_KEYS must be set (comma-separated Fernet keys).",
        "SERVICEPARK_PERSONAL_INDEX_KEY must be a random value of 32+ chars.",
    ]
    assert personal_key_errors([Fernet.generate_key().decode()], "k" * 40) == []


def _queries(client, url):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_masks_and_reveal_forms_cost_no_query_per_row(client, voucher_contract, person_in_org):
    contract, scheme, buyer, _admin = voucher_contract
    vouchers_issue(actor=buyer, scheme=scheme, holders=[f"甲，{PHONE}"])
    client.force_login(buyer)
    one = _queries(client, f"/contracts/{contract.pk}/")
    vouchers_issue(
        actor=buyer, scheme=scheme, holders=[f"乙{i}，1380028{i:04d}" for i in range(10)]
    )
    assert _queries(client, f"/contracts/{contract.pk}/") == one
    org, official, _membership = person_in_org
    client.force_login(official)
    one = _queries(client, f"/organizations/{org.pk}/")
    for i in range(8):
        membership_add(
            actor=official, organization=org, name=f"员工{i}", role="staff", phone=f"1390028{i:04d}"
        )
    assert _queries(client, f"/organizations/{org.pk}/") == one
