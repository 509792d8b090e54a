"""The residency of an organization in a park, as data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from servicepark.common.workflows import Transition, Workflow
from servicepark.incubator.models import Residency

S = Residency.State
IN_PARK = frozenset({S.ADMITTED, S.INCUBATING, S.EXTENDED})

RESIDENCY = Workflow(
    name="residency",
    field="state",
    states=dict(S.choices),
    transitions=(
        Transition(
            "shortlist", _("shortlist"), frozenset({S.APPLIED}), S.SHORTLISTED, "residency.decide"
        ),
        Transition(
            "decline",
            _("not admit"),
            frozenset({S.APPLIED, S.SHORTLISTED}),
            S.DECLINED,
            "residency.decide",
            needs_reason=True,
        ),
        Transition(
            "withdraw",
            _("withdraw"),
            frozenset({S.APPLIED, S.SHORTLISTED, *IN_PARK}),
            S.WITHDRAWN,
            "residency.leave",
        ),
        Transition(
            "remove",
            _("remove from the park"),
            frozenset(IN_PARK),
            S.REMOVED,
            "residency.decide",
            needs_reason=True,
        ),
    ),
)
