"""Step 5: the incremental refresh of one organization right after a realistic event."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bench.b6.params import SEED
from bench.common import loadavg, summary_ms, wait_for_quiet


def incremental(count: int, seed: int = SEED) -> dict[str, Any]:
    """`engine.refresh({org}, models=…)` right after an event for that organization, written
    through the ORM (the post-save hook is switched off, so that only the timed refresh
    evaluates), as the hook would call it; then every step and rule for the same organization."""
    from django.conf import settings
    from django.utils import timezone

    from servicepark.accounts.models import User
    from servicepark.oversight import engine
    from servicepark.oversight.models import AnnualReport, RegisteredLetter, Sanction
    from servicepark.procurement.models import Milestone
    from servicepark.registry.models import ChangeRequest, Organization

    rng = random.Random(seed + 1)
    settings.SERVICEPARK_OVERSIGHT_INCREMENTAL = False
    user = User.objects.get(username="b6-official")
    now = timezone.now()
    missing = list(
        Organization.objects.filter(registration_kind__in=["registered", "direct"])
        .filter(status="registered", founded_on__lte=dt.date(2025, 12, 31))
        .exclude(annual_reports__year=2025)
        .values_list("id", flat=True)[:5000]
    )
    pending = list(
        Milestone.objects.filter(state="pending", contract__state="active").values_list(
            "id", "contract__provider_id"
        )[:5000]
    )
    legal = list(
        Organization.objects.filter(status="registered", registration_kind="direct").values_list(
            "id", flat=True
        )[:50000]
    )

    def annual_report() -> int:
        org = missing.pop(rng.randrange(len(missing)))
        AnnualReport.objects.create(
            organization_id=org,
            year=2025,
            revenue_government=Decimal("900000.00"),
            revenue_fees=Decimal("50000.00"),
            activities="补报年度报告",
            submitted_at=now,
        )
        return org

    def sanction() -> int:
        org = rng.choice(legal)
        Sanction.objects.create(
            organization_id=org,
            kind="warning",
            decided_on=timezone.localdate(),
            reference=f"民罚字〔2026〕第B6{org}号",
            facts="未按规定开展活动",
        )
        return org

    def letter() -> int:
        org = rng.choice(legal)
        for sent in (60, 20):
            RegisteredLetter.objects.create(
                organization_id=org,
                sent_on=timezone.localdate() - dt.timedelta(days=sent),
                address="登记住所",
                tracking_number=f"EMSB6{org}{sent}",
                returned_on=timezone.localdate() - dt.timedelta(days=sent - 10),
            )
        return org

    def milestone() -> int:
        pk, org = pending.pop(rng.randrange(len(pending)))
        item = Milestone.objects.get(pk=pk)
        item.state = Milestone.State.SUBMITTED
        item.delivered_note = "已交付"
        item.save()
        return org

    def representative() -> int:
        org = Organization.objects.get(pk=rng.choice(legal))
        ChangeRequest.objects.create(
            organization=org,
            requested_by=user,
            changes={"legal_representative": "新代表"},
            previous={"legal_representative": org.legal_representative},
            state="approved",
            decided_by=user,
            decided_at=now,
        )
        org.legal_representative = "新代表"
        org.save()
        return org.pk

    events: dict[str, Callable[[], int]] = {
        "annual_report_filed": annual_report,
        "sanction_recorded": sanction,
        "letters_returned": letter,
        "milestone_delivered": milestone,
        "legal_representative_changed": representative,
    }
    # The models each event saves: what the post-save hook passes to the refresh, so that
    # only the steps and rules watching them run.
    saved = {
        "annual_report_filed": {"oversight.AnnualReport"},
        "sanction_recorded": {"oversight.Sanction"},
        "letters_returned": {"oversight.RegisteredLetter"},
        "milestone_delivered": {"procurement.Milestone"},
        "legal_representative_changed": {"registry.ChangeRequest", "registry.Organization"},
    }
    engine.refresh({events["sanction_recorded"]()})  # warm-up: imports, first queries
    quiet = wait_for_quiet()
    seconds: dict[str, list[float]] = defaultdict(list)
    every_rule: list[float] = []
    kinds = list(events)
    for i in range(count):
        kind = kinds[i % len(kinds)]
        org = events[kind]()
        started = time.perf_counter()
        engine.refresh({org}, models=saved[kind])
        seconds[kind].append(time.perf_counter() - started)
        started = time.perf_counter()  # the same organization again, every step and rule
        engine.refresh({org})
        every_rule.append(time.perf_counter() - started)
    quiet["load_at_end"] = loadavg()
    everything = [s for values in seconds.values() for s in values]
    return {
        "as_of": timezone.localdate().isoformat(),
        "refresh": summary_ms(everything),
        "by_event": {kind: summary_ms(values) for kind, values in seconds.items()},
        "refresh_every_rule": summary_ms(every_rule),
        "load": quiet,
    }
