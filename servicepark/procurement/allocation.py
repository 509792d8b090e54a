"""Choosing which applications to fund: an exact optimiser (HiGHS) beside the greedy choice.

The problem: pick eligible applications, each funded at its requested amount, to maximise the
total score within the budget, per-field minimum and maximum amounts, and a cap on awards per
organization. Amounts are exact: the model works in whole fen (cents) and scores in hundredths,
so that "optimal" is proven with no tolerance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import highspy
import numpy as np
from django.utils.translation import gettext as _

from servicepark.common.money import CENT, AmountError, parse_yuan
from servicepark.registry.models.choices import FIELD_BITS

TOP_KEYS = {"budget", "min_per_field", "max_per_field", "max_per_organization", "applications"}
APP_KEYS = {"id", "organization", "field", "requested", "score", "eligible"}


class AllocationInputError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Candidate:
    id: str
    organization: str
    field: str
    requested: Decimal
    score: Decimal
    eligible: bool = True


@dataclass(frozen=True)
class AllocationProblem:
    budget: Decimal
    candidates: tuple[Candidate, ...]
    min_per_field: Mapping[str, Decimal] = field(default_factory=dict)
    max_per_field: Mapping[str, Decimal] = field(default_factory=dict)
    max_per_organization: int | None = None


@dataclass(frozen=True)
class Choice:
    selected: tuple[str, ...]
    total_score: Decimal
    total_amount: Decimal


@dataclass(frozen=True)
class AllocationResult:
    status: str  # "optimal" or "infeasible"
    optimal: Choice | None
    greedy: Choice
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        chosen = self.optimal
        out: dict[str, Any] = {
            "status": self.status,
            "selected": list(chosen.selected) if chosen else [],
            "total_score": float(chosen.total_score) if chosen else 0.0,
            "total_amount": str(chosen.total_amount if chosen else Decimal("0.00")),
            "greedy": {
                "selected": list(self.greedy.selected),
                "total_score": float(self.greedy.total_score),
                "total_amount": str(self.greedy.total_amount),
            },
        }
        if self.reason:
            out["reason"] = self.reason
        return out


# ---------------------------------------------------------------------------- input


def _money(value: Any, where: str, problems: list[str]) -> Decimal:
    if not isinstance(value, str):
        problems.append(
            _('%(where)s: amounts are written as strings such as "80000.00".') % {"where": where}
        )
        return Decimal(0)
    try:
        return parse_yuan(value)
    except AmountError as exc:
        problems.append(_("%(where)s: %(problem)s") % {"where": where, "problem": exc.message})
        return Decimal(0)


def _field_limits(raw: Any, name: str, problems: list[str]) -> dict[str, Decimal]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(_("%(name)s must be an object of field: amount.") % {"name": name})
        return {}
    limits = {}
    for code, value in raw.items():
        if code not in FIELD_BITS:
            problems.append(
                _("%(name)s: unknown field of service “%(code)s”.")
                % {"name": name, "code": str(code)[:30]}
            )
            continue
        limits[code] = _money(value, f"{name}.{code}", problems)
    return limits


def parse_problem(data: Any) -> AllocationProblem:
    """Validate the JSON input of `servicepark allocate`; every problem is reported at once."""
    if not isinstance(data, dict):
        raise AllocationInputError([_("The input must be a JSON object.")])
    problems: list[str] = []
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        problems.append(_("Unknown keys: %(keys)s.") % {"keys": ", ".join(unknown)})
    if "budget" not in data:
        problems.append(_("“budget” is required."))
    budget = _money(data.get("budget", "0"), "budget", problems)
    min_f = _field_limits(data.get("min_per_field"), "min_per_field", problems)
    max_f = _field_limits(data.get("max_per_field"), "max_per_field", problems)
    cap = data.get("max_per_organization")
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
        problems.append(_("max_per_organization must be a whole number of at least 1."))
        cap = None
    for code in set(min_f) & set(max_f):
        if min_f[code] > max_f[code]:
            problems.append(_("Field %(code)s: the minimum is above the maximum.") % {"code": code})
    apps = data.get("applications")
    candidates: list[Candidate] = []
    if not isinstance(apps, list):
        problems.append(_("“applications” must be a list."))
        apps = []
    seen: set[str] = set()
    for i, app in enumerate(apps, start=1):
        where = _("application %(n)d") % {"n": i}
        if not isinstance(app, dict):
            problems.append(_("%(where)s must be an object.") % {"where": where})
            continue
        extra = sorted(set(app) - APP_KEYS)
        missing = sorted(APP_KEYS - {"eligible"} - set(app))
        if extra:
            problems.append(
                _("%(where)s: unknown keys %(keys)s.") % {"where": where, "keys": ", ".join(extra)}
            )
        if missing:
            problems.append(
                _("%(where)s: missing %(keys)s.") % {"where": where, "keys": ", ".join(missing)}
            )
            continue
        ident = str(app["id"])
        if ident in seen:
            problems.append(
                _("%(where)s: the id “%(id)s” is used twice.") % {"where": where, "id": ident[:40]}
            )
        seen.add(ident)
        if not isinstance(app["field"], str) or app["field"] not in FIELD_BITS:  # [] is unhashable
            problems.append(
                _("%(where)s: unknown field of service “%(code)s”.")
                % {"where": where, "code": str(app["field"])[:30]}
            )
        score = app["score"]
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100:
            problems.append(
                _("%(where)s: the score must be a number from 0 to 100.") % {"where": where}
            )
            score = 0
        eligible = app.get("eligible", True)
        if not isinstance(eligible, bool):
            problems.append(_("%(where)s: “eligible” must be true or false.") % {"where": where})
        candidates.append(
            Candidate(
                id=ident,
                organization=str(app["organization"]),
                field=str(app["field"]),
                requested=_money(app["requested"], f"{where}.requested", problems),
                score=Decimal(str(score)).quantize(CENT),
                eligible=eligible is True,
            )
        )
    if problems:
        raise AllocationInputError(problems)
    return AllocationProblem(
        budget=budget,
        candidates=tuple(candidates),
        min_per_field=min_f,
        max_per_field=max_f,
        max_per_organization=cap,
    )


# ---------------------------------------------------------------------------- solving


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def greedy_choice(problem: AllocationProblem) -> Choice:
    """Highest score first, skipping what breaks the budget, a field maximum or the cap.
    (The greedy rule cannot honour field minimums; that is what the optimiser is for.)"""
    spent = 0
    per_field: dict[str, int] = defaultdict(int)
    per_org: dict[str, int] = defaultdict(int)
    chosen: list[Candidate] = []
    budget = _cents(problem.budget)
    for c in sorted(
        (c for c in problem.candidates if c.eligible), key=lambda c: (-c.score, c.requested, c.id)
    ):
        cost = _cents(c.requested)
        limit = problem.max_per_field.get(c.field)
        if spent + cost > budget:
            continue
        if limit is not None and per_field[c.field] + cost > _cents(limit):
            continue
        if problem.max_per_organization and per_org[c.organization] >= problem.max_per_organization:
            continue
        chosen.append(c)
        spent += cost
        per_field[c.field] += cost
        per_org[c.organization] += 1
    return _choice(chosen)


def _choice(chosen: Iterable[Candidate]) -> Choice:
    items = list(chosen)
    return Choice(
        selected=tuple(c.id for c in items),
        total_score=sum((c.score for c in items), Decimal("0.00")),
        total_amount=sum((c.requested for c in items), Decimal("0.00")),
    )


def _precheck(problem: AllocationProblem, pool: list[Candidate]) -> str:
    """Name the constraint at fault for the infeasibilities that can be seen directly."""
    total_min = sum(problem.min_per_field.values(), Decimal(0))
    if total_min > problem.budget:
        return _("The field minimums add up to %(sum)s, more than the budget of %(budget)s.") % {
            "sum": total_min,
            "budget": problem.budget,
        }
    for code, minimum in sorted(problem.min_per_field.items()):
        available = sum((c.requested for c in pool if c.field == code), Decimal(0))
        if available < minimum:
            return _(
                "Field %(field)s: the minimum of %(min)s cannot be met; eligible "
                "applications request only %(available)s in total."
            ) % {"field": code, "min": minimum, "available": available}
    return ""


# Columns whose reduced cost in the LP relaxation is at most this (in hundredths of a score
# point) stay free when searching for a starting selection; the others keep their LP value.
_START_REDUCED_COST = 100.0
# Below this many columns the plain solve is already instant, so no start is searched for.
_START_MIN_COLUMNS = 200
# The starting selection is only a heuristic: cap its search so that it stays cheap.
_START_MAX_NODES = 1000
# Once a near-optimal selection is known, HiGHS's own primal heuristics (sub-MIPs, feasibility
# jump) mostly repeat work: measured on B3 they cost more than they save. They only look for
# selections; leaving them out changes nothing about the proof of optimality.
_NO_HEURISTICS = {"mip_heuristic_effort": 0.0, "mip_heuristic_run_feasibility_jump": False}


def _highs(**options: Any) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for name, value in options.items():
        h.setOptionValue(name, value)
    return h


def _model(
    problem: AllocationProblem, pool: list[Candidate], skip_min: str | None
) -> tuple[highspy.HighsLp, list[int]]:
    """The integer programme as one HighsLp (rows in CSR form) over the candidates that can be
    chosen at all, with their positions in `pool`. HiGHS minimises, so scores are negated."""
    inf = highspy.kHighsInf
    budget = _cents(problem.budget)
    high_cents = {code: _cents(v) for code, v in problem.max_per_field.items()}
    requested = [_cents(c.requested) for c in pool]
    # A candidate dearer than the budget or than its field's maximum can never be chosen.
    usable = [
        i
        for i, (c, cost) in enumerate(zip(pool, requested, strict=True))
        if cost <= budget and cost <= high_cents.get(c.field, cost)
    ]
    n = len(usable)
    cost = np.array([requested[i] for i in usable], dtype=np.float64)
    by_field: dict[str, list[int]] = defaultdict(list)
    by_org: dict[str, list[int]] = defaultdict(list)
    for j, i in enumerate(usable):
        by_field[pool[i].field].append(j)
        by_org[pool[i].organization].append(j)
    lower = [-inf]
    upper = [float(budget)]
    members = [np.arange(n, dtype=np.int32)]
    values = [cost]
    for code in sorted(set(problem.min_per_field) | set(problem.max_per_field)):
        low = problem.min_per_field.get(code) if code != skip_min else None
        high = high_cents.get(code)
        if low is None and high is None:
            continue
        in_field = np.array(by_field.get(code, []), dtype=np.int32)
        lower.append(float(_cents(low)) if low is not None else -inf)
        upper.append(float(high) if high is not None else inf)
        members.append(in_field)
        values.append(cost[in_field])
    cap = problem.max_per_organization
    if cap:
        for org_members in by_org.values():
            if len(org_members) > cap:
                lower.append(-inf)
                upper.append(float(cap))
                members.append(np.array(org_members, dtype=np.int32))
                values.append(np.ones(len(org_members)))
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(lower)
    lp.col_cost_ = np.array([-int(pool[i].score * 100) for i in usable], dtype=np.float64)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    matrix = lp.a_matrix_
    matrix.format_ = highspy.MatrixFormat.kRowwise
    matrix.num_col_ = n
    matrix.num_row_ = len(lower)
    matrix.start_ = np.concatenate(([0], np.cumsum([len(m) for m in members]))).astype(np.int32)
    matrix.index_ = np.concatenate(members).astype(np.int32)
    matrix.value_ = np.concatenate(values)
    lp.a_matrix_ = matrix
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    return lp, usable


def _starting_point(lp: highspy.HighsLp) -> list[float] | None:
    """A good selection to start the exact search from: solve the LP relaxation, keep every
    column whose reduced cost is large at its LP value, and solve the small integer programme
    left over the others. This only speeds the search up (its value prunes the tree at once);
    optimality is still proven by HiGHS on the full model."""
    integrality = lp.integrality_
    lp.integrality_ = []
    relaxation = _highs()
    relaxation.passModel(lp)
    lp.integrality_ = integrality
    relaxation.run()
    if relaxation.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    solution = relaxation.getSolution()
    x = np.asarray(solution.col_value)
    at_bound = (x < 1e-6) | (x > 1 - 1e-6)
    fixed = at_bound & (np.abs(np.asarray(solution.col_dual)) > _START_REDUCED_COST)
    value = np.round(x)
    lower, upper = lp.col_lower_, lp.col_upper_
    lp.col_lower_ = np.where(fixed, value, 0.0)
    lp.col_upper_ = np.where(fixed, value, 1.0)
    restricted = _highs(
        mip_rel_gap=0.0,
        mip_abs_gap=0.0,
        mip_max_nodes=_START_MAX_NODES,
        mip_allow_restart=False,  # faster on the small restricted programme (measured)
        **_NO_HEURISTICS,
    )
    restricted.passModel(lp)
    lp.col_lower_, lp.col_upper_ = lower, upper
    restricted.run()
    feasible = highspy.SolutionStatus.kSolutionStatusFeasible
    if restricted.getInfo().primal_solution_status != int(feasible):
        return None
    return [float(round(v)) for v in restricted.getSolution().col_value]


def _solve(
    problem: AllocationProblem, pool: list[Candidate], skip_min: str | None = None
) -> list[Candidate] | None:
    lp, usable = _model(problem, pool, skip_min)
    if not usable:
        return (
            [] if all(v == 0 for k, v in problem.min_per_field.items() if k != skip_min) else None
        )
    start = _starting_point(lp) if len(usable) >= _START_MIN_COLUMNS else None
    # Zero gaps: the optimum is proven on the full model, whatever the starting point.
    h = _highs(mip_rel_gap=0.0, mip_abs_gap=0.0, **(_NO_HEURISTICS if start is not None else {}))
    h.passModel(lp)
    if start is not None:
        given = highspy.HighsSolution()
        given.col_value = start
        given.value_valid = True
        h.setSolution(given)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    values = h.getSolution().col_value
    return [pool[i] for i, v in zip(usable, values, strict=True) if v > 0.5]


def allocate(problem: AllocationProblem) -> AllocationResult:
    pool = [c for c in problem.candidates if c.eligible]
    greedy = greedy_choice(problem)
    reason = _precheck(problem, pool)
    if not reason:
        chosen = _solve(problem, pool)
        if chosen is not None:
            return AllocationResult("optimal", _choice(chosen), greedy)
        # Find a field minimum whose removal makes the problem feasible.
        for code in sorted(problem.min_per_field):
            if _solve(problem, pool, skip_min=code) is not None:
                reason = _(
                    "Field %(field)s: its minimum cannot be met together with the other "
                    "limits (budget, field maximums, awards per organization)."
                ) % {"field": code}
                break
        else:
            reason = _(
                "No selection satisfies the field minimums within the budget and the other limits."
            )
    return AllocationResult("infeasible", None, greedy, reason)
