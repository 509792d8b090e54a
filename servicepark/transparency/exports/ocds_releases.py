"""OCDS 1.1 releases of one contracting process (one published call), as JSON text.

Stages, each a release: planning and tender (the call), award (its final decision), contract
(per contract past draft), implementation (per contract with milestones or payments). A
release's id is `<ocid>-<stage>[-<row id>]-<digest>`, the digest being a hash of the release's
own text: the same data always gives the same id, and any change gives a new one (OCDS treats
a release as immutable). Releases come out in date order; each names the parties it refers to,
with every role the party has had in the process up to that release, so that merging the
releases into a record keeps all roles. Instants arrive as UTC text from the selectors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils import translation

from servicepark.procurement.models import Contract, Method, Milestone
from servicepark.transparency.exports.encoding import (
    day_end_text,
    day_start_text,
    dumps,
    money,
)
from servicepark.transparency.selectors import ProcessBlock, Row

# Government Procurement Law methods on the closed OCDS method codelist. Negotiation,
# consultation and inquiry go to suppliers the purchaser chooses (limited); a grant call is open
# to every eligible applicant.
METHOD_CODES = {
    Method.PUBLIC_TENDER: "open",
    Method.INVITATIONAL_TENDER: "selective",
    Method.COMPETITIVE_NEGOTIATION: "limited",
    Method.COMPETITIVE_CONSULTATION: "limited",
    Method.INQUIRY: "limited",
    Method.SINGLE_SOURCE: "direct",
    Method.GRANT: "open",
}
# A signed contract is in force; suspended is still in force; completed and terminated are not.
CONTRACT_STATUS = {
    Contract.State.SIGNED: "active",
    Contract.State.ACTIVE: "active",
    Contract.State.SUSPENDED: "active",
    Contract.State.COMPLETED: "terminated",
    Contract.State.TERMINATED: "terminated",
}
ENDED = (Contract.State.COMPLETED, Contract.State.TERMINATED)
MILESTONE_STATUS = {
    Milestone.State.PENDING: "scheduled",
    Milestone.State.SUBMITTED: "scheduled",
    Milestone.State.ACCEPTED: "met",
    Milestone.State.PAID: "met",
}
ROLE_ORDER = ("buyer", "procuringEntity", "supplier", "tenderer", "payer", "payee")
STAGE_ORDER = {"planning": 0, "tender": 1, "award": 2, "contract": 3, "implementation": 4}


@lru_cache(maxsize=1)
def chinese_method_names() -> dict[str, str]:
    """procurementMethodDetails is the method's legal name in Chinese, whatever the language."""
    with translation.override("zh-hans"):
        return {str(value): str(label) for value, label in Method.choices}


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str
    uscc: str

    def ref(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}

    def as_party(self, roles: set[str]) -> dict[str, Any]:
        party: dict[str, Any] = {"id": self.id, "name": self.name}
        if self.uscc:
            # Only a USCC is an identifier a scheme vouches for; other organizations are known
            # by their id within the process alone.
            party["identifier"] = {"scheme": "CN-USCI", "id": self.uscc, "legalName": self.name}
        party["roles"] = [r for r in ROLE_ORDER if r in roles]
        return party


def org_party(row: Row, path: str) -> Party:
    uscc = row[f"{path}__uscc"] or ""
    pk = row[f"{path}__id"]
    return Party(f"CN-USCI-{uscc}" if uscc else f"org-{pk}", row[f"{path}__name"], uscc)


def purchaser_party(call: Row) -> Party:
    uscc = call["purchaser__uscc"] or ""
    pid = f"CN-USCI-{uscc}" if uscc else f"purchaser-{call['purchaser_id']}"
    return Party(pid, call["purchaser__name"], uscc)


@dataclass(slots=True)
class Stage:
    """One release before its parties and id are known."""

    date: str
    stage: str
    key: str
    tag: list[str]
    body: dict[str, Any]
    roles: list[tuple[Party, str]]


@dataclass(frozen=True, slots=True)
class Release:
    id: str
    ocid: str
    date: str
    text: str


def _planning(call: Row) -> Stage:
    budget: dict[str, Any] = {}
    if call["catalogue_item_id"]:
        budget["id"] = f"{call['catalogue_item__catalogue__year']}-{call['catalogue_item__code']}"
        budget["description"] = call["catalogue_item__name"]
        budget["projectID"] = call["catalogue_item__code"]
        budget["project"] = call["catalogue_item__name"]
    budget["amount"] = money(call["total_budget"])
    planning: dict[str, Any] = {"budget": budget}
    if call["off_catalogue_reason"]:
        planning["rationale"] = call["off_catalogue_reason"]
    date = call["created"]
    return Stage(date, "planning", "planning", ["planning"], {"planning": planning}, [])


def _tender(call: Row, buyer: Party) -> Stage:
    tender: dict[str, Any] = {"id": str(call["id"]), "title": call["title"]}
    if call["description"]:
        tender["description"] = call["description"]
    # The release records the call as published; later releases update the status.
    tender["status"] = "active"
    tender["procuringEntity"] = buyer.ref()
    tender["value"] = money(call["total_budget"])
    tender["procurementMethod"] = METHOD_CODES[call["method"]]
    tender["procurementMethodDetails"] = chinese_method_names()[call["method"]]
    if call["restriction_reason"]:
        tender["procurementMethodRationale"] = call["restriction_reason"]
    tender["mainProcurementCategory"] = "services"
    tender["tenderPeriod"] = {
        "startDate": call["opens"],
        "endDate": call["closes"],
    }
    date = call["created"]
    return Stage(date, "tender", "tender", ["tender"], {"tender": tender}, [])


def _award(call: Row, decision: Row, awards: list[Row]) -> Stage:
    date = decision["finalized"]
    roles: list[tuple[Party, str]] = []
    items = []
    for row in awards:
        provider = org_party(row, "application__organization")
        item: dict[str, Any] = {"id": str(row["id"])}
        if row["project_title"]:
            item["title"] = row["project_title"]
        item.update(
            status="active", date=date, value=money(row["amount"]), suppliers=[provider.ref()]
        )
        items.append(item)
        roles += [(provider, "supplier"), (provider, "tenderer")]
        if row["application__applicant__id"] != row["application__organization__id"]:
            # The umbrella association that applied for the provider receives the money.
            roles.append((org_party(row, "application__applicant"), "payee"))
    body: dict[str, Any] = {
        "tender": {"id": str(call["id"]), "status": "complete" if items else "unsuccessful"}
    }
    tag = ["tenderUpdate"]
    if items:
        body["awards"] = items
        tag = ["award", "tenderUpdate"]
    return Stage(date, "award", f"award-{decision['id']}", tag, body, roles)


def _contract(row: Row) -> tuple[Stage, str]:
    signatures = [row["purchaser_signed"], row["provider_signed"]]
    signed = max(signatures) if all(signatures) else None
    contract: dict[str, Any] = {
        "id": row["number"],
        "awardID": str(row["award_id"]),
        "title": row["title"],
        "status": CONTRACT_STATUS[row["state"]],
        "period": {
            "startDate": day_start_text(row["starts_on"]),
            "endDate": day_end_text(row["ends_on"]),
        },
        "value": money(row["price"]),
    }
    if signed is not None:
        contract["dateSigned"] = signed
    provider = org_party(row, "provider")
    roles = [(provider, "supplier")]
    if row["payee__id"] != row["provider__id"]:
        roles.append((org_party(row, "payee"), "payee"))
    tag = ["contract", "contractTermination"] if row["state"] in ENDED else ["contract"]
    date = signed or row["created"]
    stage = Stage(date, "contract", f"contract-{row['id']}", tag, {"contracts": [contract]}, roles)
    return stage, date


def _implementation(
    row: Row, milestones: list[Row], payments: list[Row], buyer: Party, not_before: str
) -> Stage:
    roles: list[tuple[Party, str]] = [(buyer, "payer")] if payments else []
    dates = [not_before]
    transactions = []
    for pay in payments:
        payee = org_party(pay, "payee")
        roles.append((payee, "payee"))
        when = pay["paid"]
        dates.append(when)
        transactions.append(
            {
                "id": str(pay["id"]),
                "date": when,
                "value": money(pay["amount"]),
                "payer": buyer.ref(),
                "payee": payee.ref(),
            }
        )
    steps = []
    for m in milestones:
        status = MILESTONE_STATUS[m["state"]]
        step: dict[str, Any] = {
            "id": str(m["id"]),
            "title": m["title"],
            "type": "delivery",
            "code": str(m["seq"]),
            "dueDate": day_end_text(m["due_on"]),
            "status": status,
        }
        if status == "met" and m["accepted"] is not None:
            step["dateMet"] = m["accepted"]
        steps.append(step)
        dates.append(m["updated"])
    implementation: dict[str, Any] = {}
    if transactions:
        implementation["transactions"] = transactions
    if steps:
        implementation["milestones"] = steps
    contract = {
        "id": row["number"],
        "awardID": str(row["award_id"]),
        "implementation": implementation,
    }
    body = {"contracts": [contract]}
    key = f"implementation-{row['id']}"
    return Stage(max(dates), "implementation", key, ["implementation"], body, roles)


def process_stages(call: Row, block: ProcessBlock) -> list[Stage]:
    buyer = purchaser_party(call)
    stages = [_planning(call), _tender(call, buyer)]
    decision = block.decisions.get(call["id"])
    if decision is not None:
        stages.append(_award(call, decision, block.awards.get(call["id"], [])))
    for row in block.contracts.get(call["id"], []):
        stage, signed = _contract(row)
        stages.append(stage)
        milestones = block.milestones.get(row["id"], [])
        payments = block.payments.get(row["id"], [])
        if milestones or payments:
            stages.append(_implementation(row, milestones, payments, buyer, signed))
    return stages


def _finish(ocid: str, buyer: Party, stages: Iterable[Stage]) -> list[Release]:
    """Order by date (ties by stage), give each release its parties and its id."""
    ordered = sorted(stages, key=lambda s: (s.date, STAGE_ORDER[s.stage]))
    known: dict[str, set[str]] = {buyer.id: {"buyer", "procuringEntity"}}
    releases = []
    head = '{"ocid":' + dumps(ocid) + ","
    for stage in ordered:
        named: dict[str, Party] = {buyer.id: buyer}
        for party, role in stage.roles:
            known.setdefault(party.id, set()).add(role)
            named.setdefault(party.id, party)
        release: dict[str, Any] = {
            "ocid": ocid,
            "date": stage.date,
            "tag": stage.tag,
            "initiationType": "tender",
            "language": "zh",
            "parties": [p.as_party(known[p.id]) for p in named.values()],
            "buyer": buyer.ref(),
        }
        release.update(stage.body)
        text = dumps(release)
        digest = hashlib.blake2b(text.encode(), digest_size=6).hexdigest()
        release_id = f"{ocid}-{stage.key}-{digest}"
        text = f'{head}"id":{dumps(release_id)},{text[len(head) :]}'
        releases.append(Release(release_id, ocid, stage.date, text))
    return releases


def ocid_for(prefix: str, call_id: int) -> str:
    return f"{prefix}-{call_id}"


def process_releases(prefix: str, call: Row, block: ProcessBlock) -> list[Release]:
    """Every release of one published call, in date order, as JSON text."""
    ocid = ocid_for(prefix, call["id"])
    return _finish(ocid, purchaser_party(call), process_stages(call, block))
