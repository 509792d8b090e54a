"""The directory's search condition for what someone typed: a Chinese name fragment, pinyin or
its initials, a USCC or filing-number prefix, or an exact filing number.

Each condition has two forms that find the same organizations. The *indexed* form uses the
n-gram, trigram and prefix indexes and suits rare terms. The *walk* form is written so no
index serves it; PostgreSQL then walks the primary key from the newest organization and stops
at the page and the count's cap, which suits common terms whose index lookups would hand over
tens of thousands of rows. A probe of the newest organizations picks the form (decision 016).
SQLite has none of these indexes and always walks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    ExpressionWrapper,
    F,
    OrderBy,
    Q,
    Value,
)
from django.db.models.functions import Left, StrIndex
from django.db.models.lookups import Exact, GreaterThan, Lookup

from servicepark.registry.models import Organization
from servicepark.registry.search import has_cjk, query_ngrams

_USCC_PREFIX = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{2,18}$")
_LATIN = re.compile(r"^[a-z]+$")
_DIGIT = re.compile(r"[0-9０-９〇一二三四五六七八九]")

# A text search counts its matches up to SEARCH_COUNT_CAP (lists that are only filtered count
# to pagination.COUNT_CAP). Beyond it the page says "more than 300 match" and asks to narrow the
# search; twenty to a page, that is fifteen pages (decision 018).
SEARCH_COUNT_CAP = 300

# The probe counts matches among the newest PROBE_ROWS organizations; a term found in at least
# COMMON_SHARE of them is searched by walking. A walk checks a row in 0.3-0.6 µs and reads
# SEARCH_COUNT_CAP / share rows to reach the cap; an index lookup costs 2-6 µs per match, and
# at a million organizations there are share × 1,000,000 of them. With a cap of 300 the two
# cost the same near 0.9 % (bench/findings.md, finding 8; decision 016). Near that line either
# way costs the same, so a small probe is enough: it only has to tell apart terms far from it.
PROBE_ROWS = 2000
COMMON_SHARE = 0.009

# Newest first. After an index lookup the same order is written as an expression, which keeps
# PostgreSQL from walking the primary key anyway: its estimates for substring and prefix
# matches can be hundreds of times too high, and a walk for a rare term reads the whole table.
NEWEST_FIRST = "-id"
NEWEST_FIRST_SORTED = OrderBy(
    ExpressionWrapper(F("id") + 0, output_field=BigIntegerField()), descending=True
)


@dataclass
class Search:
    """A search's condition in both forms."""

    walk: list[Q] = field(default_factory=list)
    indexed: list[Q] = field(default_factory=list)

    def add(self, column: str, text: str, *, at_start: bool = False) -> None:
        self.walk.append(Q(_found(column, text, at_start=at_start)))
        lookup = "startswith" if at_start else "contains"
        self.indexed.append(Q(**{f"{column}__{lookup}": text}))


def _found(column: str, text: str, *, at_start: bool = False) -> Lookup:
    """`text` in `column` (or at its start) in a form no index serves."""
    if at_start:
        return Exact(Left(column, len(text)), Value(text))
    return GreaterThan(StrIndex(column, Value(text)), 0)


def _any(conditions: list[Q]) -> Q:
    return Q(*conditions, _connector=Q.OR)


def common(condition: Q) -> bool:
    """Whether at least COMMON_SHARE of the newest PROBE_ROWS organizations match.

    Two queries: the newest id, then a range of the primary key below it. The range must be
    written with the id itself. As a subquery PostgreSQL cannot know its size, guesses a third
    of the table, and starts parallel workers, which made the probe take 10 ms instead of 1."""
    newest = Organization.objects.order_by("-pk").values_list("pk", flat=True).first()
    if newest is None:
        return False
    sample = Organization.objects.filter(pk__gt=newest - PROBE_ROWS).aggregate(
        rows=Count("pk"), hits=Count("pk", filter=condition)
    )
    return bool(sample["rows"]) and sample["hits"] >= sample["rows"] * COMMON_SHARE


def _latin(search: Search, lower: str) -> None:
    # Short Latin input is most likely initials; as a substring of full pinyin it matches
    # tens of thousands of names by accident (e.g. "sal" in "...sa-li..."), so full pinyin
    # is searched anywhere only from four letters on, and from the start before.
    if len(lower) >= 4:
        search.add("name_pinyin", lower)
        search.add("name_initials", lower)
    elif len(lower) == 3:
        search.add("name_initials", lower)
        search.add("name_pinyin", lower, at_start=True)
    else:
        search.add("name_initials", lower, at_start=True)
        search.add("name_pinyin", lower, at_start=True)


def _cjk(search: Search, q: str) -> None:
    search.walk.append(Q(_found("name", q)))
    grams = query_ngrams(q)
    if connection.vendor == "postgresql" and grams:
        vector = SearchVector("search_tokens", config="simple")
        query = SearchQuery(" & ".join(grams), search_type="raw", config="simple")
        # The n-grams narrow through the index; the name check drops n-gram coincidences.
        search.indexed.append(Q(SearchVectorExact(vector, query), name__contains=q))
    else:
        search.indexed.append(Q(name__contains=q))


def search_condition(q: str) -> tuple[Q | None, bool]:
    """The condition for `q` (None: no search), and whether it is the indexed form, after
    which the list must be sorted with NEWEST_FIRST_SORTED."""
    q = q.strip()[:100]
    if not q:
        return None, False
    search = Search()
    if has_cjk(q):
        _cjk(search, q)
    else:
        upper = q.upper().replace(" ", "")
        lower = q.lower().replace(" ", "")
        if _USCC_PREFIX.match(upper) and any(c.isdigit() for c in upper):
            search.add("uscc", upper, at_start=True)
            search.add("filing_number", q, at_start=True)
        if _LATIN.match(lower):
            _latin(search, lower)
    # A filing number as a whole. With a Chinese fragment only when it has digits (as filing
    # numbers do): an OR with another column makes PostgreSQL re-check the n-gram match on
    # every candidate row.
    exact = Q(filing_number=q) if not has_cjk(q) or _DIGIT.search(q) else None
    if not search.walk:
        return exact, False
    walk = _any(search.walk)
    if connection.vendor != "postgresql" or common(walk):
        return walk if exact is None else walk | exact, False
    indexed = _any(search.indexed)
    return indexed if exact is None else indexed | exact, True
