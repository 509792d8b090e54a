"""Retention: `servicepark purge --dry-run` lists what has passed its period, `servicepark
purge` erases exactly that, audited, and keeps the records money hangs on."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from axes.models import AccessLog
from django.core.management import call_command
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.common.audit import audit_verify
from servicepark.common.models import AuditEvent
from servicepark.common.tests.test_personal import ID_NUMBER, PHONE, voucher_contract  # noqa: F401
from servicepark.procurement.models import Contract, Voucher
from servicepark.procurement.services.vouchers import vouchers_issue
from servicepark.procurement.tests.conftest import call, spina  # noqa: F401  (fixtures)
from servicepark.procurement.tests.money_fixtures import awarded  # noqa: F401  (fixture)
from servicepark.procurement.tests.test_decisions import scored  # noqa: F401  (fixture)
from servicepark.registry.models import Membership, Person
from servicepark.registry.services.people import membership_add
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge", *args, "--lang", "en", stdout=out)
    return out.getvalue()


@pytest.fixture
def world(voucher_contract):  # noqa: F811
    contract, scheme, buyer, _admin = voucher_contract
    vouchers_issue(
        actor=buyer, scheme=scheme, holders=[f"张桂兰，{PHONE}，{ID_NUMBER}", "李国强，13900001111"]
    )
    today = timezone.localdate()
    org = make_org(name="旧日机构", division_code="510107019")
    official = make_user("official", division="510107")
    gone = membership_add(actor=official, organization=org, name="周离", role="staff", phone=PHONE)
    stays = membership_add(
        actor=official, organization=org, name="吴在", role="director", phone="13900002222"
    )
    Membership.objects.filter(pk=gone.pk).update(ended_on=today - dt.timedelta(days=6 * 365))
    old = AccessLog.objects.create(username="official-cd", ip_address="10.0.0.1", user_agent="x")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - dt.timedelta(days=400))
    AccessLog.objects.create(username="official-cd", ip_address="10.0.0.1", user_agent="x")
    return contract, gone, stays


def test_nothing_is_due_while_the_contract_runs_and_roles_are_held(world):
    contract, gone, _stays = world
    Membership.objects.filter(pk=gone.pk).update(ended_on=None)
    out = purge("--dry-run", "--category", "voucher_holders")
    assert "voucher holders: 0 would go" in out
    assert "people who no longer hold a role: 0" in purge(
        "--dry-run", "--category", "former_members"
    )


def test_dry_run_lists_what_would_go_and_changes_nothing(world):
    contract, gone, stays = world
    ended = timezone.localdate() - dt.timedelta(days=4 * 365)  # a contract of years ago
    Contract.objects.filter(pk=contract.pk).update(
        state="completed", starts_on=ended - dt.timedelta(days=300), ends_on=ended
    )
    events = AuditEvent.objects.count()
    out = purge("--dry-run")
    assert "voucher holders: 2 would go" in out and "voucher " in out
    assert "people who no longer hold a role: 1 would go" in out
    assert f"person #{gone.person_id}" in out
    assert "sign-in records: 1 would go" in out
    assert "Dry run: nothing was erased." in out
    assert AuditEvent.objects.count() == events
    assert Voucher.objects.get(holder="张桂兰").holder_id_number == ID_NUMBER
    assert Person.objects.get(pk=gone.person_id).phone == PHONE
    assert AccessLog.objects.count() == 2


def test_purge_erases_exactly_what_is_due_and_audits_it(world):
    contract, gone, stays = world
    ended = timezone.localdate() - dt.timedelta(days=4 * 365)  # a contract of years ago
    Contract.objects.filter(pk=contract.pk).update(
        state="completed", starts_on=ended - dt.timedelta(days=300), ends_on=ended
    )
    out = purge()
    assert "voucher holders: 2 erased" in out and "sign-in records: 1 erased" in out
    holders = list(Voucher.objects.order_by("id").values_list("holder", flat=True))
    assert holders == ["张**", "李**"]
    first = Voucher.objects.order_by("id").first()
    assert (first.holder_phone, first.holder_id_number, first.holder_digest) == ("", "", "")
    assert Person.objects.get(pk=gone.person_id).phone == ""
    assert Person.objects.get(pk=stays.person_id).phone == "13900002222"
    assert AccessLog.objects.count() == 1
    codes = set(
        AuditEvent.objects.filter(action="retention.purge").values_list("object_type", flat=True)
    )
    assert codes == {"voucher_holders", "former_members", "login_records"}
    assert audit_verify() is None
    again = purge("--dry-run")
    assert "voucher holders: 0 would go" in again and "sign-in records: 0" in again


def test_a_wrong_retention_setting_stops_with_exit_2(settings):
    settings.SERVICEPARK_RETENTION_DAYS = {"voucher_holders": -1}
    err = StringIO()
    with pytest.raises(SystemExit) as stop:
        call_command("purge", "--dry-run", stderr=err)
    assert stop.value.code == 2 and "voucher_holders" in err.getvalue()
