"""Demo purchases: Chengdu's 2012 guiding catalogue (¥160 M over five kinds of service)."""

from __future__ import annotations

from typing import Any

from servicepark.accounts.models import User
from servicepark.procurement.models import Catalogue, Purchaser
from servicepark.procurement.services.catalogue import (
    catalogue_create,
    catalogue_entry_add,
    catalogue_publish,
    purchaser_create,
)

# (code, name, fields, budget) — tiers follow from the code length: 1, 3 and 5 characters.
CHENGDU_2012 = [
    ("A", "基本公共服务", [], None),
    ("A01", "就业服务", [], None),
    ("A0101", "就业技能培训", ["employment", "education"], "40000000.00"),
    ("A02", "教育服务", [], None),
    ("A0201", "中小学教师培训", ["education"], "30000000.00"),
    ("A03", "文化与健康", [], None),
    ("A0301", "文化惠民与健康促进", ["culture", "medical"], "25000000.00"),
    ("B", "社会管理性服务", [], None),
    ("B01", "公共法律服务", [], None),
    ("B0101", "社区法律服务", ["legal", "community"], "20000000.00"),
    ("B02", "养老服务", [], None),
    ("B0201", "社区居家养老服务", ["elderly", "community"], "45000000.00"),
]


def load_procurement(actor: Any) -> None:
    purchaser = Purchaser.objects.filter(division_id="510100", name="成都市民政局").first()
    if purchaser is None:
        purchaser = purchaser_create(
            actor=actor, name="成都市民政局", kind="civil_affairs", division_code="510100"
        )
    if Catalogue.objects.filter(purchaser=purchaser, year=2012).exists():
        return
    buyer = User.objects.get(username="purchaser-cd")
    catalogue = catalogue_create(actor=buyer, purchaser=purchaser, year=2012)
    entries: dict[str, Any] = {}
    for code, name, fields, budget in CHENGDU_2012:
        parent = entries.get(code[:-2]) if len(code) > 1 else None
        entries[code] = catalogue_entry_add(
            actor=buyer,
            catalogue=catalogue,
            code=code,
            name=name,
            parent=parent,
            fields=fields,
            budget=budget,
        )
    catalogue_publish(actor=buyer, catalogue=catalogue)
