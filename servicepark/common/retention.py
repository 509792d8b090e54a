"""Retention: personal data and records about people are kept only as long as configured
(`SERVICEPARK_RETENTION_DAYS`), then erased by `servicepark purge` (run it daily; `--dry-run`
lists what would go).

Erasing keeps the records that money and decisions hang on (a redeemed voucher stays, with
its holder's name masked and the phone and ID number gone); records that only describe
people's access (login attempts, expired sessions, kept API responses) are deleted. Each
category that erased something writes one audit event with the count and the record ids —
never the erased values, which the audit trail never held (common/personal.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from servicepark.common.audit import audit_record
from servicepark.common.personal import mask_name


@dataclass(frozen=True)
class Category:
    code: str
    label: Promise
    rule: Promise  # what is erased, when, in words with %(days)d
    days: Callable[[], int]
    due: Callable[[dt.datetime, int], models.QuerySet[Any]]
    erase: Callable[[models.QuerySet[Any]], int]
    describe: Callable[[Any], str]


def _days(code: str) -> Callable[[], int]:
    def days() -> int:
        value = settings.SERVICEPARK_RETENTION_DAYS.get(code)
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"SERVICEPARK_RETENTION_DAYS[{code!r}] must be a positive integer")
        return value

    return days


def _voucher_holders_due(now: dt.datetime, days: int) -> models.QuerySet[Any]:
    from servicepark.procurement.models import Contract, Voucher

    cutoff = timezone.localdate(now) - dt.timedelta(days=days)
    ended = [Contract.State.COMPLETED, Contract.State.TERMINATED]
    return (
        Voucher.objects.filter(scheme__contract__state__in=ended)
        .filter(scheme__contract__ends_on__lt=cutoff)
        .filter(~Q(holder_phone="") | ~Q(holder_id_number="") | ~Q(holder__endswith="*"))
        .order_by("id")
    )


def _voucher_holders_erase(rows: models.QuerySet[Any]) -> int:
    from servicepark.procurement.models import Voucher

    vouchers = list(rows.select_for_update().only("id", "holder"))
    for voucher in vouchers:
        name = mask_name(voucher.holder)
        voucher.holder = name if name.endswith("*") else name + "*"
        voucher.holder_phone = voucher.holder_id_number = voucher.holder_digest = ""
    fields = ["holder", "holder_phone", "holder_id_number", "holder_digest"]
    Voucher.objects.bulk_update(vouchers, fields, batch_size=1000)
    return len(vouchers)


def _former_members_due(now: dt.datetime, days: int) -> models.QuerySet[Any]:
    from servicepark.registry.models import Person

    cutoff = timezone.localdate(now) - dt.timedelta(days=days)
    return (
        Person.objects.exclude(phone="")
        .filter(user__isnull=True, memberships__isnull=False)
        .exclude(memberships__ended_on__isnull=True)  # holds a role today
        .annotate(last_ended=Max("memberships__ended_on"))
        .filter(last_ended__lt=cutoff)
        .order_by("id")
    )


def _former_members_erase(rows: models.QuerySet[Any]) -> int:
    from servicepark.registry.models import Person

    ids = list(rows.values_list("id", flat=True))
    return Person.objects.filter(pk__in=ids).update(phone="", phone_digest="")


def _login_records_due(now: dt.datetime, days: int) -> models.QuerySet[Any]:
    from axes.models import AccessLog

    return AccessLog.objects.filter(attempt_time__lt=now - dt.timedelta(days=days)).order_by("id")


def _delete(rows: models.QuerySet[Any]) -> int:
    return rows.delete()[0]


def _failed_logins_due(now: dt.datetime, days: int) -> models.QuerySet[Any]:
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(attempt_time__lt=now - dt.timedelta(days=days)).order_by(
        "id"
    )


def _idempotency_due(now: dt.datetime, days: int) -> models.QuerySet[Any]:
    from servicepark.common.models import IdempotencyKey

    hours = settings.SERVICEPARK_IDEMPOTENCY_HOURS
    return IdempotencyKey.objects.filter(created_at__lt=now - dt.timedelta(hours=hours)).order_by(
        "id"
    )


def _sessions_due(now: dt.datetime, days: int) -> models.QuerySet[Any]:
    from django.contrib.sessions.models import Session

    return Session.objects.filter(expire_date__lt=now).order_by("expire_date")


CATEGORIES: tuple[Category, ...] = (
    Category(
        "voucher_holders",
        _("voucher holders"),
        _(
            "holders' phone and ID numbers erased and names masked %(days)d days after their "
            "contract ended"
        ),
        _days("voucher_holders"),
        _voucher_holders_due,
        _voucher_holders_erase,
        lambda v: f"voucher {v.code}",
    ),
    Category(
        "former_members",
        _("people who no longer hold a role"),
        _("phone erased %(days)d days after the person's last role in an organization ended"),
        _days("former_members"),
        _former_members_due,
        _former_members_erase,
        lambda p: f"person #{p.pk}",
    ),
    Category(
        "login_records",
        _("sign-in records"),
        _("sign-ins (user name, address, browser) deleted after %(days)d days"),
        _days("login_records"),
        _login_records_due,
        _delete,
        lambda r: f"sign-in #{r.pk} {r.attempt_time:%Y-%m-%d}",
    ),
    Category(
        "failed_logins",
        _("failed sign-in counters"),
        _("counters of failed sign-ins deleted after %(days)d days"),
        _days("login_records"),
        _failed_logins_due,
        _delete,
        lambda r: f"failed sign-ins #{r.pk} {r.attempt_time:%Y-%m-%d}",
    ),
    Category(
        "idempotency_keys",
        _("kept API responses"),
        _("responses kept for retried API requests deleted once they expire"),
        lambda: max(1, settings.SERVICEPARK_IDEMPOTENCY_HOURS // 24),
        _idempotency_due,
        _delete,
        lambda r: f"response #{r.pk}",
    ),
    Category(
        "sessions",
        _("expired sessions"),
        _("sessions deleted once they expire"),
        lambda: 1,
        _sessions_due,
        _delete,
        lambda s: f"session expired {s.expire_date:%Y-%m-%d}",
    ),
)


@dataclass
class Outcome:
    category: Category
    days: int
    count: int
    sample: list[str]
    erased: int = 0


def purge(
    *, actor: Any, dry_run: bool, only: str | None = None, now: dt.datetime | None = None
) -> list[Outcome]:
    """What is due in each category, and (unless dry_run) erase it, one transaction and one
    audit event per category."""
    now = now or timezone.now()
    chosen = [c for c in CATEGORIES if only in (None, c.code)]
    if not chosen:
        raise ValueError(only)
    outcomes = []
    for category in chosen:
        days = category.days()
        rows = category.due(now, days)
        count = rows.count()
        outcome = Outcome(category, days, count, [category.describe(r) for r in rows[:5]])
        if count and not dry_run:
            with transaction.atomic():
                ids = [str(pk) for pk in rows.values_list("pk", flat=True)[:10_000]]
                outcome.erased = category.erase(rows)
                audit_record(
                    actor=actor,
                    action="retention.purge",
                    object_type=category.code,
                    after={"erased": outcome.erased, "days": days, "ids": ids},
                )
        outcomes.append(outcome)
    return outcomes
