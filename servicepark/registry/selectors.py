"""Reads of the registry. Every list goes through `scope_for` or the public filter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    ExpressionWrapper,
    F,
    OrderBy,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Left, StrIndex
from django.db.models.lookups import Exact, GreaterThan, Lookup
from django.http import Http404

from servicepark.accounts.roles import REGISTRY_READERS, Role
from servicepark.accounts.scoping import scope_for, scope_q, user_organization_ids
from servicepark.geo.codes import significant_prefix
from servicepark.registry.models import ChangeRequest, ImportJob, Organization
from servicepark.registry.models.choices import FIELD_BITS, Status
from servicepark.registry.search import has_cjk, query_ngrams

# Preparing organizations are not yet on the public register.
PUBLIC_STATUSES = (
    Status.REGISTERED,
    Status.FILED,
    Status.SUSPENDED,
    Status.DEREGISTERED,
    Status.REVOKED,
)
_USCC_PREFIX = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{2,18}$")
_LATIN = re.compile(r"^[a-z]+$")
_DIGIT = re.compile(r"[0-9０-９〇一二三四五六七八九]")
# Search probes the newest PROBE_ROWS organizations; a term found in at least this share of
# them is searched by walking the primary key rather than through its index (see _common).
# Checking pinyin costs a walk about twice as much per row as checking a Chinese name, so the
# walk pays off only for commoner terms (measured at a million rows, decision 016).
PROBE_ROWS = 5000
COMMON_SHARE = {"name": 0.01, "pinyin": 0.02}
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


def _found(column: str, text: str, *, at_start: bool = False) -> Lookup:
    """`text` in `column` (or at its start) as a condition no index serves: PostgreSQL then
    walks the primary key for a page instead of building a bitmap of every match."""
    if at_start:
        return Exact(Left(column, len(text)), Value(text))
    return GreaterThan(StrIndex(column, Value(text)), 0)


def _common(condition: Q, kind: str) -> bool:
    """Whether at least COMMON_SHARE[kind] of the newest PROBE_ROWS organizations match: then an
    index would hand over tens of thousands of rows to sort and count, while a walk down the
    primary key finds a page, and the count's cap, within a few thousand (decision 016)."""
    newest = Organization.objects.order_by("-pk").values_list("pk", flat=True).first()
    if newest is None:
        return False
    sample = Organization.objects.filter(pk__gt=newest - PROBE_ROWS).aggregate(
        rows=Count("pk"), hits=Count("pk", filter=condition)
    )
    return bool(sample["rows"]) and sample["hits"] >= sample["rows"] * COMMON_SHARE[kind]


def _cjk_condition(qs: QuerySet[Organization], q: str) -> tuple[QuerySet[Organization], Q, bool]:
    if connection.vendor != "postgresql":
        return qs, Q(name__contains=q), False
    grams = query_ngrams(q)
    scan = Q(_found("name", q))
    if not grams or _common(scan, "name"):
        return qs, scan, False
    query = SearchQuery(" & ".join(grams), search_type="raw", config="simple")
    qs = qs.alias(search=SearchVector("search_tokens", config="simple"))
    return qs, Q(search=query, name__contains=q), True


def _latin_condition(lower: str) -> tuple[Q, bool]:
    # Short Latin input is most likely initials; as a substring of full pinyin it matches
    # tens of thousands of names by accident (e.g. "sal" in "...sa-li..."), so full pinyin
    # is searched anywhere only from four letters on, and from the start before.
    if len(lower) >= 4:
        parts = [("name_pinyin", False), ("name_initials", False)]
    elif len(lower) == 3:
        parts = [("name_initials", False), ("name_pinyin", True)]
    else:
        parts = [("name_initials", True), ("name_pinyin", True)]
    scan = Q(*(_found(column, lower, at_start=start) for column, start in parts), _connector=Q.OR)
    if connection.vendor != "postgresql" or _common(scan, "pinyin"):
        return scan, False
    lookup = {False: "contains", True: "startswith"}
    indexed = Q(
        *(Q(**{f"{column}__{lookup[start]}": lower}) for column, start in parts), _connector=Q.OR
    )
    return indexed, True


def _search(qs: QuerySet[Organization], q: str) -> tuple[QuerySet[Organization], bool]:
    """`qs` narrowed to the organizations `q` finds, and whether through a name index (then
    the list must be sorted after the index lookup, not found by walking the primary key)."""
    q = q.strip()[:100]
    if not q:
        return qs, False
    if has_cjk(q):
        qs, by_name, indexed = _cjk_condition(qs, q)
        # An OR with another column makes PostgreSQL re-evaluate the n-gram match on every
        # candidate row; filing numbers always carry digits, so only then is it worth it.
        if _DIGIT.search(q):
            return qs.filter(by_name | Q(filing_number=q)), indexed
        return qs.filter(by_name), indexed
    upper = q.upper().replace(" ", "")
    lower = q.lower().replace(" ", "")
    condition = Q(pk__in=[])
    indexed = False
    if _USCC_PREFIX.match(upper) and any(c.isdigit() for c in upper):
        condition |= Q(uscc__startswith=upper) | Q(filing_number__startswith=q)
    if _LATIN.match(lower):
        by_name, indexed = _latin_condition(lower)
        condition |= by_name
    condition |= Q(filing_number=q)
    return qs.filter(condition), indexed


# Newest first. After a name-index lookup the same order is written as an expression, which
# keeps PostgreSQL from walking the primary key: its estimates for substring matches are
# often hundreds of times too high, and a walk for a rare term reads the whole table.
NEWEST_FIRST = "-id"
NEWEST_FIRST_SORTED = OrderBy(
    ExpressionWrapper(F("id") + 0, output_field=BigIntegerField()), descending=True
)


def organization_list(*, user: Any, filters: DirectoryFilters) -> QuerySet[Organization]:
    qs = organization_visible(user)
    qs, indexed = _search(qs, filters.q)
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
