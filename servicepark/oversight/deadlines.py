"""Dates the rules turn on: annual-report deadlines by organization type, working days,
"full years"."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from servicepark.common.inputs import add_months


def _on(year: int, month_day: str) -> dt.date:
    month, day = (int(p) for p in month_day.split("-"))
    return dt.date(year, month, day)


def report_deadlines(org_type: str, year: int) -> dict[str, dt.date]:
    """The deadlines of the report for `year` (filed the next year): "registrar" always,
    "supervisor" too for types that file with their supervising unit first."""
    table = settings.SERVICEPARK_ANNUAL_REPORT_DEADLINES
    row = table.get(org_type) or table["default"]
    return {step: _on(year + 1, md) for step, md in row.items()}


def report_deadline(org_type: str, year: int) -> dt.date:
    return report_deadlines(org_type, year)["registrar"]


def last_due_year(org_type: str, as_of: dt.date) -> int:
    """The latest year whose report was due before `as_of`."""
    year = as_of.year - 1
    return year if report_deadline(org_type, year) < as_of else year - 1


def full_years_later(day: dt.date, years: int) -> dt.date:
    """The day on which `years` full years have passed since `day`."""
    return add_months(day, 12 * years)


def working_days_later(day: dt.date, days: int) -> dt.date:
    """Monday to Friday; public holidays are not modelled (decision 014)."""
    current = day
    while days > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current
