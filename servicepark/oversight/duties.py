"""Who owes what: the organizations that must file an annual report for a year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q, QuerySet

from servicepark.registry.models import Organization, Status
from servicepark.registry.models.choices import LEGALLY_REGISTERED

# Filed community groups and attached groups report through their umbrella, not here.
OWES_REPORTS = Q(registration_kind__in=LEGALLY_REGISTERED) & Q(
    status__in=[Status.REGISTERED, Status.SUSPENDED]
)


def first_report_year() -> int:
    """Reports are tracked from this year on: an imported registry has no history, and listing
    every organization for years before the platform existed would be wrong."""
    return int(settings.SERVICEPARK_ANNUAL_REPORTS_FROM)


def owing_report(org_type: str | Iterable[str], year: int) -> QuerySet[Organization]:
    """Organizations of `org_type` (or of any of several types) that must report on `year`:
    legally registered, in standing, and registered before the year ended (registration date
    = founding date)."""
    end = dt.date(year, 12, 31)
    types = [org_type] if isinstance(org_type, str) else list(org_type)
    return Organization.objects.filter(OWES_REPORTS, org_type__in=types).filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=end)
    )


def report_years(as_of: dt.date) -> dict[tuple[int, dt.date], list[str]]:
    """(year, its deadline) → the organization types whose report for that year was due
    before `as_of`, for the last two years due and the years tracked: one query per group
    instead of one per type (the types share their deadlines)."""
    from servicepark.oversight.deadlines import last_due_year, report_deadline
    from servicepark.registry.models.choices import OrgType

    groups: dict[tuple[int, dt.date], list[str]] = {}
    for org_type in OrgType.values:
        last = last_due_year(org_type, as_of)
        for year in (last - 1, last):
            if year >= first_report_year():
                groups.setdefault((year, report_deadline(org_type, year)), []).append(org_type)
    return dict(sorted(groups.items()))
