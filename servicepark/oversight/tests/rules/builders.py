"""Rows for the rule tests, made with the ORM directly where going through the services (calls,
juries, votes, bulletins, signatures) would bury what a test is about."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal
from typing import Any

from django.utils import timezone

from servicepark.oversight.rules import RULES
from servicepark.oversight.rules.base import Context, Hit
from servicepark.procurement.models import (
    Application,
    Award,
    Call,
    Contract,
    Decision,
    Milestone,
    Purchaser,
    Report,
)
from servicepark.registry.models import Organization

AS_OF = dt.date(2026, 7, 1)
DAY = dt.timedelta(days=1)
_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    """Noon of `day`, Beijing time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def evaluate(rule_id: str, *only: Organization, as_of: dt.date = AS_OF) -> list[Hit]:
    """The rule's hits: for everyone, or (an incremental run) only for `only`."""
    ids = frozenset(o.pk for o in only) if only else None
    hits = list(RULES[rule_id].evaluate(Context(as_of=as_of, organization_ids=ids)))
    for hit in hits:
        json.dumps(hit.params)  # stored in a JSON field
        json.dumps(hit.evidence)
    return hits


def severity(rule_id: str, hit: Hit) -> int:
    return int(hit.severity or RULES[rule_id].severity)


def explain(rule_id: str, hit: Hit) -> str:
    return RULES[rule_id].explain(hit.params)


def set_org(org: Organization, **values: Any) -> Organization:
    """Change fields directly (no change request), e.g. phone, address, converted_on."""
    Organization.objects.filter(pk=org.pk).update(**values)
    org.refresh_from_db()
    return org


def purchaser(name: str = "成都市民政局") -> Purchaser:
    return Purchaser.objects.get_or_create(
        division_id="510100", name=name, defaults={"kind": Purchaser.Kind.CIVIL_AFFAIRS}
    )[0]


def call(buyer: Purchaser | None = None, *, closes_on: dt.date = AS_OF, title: str = "") -> Call:
    n = next(_numbers)
    closes = at(closes_on)
    return Call.objects.create(
        purchaser=buyer or purchaser(),
        kind=Call.Kind.PURCHASE,
        method="public_tender",
        title=title or f"社区养老服务项目{n}",
        total_budget=Decimal("10000000.00"),
        per_project_cap=Decimal("5000000.00"),
        opens_at=closes - dt.timedelta(days=30),
        closes_at=closes,
        state=Call.State.PUBLISHED,
    )


def application(to: Call, org: Organization, state: str = "submitted") -> Application:
    return Application.objects.create(call=to, organization=org, applicant=org, state=state)


def contract(
    provider: Organization,
    *,
    buyer: Purchaser | None = None,
    price: str = "100000.00",
    state: str = Contract.State.ACTIVE,
    starts_on: dt.date = AS_OF - 100 * DAY,
    signed_on: dt.date | None = None,
) -> Contract:
    """A contract from its own call, application, final decision and award. Both parties
    sign on `signed_on` (default: the start) unless it is a draft."""
    made = call(buyer, closes_on=starts_on - 30 * DAY)
    app = application(made, provider)
    decision = Decision.objects.create(
        call=made, state=Decision.State.FINAL, total_amount=Decimal(price)
    )
    award = Award.objects.create(
        decision=decision, application=app, amount=Decimal(price), score=Decimal(80), rank=1
    )
    signed = None if state == Contract.State.DRAFT else at(signed_on or starts_on)
    return Contract.objects.create(
        award=award,
        call=made,
        purchaser=made.purchaser,
        provider=provider,
        payee=provider,
        number=f"HT-TEST-{next(_numbers):05d}",
        title="社区长者关爱服务合同",
        service_content="上门探访",
        beneficiaries="独居老人",
        quantities="每月探访 800 人次",
        price=Decimal(price),
        starts_on=starts_on,
        ends_on=starts_on + 300 * DAY,
        state=state,
        purchaser_signed_at=signed,
        provider_signed_at=signed,
    )


def milestone(of: Contract, due_on: dt.date, state: str = Milestone.State.PENDING) -> Milestone:
    seq = Milestone.objects.filter(contract=of).count() + 1
    return Milestone.objects.create(
        contract=of,
        seq=seq,
        title=f"第{seq}期",
        deliverable="阶段报告",
        due_on=due_on,
        amount=Decimal("10000.00"),
        state=state,
    )


def report(
    of: Contract, due_on: dt.date, submitted_on: dt.date | None = None, kind: str = "progress"
) -> Report:
    return Report.objects.create(
        contract=of,
        kind=kind,
        due_on=due_on,
        submitted_at=at(submitted_on) if submitted_on else None,
    )
