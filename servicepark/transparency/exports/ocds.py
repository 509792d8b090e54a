"""OCDS 1.1 release packages, streamed: the file export and the API's pages share the releases.

The writer reads published calls a block at a time (see `selectors.process_block`) and writes
each release's text as soon as it is built, so memory stays flat however many calls there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.utils import timezone

from servicepark.transparency.exports.encoding import dumps, utc_text
from servicepark.transparency.exports.ocds_releases import Release, process_releases
from servicepark.transparency.selectors import process_block, release_counts, release_total

DEFAULT_OCID_PREFIX = "ocds-spk000"
DEFAULT_PUBLISHER = "Servicepark"
BLOCK = 1000  # calls per block of queries
COUNT_BLOCK = 5000  # calls per block when only counting releases
PER_PAGE = 50


def ocid_prefix() -> str:
    return str(getattr(settings, "SERVICEPARK_OCID_PREFIX", DEFAULT_OCID_PREFIX))


def publisher_name() -> str:
    return str(getattr(settings, "SERVICEPARK_PUBLISHER_NAME", DEFAULT_PUBLISHER))


def iter_releases(*, after_id: int = 0, block: int = BLOCK) -> Iterator[Release]:
    """Releases of the published calls with an id above `after_id`: by call id, then date."""
    prefix = ocid_prefix()
    while True:
        rows = process_block(after_id=after_id, limit=block)
        if rows is None:
            return
        for call in rows.calls:
            yield from process_releases(prefix, call, rows)
        after_id = rows.calls[-1]["id"]


@dataclass(frozen=True)
class PackageCounts:
    releases: int
    processes: int


def write_release_package(
    out: TextIO, *, uri: str, published: dt.datetime | None = None, block: int = BLOCK
) -> PackageCounts:
    """Write a release package of every published call to `out`, one release per line."""
    header = {
        "uri": uri,
        "version": "1.1",
        "publishedDate": utc_text(published or timezone.now()),
        "publisher": {"name": publisher_name()},
    }
    out.write(dumps(header)[:-1] + ',"releases":[')
    releases = 0
    current: str | None = None
    processes = 0
    for release in iter_releases(block=block):
        out.write(",\n" if releases else "\n")
        out.write(release.text)
        releases += 1
        if release.ocid != current:  # releases of a process are consecutive
            current, processes = release.ocid, processes + 1
    out.write("\n]}\n")
    return PackageCounts(releases=releases, processes=processes)


@dataclass(frozen=True)
class ReleasePage:
    texts: list[str]
    count: int
    number: int


def _locate(offset: int) -> tuple[int, int]:
    """(call id to start after, releases of the next call to skip) for the offset-th release."""
    after, seen = 0, 0
    while True:
        counts = release_counts(after_id=after, limit=COUNT_BLOCK)
        if not counts:
            return after, 0
        for call_id, n in counts:
            if seen + n > offset:
                return call_id - 1, offset - seen
            seen += n
        after = counts[-1][0]


def release_page(*, page: int, per_page: int = PER_PAGE) -> ReleasePage:
    """One page of all releases in file order; pages past the end show the last one."""
    count = release_total()
    last = max(1, -(-count // per_page))
    number = min(max(1, page), last)
    after, skip = _locate((number - 1) * per_page)
    texts: list[str] = []
    # Every call has at least two releases, so a block of per_page calls fills the page.
    for release in iter_releases(after_id=after, block=per_page):
        if skip:
            skip -= 1
            continue
        texts.append(release.text)
        if len(texts) == per_page:
            break
    return ReleasePage(texts=texts, count=count, number=number)
