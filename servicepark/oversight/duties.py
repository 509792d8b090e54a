"""Who owes what: the organizations that must file an annual report for a year."""

from __future__ import annotations

import datetime as dt

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


def owing_report(org_type: str, year: int) -> QuerySet[Organization]:
    """Organizations of `org_type` that must report on `year`: legally registered, in
    standing, and registered before the year ended (registration date = founding date)."""
    end = dt.date(year, 12, 31)
    return Organization.objects.filter(OWES_REPORTS, org_type=org_type).filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=end)
    )
