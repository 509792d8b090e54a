"""Factories for registry tests. Organizations are made through `organization_create`, so every
test object has passed the same rules and left the same audit trail as real ones."""

from __future__ import annotations

import itertools
import random
from typing import Any

from servicepark.common.actors import SystemActor
from servicepark.registry.models import Organization
from servicepark.registry.services.organizations import organization_create
from servicepark.registry.uscc import make_uscc

_counter = itertools.count(1)
_rng = random.Random(20261121)


def valid_uscc(org_type: str = "social_service_agency", division: str = "510107") -> str:
    return make_uscc(org_type=org_type, division_code=division, rng=_rng)


def org_data(**overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    org_type = overrides.get("org_type", "social_service_agency")
    kind = overrides.get("registration_kind", "direct")
    division = overrides.get("division_code", "510107019")
    data: dict[str, Any] = {
        "uscc": valid_uscc(org_type, division) if kind in ("registered", "direct") else "",
        "filing_number": f"测试备{n:05d}" if kind == "filed" else "",
        "name": f"测试公益服务中心{n}",
        "name_en": "",
        "org_type": org_type,
        "registration_kind": kind,
        "division_code": division,
        "address": "",
        "legal_representative": "张三",
        "founded_on": "2015-06-01",
        "fields": "community",
        "umbrella_uscc": "",
        "phone": "",
    }
    data.update(overrides)
    return data


def make_org(**overrides: Any) -> Organization:
    return organization_create(actor=SystemActor("factory"), data=org_data(**overrides))
