"""Applicants to one call that are not independent of each other: the same legal
representative (by name, or the same person in a leading role), phone or address."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from itertools import groupby, permutations
from operator import itemgetter
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.oversight.models import Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, chunked, evidence, register
from servicepark.procurement.models import Application
from servicepark.registry.models import Membership

WINDOW = dt.timedelta(days=365)  # calls whose deadline is this recent, or later
ROLES = ("legal_representative", "board_member", "director")  # Membership.Role
CALLS_PER_BATCH = 500
FIELDS = (
    "call_id call__title id organization_id organization__name "
    "organization__legal_representative organization__phone organization__address"
).split()
Row = tuple[int, str, int, int, str, str, str, str]  # in the order of FIELDS


def _submitted() -> QuerySet[Application]:
    return Application.objects.filter(state=Application.State.SUBMITTED)


def _applications(as_of: dt.date) -> QuerySet[Application]:
    return _submitted().filter(call__closes_at__date__gte=as_of - WINDOW)


def _squash(text: str) -> str:
    return "".join(text.split())


def _pairs(
    rows: list[Row], people: dict[int, list[tuple[int, str]]]
) -> Iterable[tuple[int, int, dict[str, list[str]]]]:
    """(org, other, {kind: values}) for the organizations of one call that share something."""
    holders: dict[tuple[str, str], set[int]] = defaultdict(set)
    shown: dict[tuple[str, str], str] = {}
    for _c, _t, _a, org, _n, rep, phone, address in rows:
        keys = [
            ("legal_representative", _squash(rep), rep.strip()),
            ("phone", "".join(c for c in phone if c.isdigit()), phone.strip()),
            ("address", _squash(address), address.strip()),
        ]
        keys += [("person", str(pid), name) for pid, name in people.get(org, ())]
        for kind, norm, label in keys:
            if norm:
                holders[kind, norm].add(org)
                shown[kind, norm] = label
    shared: dict[tuple[int, int], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for token, orgs in holders.items():
        for org, other in permutations(sorted(orgs), 2):
            shared[org, other][token[0]].add(shown[token])
    for (org, other), kinds in sorted(shared.items()):
        yield org, other, {k: sorted(v) for k, v in sorted(kinds.items())}


@register
class RelatedParties(Rule):
    id = "related_parties"
    title = gettext_lazy("Related applicants in one call")
    basis = gettext_lazy(
        "Regulations for the Implementation of the Government Procurement Law (2015), art. 18: "
        "suppliers with the same person in charge may not take part in the same procurement"
    )
    severity = Severity.HIGH
    watches = {
        "procurement.Application": "organization_id",
        "registry.Organization": "id",
        "registry.Membership": "organization_id",
    }

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        apps = _applications(ctx.as_of)
        calls = list(
            ctx.only(apps).order_by("call_id").values_list("call_id", flat=True).distinct()
        )
        for batch in chunked(calls, CALLS_PER_BATCH):
            # The calls were chosen by their deadline above: not asking it again lets each
            # batch find its calls by id instead of reading every call (B6, 250 reads of
            # the calls table at a million organizations).
            yield from self._calls(ctx, _submitted().filter(call_id__in=batch))

    def _calls(self, ctx: Context, apps: QuerySet[Application]) -> Iterable[Hit]:
        active = Q(started_on__isnull=True) | Q(started_on__lte=ctx.as_of)
        active &= Q(ended_on__isnull=True) | Q(ended_on__gte=ctx.as_of)
        people: dict[int, list[tuple[int, str]]] = defaultdict(list)
        members = Membership.objects.filter(
            active, role__in=ROLES, organization_id__in=apps.values("organization_id")
        ).values_list("organization_id", "person_id", "person__name")
        for org, pid, name in members.iterator(chunk_size=5000):
            people[org].append((pid, name))
        rows = apps.order_by("call_id", "organization_id").values_list(*FIELDS)
        mine = ctx.organization_ids
        for call_id, group in groupby(rows.iterator(chunk_size=5000), key=itemgetter(0)):
            call = list(group)
            by_org = {row[3]: row for row in call}
            for org, other, kinds in _pairs(call, people):
                if mine is not None and org not in mine:
                    continue
                own, theirs = by_org[org], by_org[other]
                proof = [evidence("call", call_id, own[1])]
                proof += [evidence("application", row[2], row[4]) for row in (own, theirs)]
                params = {"call": own[1], "other": theirs[4], "shared": kinds}
                yield Hit(org, f"call:{call_id}:{other}", params, proof)

    def organizations_touched(self, instance: Model) -> set[int]:
        """The organization and every other applicant to the calls concerned: a signal about a
        pair is stored on both sides, and both must appear or clear together."""
        ids = super().organizations_touched(instance)
        if not ids:
            return ids
        apps = _applications(timezone.localdate())
        if isinstance(instance, Application):
            calls: Any = [instance.call_id]
        else:
            calls = apps.filter(organization_id__in=ids).values("call_id")
        return ids | set(apps.filter(call_id__in=calls).values_list("organization_id", flat=True))

    def explain(self, params: dict[str, Any]) -> str:
        labels = {
            "legal_representative": _("the legal representative %(v)s"),
            "person": _("%(v)s as legal representative, board member or director of both"),
            "phone": _("the phone number %(v)s"),
            "address": _("the address %(v)s"),
        }
        shared = params["shared"]
        what = "; ".join(
            label % {"v": "、".join(shared[kind])}
            for kind, label in labels.items()
            if kind in shared
        )
        return _(
            "In the call “%(call)s”, this organization and %(other)s both applied and share "
            "%(what)s: they may not be competing independently."
        ) % {"call": params["call"], "other": params["other"], "what": what}
