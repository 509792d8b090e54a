"""Reads of the registry. Every list goes through `scope_for` or the public filter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404

from servicepark.accounts.roles import REGISTRY_READERS, Role
from servicepark.accounts.scoping import scope_for, scope_q, user_organization_ids
from servicepark.geo.codes import significant_prefix
from servicepark.registry import search_query
from servicepark.registry.models import ChangeRequest, ImportJob, Organization
from servicepark.registry.models.choices import FIELD_BITS, Status
from servicepark.registry.search_query import NEWEST_FIRST, NEWEST_FIRST_SORTED, search_condition

# Preparing organizations are not yet on the public register.
PUBLIC_STATUSES = (
    Status.REGISTERED,
    Status.FILED,
    Status.SUSPENDED,
    Status.DEREGISTERED,
    Status.REVOKED,
)
LIST_FIELDS = (
    "id",
    "uscc",
    "filing_number",
    "name",
    "org_type",
    "registration_kind",
    "division_id",
    "status",
    "fields",
    "founded_on",
    "umbrella_id",
)


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    division: str = ""
    org_type: str = ""
    kind: str = ""
    field: str = ""
    status: str = ""

    def __post_init__(self) -> None:
        # Filters arrive from URLs and the API as they are; PostgreSQL refuses NUL in text.
        for name in ("q", "division", "org_type", "kind", "field", "status"):
            object.__setattr__(self, name, str(getattr(self, name)).replace("\x00", ""))


def organization_visible(user: Any) -> QuerySet[Organization]:
    """What `user` may see: the public register, plus everything in their jurisdiction and
    their own organizations (including ones still preparing)."""
    public = Organization.objects.filter(status__in=PUBLIC_STATUSES)
    if user is None or not getattr(user, "is_authenticated", False):
        return public
    if user.is_superuser:
        return Organization.objects.all()
    own = scope_q(
        user,
        Organization,
        roles=[*REGISTRY_READERS, Role.ORG_ADMIN, Role.ORG_MEMBER, Role.ASSOCIATION_STAFF],
    )
    if own is None:
        return Organization.objects.all()
    return Organization.objects.filter(Q(status__in=PUBLIC_STATUSES) | own)


def directory_count_cap(filters: DirectoryFilters) -> int | None:
    """How far the directory counts: a text search to SEARCH_COUNT_CAP, a filtered list to
    pagination's default (None)."""
    return search_query.SEARCH_COUNT_CAP if filters.q.strip() else None


def organization_list(*, user: Any, filters: DirectoryFilters) -> QuerySet[Organization]:
    qs = organization_visible(user)
    condition, indexed = search_condition(filters.q)
    if condition is not None:
        qs = qs.filter(condition)
    if filters.division:
        qs = qs.filter(division__code__startswith=significant_prefix(filters.division))
    if filters.org_type:
        qs = qs.filter(org_type=filters.org_type)
    if filters.kind:
        qs = qs.filter(registration_kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.field in FIELD_BITS:
        bit = FIELD_BITS[filters.field]
        qs = qs.alias(field_hit=F("fields").bitand(bit)).filter(field_hit=bit)
    return (
        qs.select_related("division", "umbrella")
        .only(*LIST_FIELDS, "division__name", "umbrella__name")
        .order_by(NEWEST_FIRST_SORTED if indexed else NEWEST_FIRST)
    )


def organization_get_for(*, user: Any, pk: int) -> Organization:
    org = (
        organization_visible(user)
        .select_related("division__parent__parent", "umbrella")
        .filter(pk=pk)
        .first()
    )
    if org is None:
        raise Http404
    return org


def organization_attached(org: Organization) -> QuerySet[Organization]:
    return org.attached.filter(status__in=PUBLIC_STATUSES).only(
        "id", "name", "status", "umbrella_id"
    )


def organizations_administered(user: Any) -> QuerySet[Organization]:
    ids = user_organization_ids(user, [Role.ORG_ADMIN])
    return Organization.objects.filter(pk__in=ids).order_by("name")


def change_request_list(*, user: Any, state: str = "pending") -> QuerySet[ChangeRequest]:
    qs = scope_for(user, ChangeRequest.objects.all(), roles=[Role.OFFICIAL, Role.ORG_ADMIN])
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("organization", "requested_by").order_by("-id")


def change_request_get_for(*, user: Any, pk: int) -> ChangeRequest:
    cr = change_request_list(user=user, state="").filter(pk=pk).first()
    if cr is None:
        raise Http404
    return cr


def import_job_get_for(*, user: Any, pk: int) -> ImportJob:
    qs = ImportJob.objects.all() if user.is_superuser else ImportJob.objects.filter(actor=user)
    job = qs.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def import_job_list(*, user: Any) -> QuerySet[ImportJob]:
    qs = ImportJob.objects.all() if user.is_superuser else ImportJob.objects.filter(actor=user)
    return qs.order_by("-id")[:20]  # type: ignore[return-value]


def organization_public_count() -> int:
    return Organization.objects.filter(status__in=PUBLIC_STATUSES).order_by()[:100_001].count()


EXPORT_LIMIT = 100_000
EXPORT_FIELDS = (
    "uscc",
    "filing_number",
    "name",
    "name_en",
    "org_type",
    "registration_kind",
    "division_id",
    "division__name",
    "status",
    "legal_representative",
    "address",
    "founded_on",
    "fields",
    "umbrella_id",
    "umbrella__name",
    "phone",
)


def organization_export_list(*, user: Any, filters: DirectoryFilters) -> QuerySet[Organization]:
    """The filtered directory with just what the CSV/XLSX export writes (at most 100,000)."""
    return organization_list(user=user, filters=filters).only(*EXPORT_FIELDS)[:EXPORT_LIMIT]
