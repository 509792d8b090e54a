"""Demo organizations: the seed cases plus a few dozen generated ones."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from servicepark.demo.seeds import (
    CORES,
    GENERATED_DIVISIONS,
    GIVEN,
    PREFIX_BY_PROVINCE,
    SEED_ORGANIZATIONS,
    SUFFIXES,
    SURNAMES,
)
from servicepark.registry.models import Organization
from servicepark.registry.services.organizations import organization_create
from servicepark.registry.uscc import make_uscc

DEMO_SEED = 2026
MOBILE_PREFIXES = ("135", "136", "138", "139", "158", "159", "186", "189")


def _uscc_for(key: str, org_type: str, division: str) -> str:
    # One fixed random stream per organization key: the same code on every run.
    return make_uscc(
        org_type=org_type,
        division_code=division,
        rng=random.Random(f"{DEMO_SEED}:{key}"),  # noqa: S311 (demo data)
    )


def _ensure(actor: Any, data: dict[str, Any]) -> Organization:
    if data.get("uscc"):
        existing = Organization.objects.filter(uscc=data["uscc"]).first()
    elif data.get("filing_number"):
        existing = Organization.objects.filter(filing_number=data["filing_number"]).first()
    else:
        existing = Organization.objects.filter(
            name=data["name"], umbrella__uscc=data.get("umbrella_uscc")
        ).first()
    return existing or organization_create(actor=actor, data=data)


def load_seed_organizations(actor: Any) -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}
    for seed in SEED_ORGANIZATIONS:
        kind = seed["kind"]
        legal = kind in ("registered", "direct")
        umbrella = orgs[seed["umbrella"]] if seed.get("umbrella") else None
        data = {
            "uscc": _uscc_for(seed["key"], seed["org_type"], seed["division"]) if legal else "",
            "filing_number": seed.get("filing", ""),
            "name": seed["name"],
            "name_en": seed["name_en"],
            "org_type": seed["org_type"],
            "registration_kind": kind,
            "division_code": seed["division"],
            "address": seed.get("address", ""),
            "legal_representative": seed["rep"],
            "founded_on": seed["founded"],
            "fields": seed["fields"],
            "umbrella_uscc": umbrella.uscc if umbrella else "",
            "phone": "",
            "supervising_unit": seed.get("supervising_unit", ""),
        }
        orgs[seed["key"]] = _ensure(actor, data)
    return orgs


def load_generated_organizations(actor: Any, umbrella: Organization, count: int = 48) -> None:
    rng = random.Random(DEMO_SEED)  # noqa: S311 (demo data)
    used: set[str] = set()
    for i in range(count):
        division = GENERATED_DIVISIONS[i % len(GENERATED_DIVISIONS)]
        core = CORES[i % len(CORES)]
        step = 0
        while True:  # no two generated organizations share a name
            suffix, org_type, fields = SUFFIXES[(i * 7 + step) % len(SUFFIXES)]
            name = f"{PREFIX_BY_PROVINCE[division[:2]]}{core}{suffix}"
            if name not in used:
                break
            step += 1
        used.add(name)
        kind = "filed" if i % 9 == 4 else "direct" if org_type != "social_group" else "registered"
        if division.startswith("11") and i % 11 == 3:
            kind = "attached"
        legal = kind in ("registered", "direct")
        founded = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(0, 16 * 365))
        data = {
            "uscc": _uscc_for(f"gen-{i}", org_type, division) if legal else "",
            "filing_number": f"民备〔{founded.year}〕{i + 100:03d}号" if kind == "filed" else "",
            "name": name,
            "name_en": "",
            "org_type": org_type,
            "registration_kind": kind,
            "division_code": division,
            "address": "",
            "legal_representative": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "founded_on": founded.isoformat(),
            "fields": fields,
            "umbrella_uscc": umbrella.uscc if kind == "attached" else "",
            "phone": f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7, 10**8)}",
        }
        _ensure(actor, data)
