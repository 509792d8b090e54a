"""The tables B6 fills, one tab-separated file per table, and their COPY into PostgreSQL."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

N = "\\N"  # NULL in COPY's text format


class Spool:
    """One table's rows as a tab-separated file for COPY (values must hold no tab, newline or
    backslash; None is NULL)."""

    def __init__(self, workdir: Path, table: str, columns: str) -> None:
        self.table = table
        self.columns = columns
        self.path = workdir / f"{table}.tsv"
        self.fh = self.path.open("w", encoding="utf-8", buffering=1 << 20)
        self.rows = 0

    def add(self, *values: Any) -> int:
        """Write a row; returns its id when the first column is the id."""
        self.fh.write("\t".join([N if v is None else str(v) for v in values]))
        self.fh.write("\n")
        self.rows += 1
        return self.rows

    @property
    def next_id(self) -> int:
        return self.rows + 1

    def close(self) -> None:
        self.fh.close()


# Every table that gets rows, in the order they are loaded (referenced tables first), with
# its columns, and whether its rows count as events.
TABLES: tuple[tuple[str, str, bool], ...] = (
    (
        "registry_organization",
        "id, created_at, updated_at, uscc, filing_number, name, name_en, org_type, "
        "registration_kind, address, legal_representative, supervising_unit, founded_on, "
        "fields, status, phone, email, website, description, name_pinyin, name_initials, "
        "search_tokens, division_code, umbrella_id, converted_on",
        False,
    ),
    (
        "oversight_annualreport",
        "id, created_at, updated_at, organization_id, year, revenue_government, revenue_grants, "
        "revenue_donations, revenue_fees, revenue_other, expenses, assets, staff, volunteers, "
        "activities, governance_changes, submitted_at, supervisor_seen_on, result, "
        "result_reasons, reviewed_at",
        True,
    ),
    (
        "oversight_sanction",
        "id, created_at, updated_at, organization_id, kind, amount, decided_on, reference, facts",
        True,
    ),
    (
        "oversight_registeredletter",
        "id, created_at, updated_at, organization_id, sent_on, address, tracking_number, "
        "signed_on, returned_on",
        True,
    ),
    (
        "oversight_rectification",
        'id, created_at, updated_at, organization_id, "order", deadline, state, response, '
        "submitted_at, verification, verified_at",
        True,
    ),
    (
        "oversight_creditlisting",
        "id, created_at, updated_at, organization_id, list, trigger, source, evidence, "
        "listed_on, needs_rectification, fulfilled_on, removal_request, removed_on, removal, "
        "removal_evidence",
        True,
    ),
    (
        "oversight_gradeassessment",
        "id, created_at, updated_at, organization_id, applied_on, state, exclusion_reasons, "
        "total, grade, valid_from, valid_until, reminded_on",
        True,
    ),
    (
        "registry_changerequest",
        "id, created_at, updated_at, organization_id, requested_by_id, changes, previous, state, "
        "decided_by_id, decided_at, reason",
        True,
    ),
    ("registry_person", "id, created_at, updated_at, name, phone, phone_digest", False),
    (
        "registry_membership",
        "id, created_at, updated_at, person_id, organization_id, role, started_on, ended_on",
        True,
    ),
    ("procurement_purchaser", "id, created_at, updated_at, name, kind, division_code, uscc", False),
    ("procurement_catalogue", "id, created_at, updated_at, purchaser_id, year, state", False),
    (
        "procurement_catalogueentry",
        "id, created_at, updated_at, catalogue_id, parent_id, tier, code, name, description, "
        "fields, budget, open_to_social_orgs",
        False,
    ),
    (
        "procurement_call",
        "id, created_at, updated_at, purchaser_id, kind, catalogue_item_id, off_catalogue_reason, "
        "method, restriction_reason, title, description, fields, total_budget, per_project_min, "
        "per_project_cap, matching_ratio, eligibility, required_documents, rubric, jury_size, "
        "opens_at, closes_at, objection_days, state, reserved, committed, paid",
        True,
    ),
    (
        "procurement_application",
        "id, created_at, updated_at, call_id, organization_id, applicant_id, state, content, "
        "requested_total, matching_total, field, eligible, screening_reasons, screening, "
        "screening_note, jury_comment",
        True,
    ),
    (
        "procurement_decision",
        "id, created_at, updated_at, call_id, round, state, limits, ranking, optimiser, "
        "total_amount, published_at, objection_ends_at, finalized_at",
        True,
    ),
    (
        "procurement_award",
        "id, created_at, updated_at, decision_id, application_id, amount, score, rank",
        True,
    ),
    (
        "procurement_contract",
        "id, created_at, updated_at, award_id, call_id, purchaser_id, provider_id, payee_id, "
        "number, title, service_content, beneficiaries, quantities, price, voucher_budget, "
        "starts_on, ends_on, continuous, continuous_reason, budget_cover, matching_declared, "
        "matching_received, governance, state, purchaser_signed_at, provider_signed_at, paid",
        True,
    ),
    (
        "procurement_milestone",
        "id, created_at, updated_at, contract_id, seq, title, deliverable, due_on, amount, "
        "state, delivered_note, accepted_at",
        True,
    ),
    (
        "procurement_report",
        "id, created_at, updated_at, contract_id, kind, due_on, summary, submitted_at, "
        "reminded_at, overdue_since",
        True,
    ),
    (
        "procurement_evaluation",
        "id, created_at, updated_at, contract_id, evaluator_id, scores, total, grade, comment, "
        "submitted_at",
        True,
    ),
)


def load(database_url: str, spools: dict[str, Spool]) -> None:
    """COPY every file in, in dependency order, with the foreign-key triggers off (the ids are
    assigned here, so they hold by construction); then the id sequences and ANALYZE."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        with conn.cursor() as cur:
            cur.execute("SET session_replication_role = replica")
            for table, _cols, _events in TABLES:
                spool = spools[table]
                started = time.perf_counter()
                with cur.copy(f"COPY {table} ({spool.columns}) FROM STDIN") as copy:
                    with spool.path.open("rb") as fh:
                        while chunk := fh.read(1 << 20):
                            copy.write(chunk)
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
                print(
                    f"b6: {table}: {spool.rows:,} rows in {time.perf_counter() - started:.1f} s",
                    file=sys.stderr,
                )
                spool.path.unlink()
            cur.execute("SET session_replication_role = DEFAULT")
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")
