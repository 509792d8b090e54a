"""The award optimiser: exact, explained when infeasible, and strict about its input."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from servicepark.procurement.allocation import (
    AllocationInputError,
    AllocationProblem,
    Candidate,
    allocate,
    parse_problem,
)

pytestmark = pytest.mark.smoke


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the default language is Chinese)."""
    with translation.override("en"):
        yield


def app(ident, org, field, requested, score, eligible=True):
    return {
        "id": ident,
        "organization": org,
        "field": field,
        "requested": requested,
        "score": score,
        "eligible": eligible,
    }


def test_optimiser_beats_greedy_where_greedy_wastes_budget():
    problem = parse_problem(
        {
            "budget": "100000.00",
            "applications": [
                app("BIG", "X", "elderly", "60000.00", 90),
                app("A", "Y", "elderly", "50000.00", 80),
                app("B", "Z", "culture", "50000.00", 80),
            ],
        }
    )
    result = allocate(problem)
    assert result.status == "optimal"
    assert set(result.optimal.selected) == {"A", "B"}
    assert result.optimal.total_amount == Decimal("100000.00")
    assert result.greedy.selected == ("BIG",)
    assert result.optimal.total_score > result.greedy.total_score


def test_field_minimum_organization_cap_and_ineligible():
    problem = parse_problem(
        {
            "budget": "100000.00",
            "min_per_field": {"environment": "30000.00"},
            "max_per_field": {"elderly": "100000.00"},
            "max_per_organization": 1,
            "applications": [
                app("E1", "X", "elderly", "60000.00", 95),
                app("E2", "X", "elderly", "40000.00", 94),
                app("E3", "Y", "elderly", "40000.00", 70),
                app("ENV", "Z", "environment", "30000.00", 10),
                app("NO", "W", "culture", "10000.00", 99, eligible=False),
            ],
        }
    )
    result = allocate(problem)
    assert result.status == "optimal"
    assert set(result.optimal.selected) == {"E1", "ENV"}  # the minimum is honoured
    assert result.greedy.selected == ("E1", "E3")  # greedy fills the budget, cap respected


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (
            {
                "budget": "10000.00",
                "min_per_field": {"elderly": "6000.00", "culture": "6000.00"},
                "applications": [],
            },
            "add up to",
        ),
        (
            {
                "budget": "100000.00",
                "min_per_field": {"environment": "60000.00"},
                "applications": [app("A", "X", "environment", "40000.00", 80)],
            },
            "environment",
        ),
        (
            {
                "budget": "100000.00",
                "min_per_field": {"environment": "50000.00"},
                "max_per_organization": 1,
                "applications": [
                    app("A", "X", "environment", "30000.00", 80),
                    app("B", "X", "environment", "30000.00", 80),
                ],
            },
            "environment",
        ),
    ],
)
def test_infeasible_names_the_constraint_at_fault(data, needle):
    result = allocate(parse_problem(data))
    assert result.status == "infeasible"
    assert needle in result.reason
    assert result.as_json()["selected"] == []


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ([], "JSON object"),
        ({"budget": "1", "applications": [], "colour": "red"}, "colour"),
        ({"budget": -5, "applications": []}, "strings"),
        ({"budget": "-5", "applications": []}, "zero or more"),
        ({"budget": "abc", "applications": []}, "not an amount"),
        ({"budget": "1.005", "applications": []}, "two decimal"),
        ({"budget": "1", "min_per_field": {"space": "1"}, "applications": []}, "space"),
        (
            {
                "budget": "1",
                "applications": [
                    app("A", "X", "elderly", "1.00", 5),
                    app("A", "Y", "elderly", "1.00", 5),
                ],
            },
            "twice",
        ),
        ({"budget": "1", "applications": [app("A", "X", "flying", "1.00", 5)]}, "flying"),
        ({"budget": "1", "applications": [app("A", "X", "elderly", "1.00", 500)]}, "0 to 100"),
        ({"budget": "1", "applications": [{"id": "A"}]}, "missing"),
        ({"budget": "1", "max_per_organization": 0, "applications": []}, "at least 1"),
        (
            {
                "budget": "1",
                "min_per_field": {"elderly": "5"},
                "max_per_field": {"elderly": "1"},
                "applications": [],
            },
            "above the maximum",
        ),
    ],
)
def test_bad_input_is_explained(data, needle):
    with pytest.raises(AllocationInputError) as err:
        parse_problem(data)
    assert any(needle in p for p in err.value.problems), err.value.problems


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 50),
            st.integers(0, 100),
            st.sampled_from("XYZ"),
            st.sampled_from(["elderly", "culture"]),
        ),
        min_size=1,
        max_size=8,
    ),
    st.integers(10, 200),
    st.integers(1, 3),
)
def test_optimum_equals_brute_force(items, budget, cap):
    candidates = tuple(
        Candidate(
            id=f"A{i}",
            organization=org,
            field=field,
            requested=Decimal(amount) * 1000,
            score=Decimal(score),
        )
        for i, (amount, score, org, field) in enumerate(items)
    )
    problem = AllocationProblem(
        budget=Decimal(budget) * 1000, candidates=candidates, max_per_organization=cap
    )
    best = Decimal(-1)
    for r in range(len(candidates) + 1):
        for combo in combinations(candidates, r):
            orgs = [c.organization for c in combo]
            if sum(c.requested for c in combo) <= problem.budget and all(
                orgs.count(o) <= cap for o in orgs
            ):
                best = max(best, sum((c.score for c in combo), Decimal(0)))
    result = allocate(problem)
    assert result.status == "optimal"
    assert result.optimal.total_score == best
    assert result.optimal.total_score >= result.greedy.total_score


def run(tmp_path: Path, payload: object) -> tuple[int, dict | None, str]:
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(
        payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8"
    )
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "allocate",
            "--input",
            str(source),
            "--output",
            str(target),
            "--lang",
            "en",
            stdout=io.StringIO(),
            stderr=err,
        )
    out = json.loads(target.read_text()) if target.exists() else None
    return int(exit_info.value.code or 0), out, err.getvalue()


def test_command_writes_the_documented_shape(tmp_path):
    code, out, _ = run(
        tmp_path,
        {
            "budget": "1000000.00",
            "min_per_field": {"environment": "60000.00"},
            "max_per_field": {"elderly": "400000.00"},
            "max_per_organization": 2,
            "applications": [
                app("A1", "X", "elderly", "80000.00", 87.5),
                app("A2", "Y", "environment", "60000.00", 70.25),
            ],
        },
    )
    assert code == 0
    assert out == {
        "status": "optimal",
        "selected": ["A1", "A2"],
        "total_score": 157.75,
        "total_amount": "140000.00",
        "greedy": {"selected": ["A1", "A2"], "total_score": 157.75, "total_amount": "140000.00"},
    }


def test_command_exit_codes_for_infeasible_and_unusable(tmp_path):
    code, out, err = run(
        tmp_path, {"budget": "10.00", "min_per_field": {"culture": "20.00"}, "applications": []}
    )
    assert code == 1 and out["status"] == "infeasible" and "budget of 10.00" in err
    (tmp_path / "out.json").unlink()
    code, out, err = run(tmp_path, "{not json")
    assert code == 2 and out is None and "not valid" in err
    code, out, err = run(tmp_path, {"budget": "1", "applications": [], "x": 1})
    assert code == 2 and out is None and "Unknown keys: x" in err
