"""Crash consistency on PostgreSQL (issue 7): a process is killed with SIGKILL in the middle of
an application submission, a payment, an audit write and an import, and the server in the middle
of an API request. Afterwards each operation is fully done or not at all, retrying it with the
same key does it exactly once (no payment twice), and the audit chain verifies.

How: the test database is transactional, so a child process on the same database sees what the
test wrote. The child runs the real services (or the real `servicepark serve`, or the task
worker) and stops at the critical moment: a hook wraps one function of the code path and, on
its n-th call, prints `PAUSED <backend pid>` and sleeps, inside the transaction; the server is
held instead by a row lock the test takes on the audit chain's head, so that it waits inside its
transaction after its first writes. The test then kills the child (its whole process group),
waits until PostgreSQL has ended the child's session, and checks the database.

The scenarios survived are counted and printed at the end of the module (run without xdist,
`-p no:xdist`, or with `-s`, to see the lines).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from servicepark.accounts.services import api_token_issue
from servicepark.accounts.tests.factories import PASSWORD, make_user
from servicepark.common.actors import SystemActor
from servicepark.common.audit import Entry, audit_record_many, audit_verify
from servicepark.common.models import AuditEvent, AuditHead, IdempotencyKey
from servicepark.procurement.models import (
    Application,
    ApplicationVersion,
    Call,
    Contract,
    Payment,
    Voucher,
)
from servicepark.procurement.services.applications import (
    application_save_draft,
    application_start,
    application_submit,
)
from servicepark.procurement.services.payments import (
    milestone_accept,
    milestone_pay,
    milestone_submit,
    voucher_redeem,
)
from servicepark.procurement.services.vouchers import voucher_scheme_create, vouchers_issue
from servicepark.procurement.tests.conftest import call, spina  # noqa: F401  (fixtures)
from servicepark.procurement.tests.helpers import attach_required
from servicepark.procurement.tests.money_fixtures import (  # noqa: F401  (fixtures)
    awarded,
    contract_input,
    provider_admin,
    sign_and_start,
)
from servicepark.procurement.tests.test_applications import content
from servicepark.procurement.tests.test_decisions import scored  # noqa: F401  (fixture)
from servicepark.registry.models import ImportJob, Organization
from servicepark.registry.services import importing
from servicepark.registry.services.import_jobs import (
    import_job_start,
    import_jobs_recover,
    run_import_job,
)
from servicepark.registry.tests.factories import org_data
from servicepark.registry.tests.test_import import row, write_csv

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="crash tests kill a second process working on the same PostgreSQL database",
    ),
    pytest.mark.usefixtures("english"),
]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
IMPORT_ROWS, IMPORT_BATCH = 500, 200  # three batches: 200, 200, 100
SURVIVED: list[str] = []
STARTED: list[Child] = []

# The child: set up Django, install the hooks, run the code. `pause` reports the session's
# backend pid and waits to be killed.
CHILD = r"""
import importlib, json, sys, time
import django

spec = json.loads(sys.argv[1])
django.setup()
from django.db import connection


def pause(label):
    connection.ensure_connection()
    print("PAUSED", connection.connection.info.backend_pid, label, flush=True)
    time.sleep(300)
    sys.exit("not killed")


def hook(target, when, nth):
    module, _, path = target.partition(":")
    owner = importlib.import_module(module)
    *parents, name = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    original = getattr(owner, name)
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(1)
        if len(calls) == nth and when == "before":
            pause(target)
        result = original(*args, **kwargs)
        if len(calls) == nth and when == "after":
            pause(target)
        return result

    setattr(owner, name, wrapper)


for target, when, nth in spec["hooks"]:
    hook(target, when, nth)
exec(spec["code"], {"pause": pause})
print("DONE", flush=True)
"""


# --- processes ---------------------------------------------------------------------------


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def child_env(tmp: Path, settings: str = "config.settings.test") -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": database_url(),
        "SERVICEPARK_VAR": str(tmp),
        "TMPDIR": str(tmp),
        "PYTHONUNBUFFERED": "1",
    }


class Child:
    """A child process in its own process group, killed as a whole."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("w") as err:
            self.proc = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                start_new_session=True,
            )
        STARTED.append(self)

    @classmethod
    def python(
        cls,
        tmp: Path,
        code: str,
        hooks: list[tuple[str, str, int]] | tuple[()] = (),
        settings: str = "config.settings.test",
    ) -> Child:
        spec = json.dumps({"code": code, "hooks": list(hooks)})
        tmp.mkdir(parents=True, exist_ok=True)
        return cls([sys.executable, "-c", CHILD, spec], child_env(tmp, settings), tmp / "child.log")

    def paused(self, timeout: float = 60) -> int:
        """Wait for `PAUSED <pid>`; return the backend pid of the child's session."""
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                line = self.proc.stdout.readline()
                if line.startswith("PAUSED"):
                    return int(line.split()[1])
                if not line:  # EOF: the child ended without reaching the critical moment
                    break
        self.kill()
        raise AssertionError(f"the child did not pause:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def wait_session_gone(pid: int, timeout: float = 30) -> None:
    """PostgreSQL ends a killed client's session and rolls back its transaction."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError(f"session {pid} still open after {timeout} s")


def session_writes(pid: int) -> tuple[str, set[str]]:
    """The session's state, and the tables it has written to in its open transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", [pid])
        state = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE l.pid = %s AND l.mode = 'RowExclusiveLock'",
            [pid],
        )
        return state, {name for (name,) in cursor.fetchall()}


def crash(child: Child, *, written: tuple[str, ...] = ()) -> None:
    """Wait for the critical moment, SIGKILL, and wait for the database to clean up.
    `written`: tables the child must have written to in its open transaction by then (it holds
    their RowExclusiveLock), so the kill really comes after those writes."""
    pid = child.paused()
    state, tables = session_writes(pid)
    try:
        if written:
            assert state == "idle in transaction", state
            assert set(written) <= tables, (written, tables)
        else:
            assert state == "idle", state  # between transactions: after a commit
    finally:
        child.kill()
    wait_session_gone(pid)


@contextlib.contextmanager
def scenario(name: str) -> Iterator[None]:
    yield
    assert audit_verify() is None, name
    SURVIVED.append(name)


@pytest.fixture(autouse=True)
def _no_leftovers() -> Iterator[None]:
    """A failing test must not leave a child running (a paused one holds a transaction)."""
    yield
    while STARTED:
        child = STARTED.pop()
        if child.proc.poll() is None:
            child.kill()


@pytest.fixture(scope="module", autouse=True)
def _report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    lines = [f"crash consistency (SIGKILL, PostgreSQL): {len(SURVIVED)} scenarios survived"]
    lines += [f"  {i}. {name}" for i, name in enumerate(SURVIVED, 1)]
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:  # e.g. an xdist worker: no terminal of its own
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line)


# --- submission ---------------------------------------------------------------------------


def submission_state(app: Application) -> dict[str, Any]:
    fresh = Application.objects.get(pk=app.pk)
    return {
        "state": fresh.state,
        "versions": list(
            ApplicationVersion.objects.filter(application=app).values_list("number", flat=True)
        ),
        "events": AuditEvent.objects.filter(
            action="application.submit", object_id=str(app.pk)
        ).count(),
        "head": AuditHead.objects.get().last_id,
    }


def test_a_killed_submission_is_all_or_nothing_and_submits_once(call, spina, tmp_path):  # noqa: F811
    org, admin = spina
    app = application_start(actor=admin, call=call, organization=org)
    application_save_draft(actor=admin, application=app, content=content())
    attach_required(admin, app)
    submit = f"""
from servicepark.accounts.models import User
from servicepark.procurement.models import Application
from servicepark.procurement.services.applications import application_submit
application_submit(
    actor=User.objects.get(pk={admin.pk}),
    application=Application.objects.get(pk={app.pk}),
    submission_key=KEY,
)
"""
    untouched = submission_state(app)
    assert untouched["state"] == "draft" and untouched["versions"] == []

    # 1. After the version and the application's new state are written, before the audit.
    hook = [("servicepark.procurement.services.applications:audit_record", "before", 1)]
    with scenario("submission: killed after writing the version, before its audit event"):
        crash(
            Child.python(tmp_path / "s1", "KEY = 'crash-1'" + submit, hook),
            written=("procurement_applicationversion", "procurement_application"),
        )
        assert submission_state(app) == untouched

    # 2. Inside the audit write: the event is inserted, the chain's head not yet moved.
    hook = [("servicepark.common.models:AuditHead.save", "before", 1)]
    with scenario("submission: killed inside the audit write (event written, head not)"):
        crash(
            Child.python(tmp_path / "s2", "KEY = 'crash-1'" + submit, hook),
            written=("procurement_applicationversion", "common_auditevent"),
        )
        assert submission_state(app) == untouched

    # The retry with the same key submits once.
    first = application_submit(actor=admin, application=app, submission_key="crash-1")
    again = application_submit(actor=admin, application=app, submission_key="crash-1")
    assert first.pk == again.pk
    done = submission_state(app)
    assert done["state"] == "submitted" and done["versions"] == [1] and done["events"] == 1

    # 3. Killed after the commit: all there, and the retry returns the same version.
    resubmit = "KEY = 'crash-2'" + submit + "pause('committed')\n"
    with scenario("submission: killed after commit; the retry returns the same version"):
        crash(Child.python(tmp_path / "s3", resubmit))
        state = submission_state(app)
        assert state["versions"] == [1, 2] and state["events"] == 2
        retried = application_submit(actor=admin, application=app, submission_key="crash-2")
        assert retried.number == 2 and submission_state(app) == state


# --- payments -----------------------------------------------------------------------------


def money_state(contract: Contract) -> dict[str, Any]:
    c = Contract.objects.get(pk=contract.pk)
    k = Call.objects.get(pk=c.call_id)
    return {
        "payments": sorted(Payment.objects.filter(contract=c).values_list("id", flat=True)),
        "contract_paid": c.paid,
        "call": (k.reserved, k.committed, k.paid),
        "milestones": list(c.milestones.order_by("seq").values_list("state", flat=True)),
        "redeemed": Voucher.objects.filter(scheme__contract=c, redeemed_at__isnull=False).count(),
        "events": AuditEvent.objects.filter(action__startswith="payment.").count(),
        "head": AuditHead.objects.get().last_id,
    }


PAYMENT_WRITES = ("procurement_call", "procurement_payment", "procurement_contract")


def test_a_killed_payment_pays_nothing_or_everything_and_never_twice(awarded, tmp_path):  # noqa: F811
    _call, buyer, apps, decision = awarded
    admin = provider_admin(apps[1])
    contract = sign_and_start(
        buyer,
        decision.awards.get(application=apps[1]),
        admin,
        contract_input("150000.00", vouchers="30000.00"),
    )
    first, second = contract.milestones.order_by("seq")
    for milestone in (first, second):
        milestone_submit(actor=admin, milestone=milestone, note="成果")
        milestone_accept(actor=buyer, milestone=milestone)
    scheme = voucher_scheme_create(
        actor=buyer, contract=contract, service="日间照料一月", public_share="6000.00"
    )
    (voucher,) = vouchers_issue(actor=buyer, scheme=scheme, holders=["长者甲"])
    pay = f"""
from servicepark.accounts.models import User
from servicepark.procurement.models import Milestone
from servicepark.procurement.services.payments import milestone_pay
milestone = Milestone.objects.get(pk=MILESTONE)
milestone_pay(
    actor=User.objects.get(pk={buyer.pk}), milestone=milestone, amount=milestone.amount, key=KEY
)
"""
    before = money_state(contract)
    assert before["milestones"] == ["accepted", "accepted"] and before["payments"] == []

    # 1. Inside the payment: call buckets moved, payment row and contract total written.
    hook = [("servicepark.procurement.services.payments:audit_record", "before", 1)]
    with scenario("payment: killed after the payment row and bucket movement, before audit"):
        code = f"MILESTONE, KEY = {first.pk}, 'pay-1'" + pay
        crash(Child.python(tmp_path / "p1", code, hook), written=PAYMENT_WRITES)
        assert money_state(contract) == before

    # 2. At the last moment: audit written, milestone marked paid, not yet committed.
    hook = [("servicepark.procurement.models:Milestone.save", "after", 1)]
    with scenario("payment: killed after every write, just before commit"):
        code = f"MILESTONE, KEY = {first.pk}, 'pay-1'" + pay
        crash(
            Child.python(tmp_path / "p2", code, hook),
            written=(*PAYMENT_WRITES, "procurement_milestone", "common_audithead"),
        )
        assert money_state(contract) == before

    # The retry with the same key pays once; another retry returns the same payment.
    paid = milestone_pay(actor=buyer, milestone=first, amount=first.amount, key="pay-1")
    again = milestone_pay(actor=buyer, milestone=first, amount=first.amount, key="pay-1")
    assert paid.pk == again.pk
    once = money_state(contract)
    amount = first.amount
    assert once["contract_paid"] == amount and len(once["payments"]) == 1
    assert once["call"][2] == before["call"][2] + amount
    assert once["call"][1] == before["call"][1] - amount
    assert once["milestones"] == ["paid", "accepted"] and once["events"] == before["events"] + 1

    # 3. Killed after the commit: paid once; the retry returns that payment.
    with scenario("payment: killed after commit; the retry returns the same payment"):
        code = f"MILESTONE, KEY = {second.pk}, 'pay-2'" + pay + "pause('committed')\n"
        crash(Child.python(tmp_path / "p3", code))
        state = money_state(contract)
        assert len(state["payments"]) == 2 and state["milestones"] == ["paid", "paid"]
        retried = milestone_pay(actor=buyer, milestone=second, amount=second.amount, key="pay-2")
        assert retried.pk == state["payments"][-1] and money_state(contract) == state

    # 4. A voucher redemption killed inside its transaction.
    redeem = f"""
from servicepark.accounts.models import User
from servicepark.procurement.services.payments import voucher_redeem
voucher_redeem(actor=User.objects.get(pk={admin.pk}), code={voucher.code!r}, key="v-1")
"""
    before = money_state(contract)
    hook = [("servicepark.procurement.services.payments:audit_record", "before", 1)]
    with scenario("voucher redemption: killed after the payment row, before audit"):
        crash(Child.python(tmp_path / "v1", redeem, hook), written=PAYMENT_WRITES)
        assert money_state(contract) == before
        redeemed = voucher_redeem(actor=admin, code=voucher.code, key="v-1")
        assert voucher_redeem(actor=admin, code=voucher.code, key="v-1").pk == redeemed.pk
        after = money_state(contract)
        assert after["redeemed"] == 1 and len(after["payments"]) == 3
        assert after["contract_paid"] == before["contract_paid"] + Decimal("6000.00")
    assert Payment.objects.values("idempotency_key").distinct().count() == Payment.objects.count()


# --- audit --------------------------------------------------------------------------------


def test_a_killed_batch_audit_write_leaves_the_chain_whole(tmp_path, system):
    head = AuditHead.objects.get_or_create(id=1)[0].last_id
    many = """
from servicepark.common.actors import SystemActor
from servicepark.common.audit import Entry, audit_record_many
audit_record_many(
    actor=SystemActor("crash"),
    action="crash.many",
    entries=[Entry(object_type="x", object_id=i) for i in range(2500)],
)
"""
    # Both chunks (2,000 + 500) are inserted; the head is not moved yet.
    hook = [("servicepark.common.models:AuditEvent.objects.bulk_create", "after", 2)]
    with scenario("audit: batch write killed after 2,500 events, before the head moved"):
        crash(Child.python(tmp_path / "a1", many, hook), written=("common_auditevent",))
        assert AuditEvent.objects.filter(action="crash.many").count() == 0
        assert AuditHead.objects.get().last_id == head == AuditEvent.objects.count()
        written = audit_record_many(
            actor=system,
            action="crash.many",
            entries=[Entry(object_type="x", object_id=i) for i in range(2500)],
        )
        assert written == 2500 and AuditHead.objects.get().last_id == head + 2500


# --- imports ------------------------------------------------------------------------------


@pytest.fixture
def import_file(tmp_path: Path) -> Path:
    rows = [row(name=f"成都市武侯区彩虹社区服务中心{i}") for i in range(IMPORT_ROWS)]
    return write_csv(tmp_path / "organizations.csv", rows)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "BATCH", IMPORT_BATCH)


def imported_ids() -> list[set[int]]:
    """The organizations each `organization.import` event says it created."""
    return [
        set(event.patch[0]["value"])
        for event in AuditEvent.objects.filter(action="organization.import").order_by("id")
    ]


def reimport(path: Path, *args: str) -> int:
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_data", "organizations", str(path), "--lang", "en", *args)
    return int(exit_info.value.code or 0)


def assert_no_duplicates() -> None:
    usccs = list(Organization.objects.values_list("uscc", flat=True))
    assert len(usccs) == len(set(usccs))


CLI_IMPORT = f"""
import sys
from django.core.management import call_command
from servicepark.registry.services import importing
importing.BATCH = {IMPORT_BATCH}
call_command("import_data", "organizations", PATH, *ARGS)
"""
IMPORT_WRITES = ("registry_organization",)
SECOND_BATCH = [("servicepark.registry.services.importing:_Store._audit", "before", 2)]


def test_a_killed_import_keeps_whole_batches_and_reruns_without_duplicates(
    import_file, small_batches, tmp_path
):
    # 1. Batch by batch: killed while the second batch is copied in, before its audit event.
    with scenario("import (command): killed inside batch 2; batch 1 kept whole, re-run"):
        code = f"PATH, ARGS = {str(import_file)!r}, []" + CLI_IMPORT
        crash(Child.python(tmp_path / "i1", code, SECOND_BATCH), written=IMPORT_WRITES)
        stored = set(Organization.objects.values_list("id", flat=True))
        assert len(stored) == IMPORT_BATCH and imported_ids() == [stored]
        job = ImportJob.objects.get()
        assert job.state == ImportJob.State.RUNNING  # interrupted: it stays as it was
        # Once the stall period has passed, `servicepark serve` marks it as interrupted.
        an_hour_ago = timezone.now() - dt.timedelta(hours=1)
        ImportJob.objects.filter(pk=job.pk).update(updated_at=an_hour_ago)
        assert [j.pk for j in import_jobs_recover(actor=SystemActor("t"))] == [job.pk]
        assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.INTERRUPTED
        assert reimport(import_file) == 1  # the first batch's rows are refused as duplicates
        assert Organization.objects.count() == IMPORT_ROWS
        assert_no_duplicates()
        batches = imported_ids()
        assert set().union(*batches) == set(Organization.objects.values_list("id", flat=True))
        assert sum(len(b) for b in batches) == IMPORT_ROWS  # every row audited once


def test_a_killed_all_or_nothing_import_stores_nothing(import_file, small_batches, tmp_path):
    with scenario("import (command, --all-or-nothing): killed inside batch 2; nothing kept"):
        code = f"PATH, ARGS = {str(import_file)!r}, ['--all-or-nothing']" + CLI_IMPORT
        crash(Child.python(tmp_path / "i2", code, SECOND_BATCH), written=IMPORT_WRITES)
        assert Organization.objects.count() == 0 and imported_ids() == []
        assert reimport(import_file, "--all-or-nothing") == 0
        assert Organization.objects.count() == IMPORT_ROWS
        assert_no_duplicates()


def test_a_killed_worker_import_keeps_whole_batches_and_runs_again(
    import_file, small_batches, tmp_path
):
    official = make_user("official", division="510100")
    job = import_job_start(actor=official, path=import_file, original_name="organizations.csv")
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.QUEUED, language="en")
    worker = f"""
from django.core.management import call_command
from servicepark.registry.services import importing
from servicepark.registry.services.import_jobs import run_import_job
importing.BATCH = {IMPORT_BATCH}
run_import_job.enqueue({job.pk})
call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0.1")
"""
    with scenario("import (task worker): worker killed inside batch 2; job run again"):
        # The database task backend of the deployed settings, as `servicepark worker` uses.
        child = Child.python(tmp_path / "i3", worker, SECOND_BATCH, "config.settings.local")
        crash(child, written=IMPORT_WRITES)
        stored = set(Organization.objects.values_list("id", flat=True))
        assert len(stored) == IMPORT_BATCH and imported_ids() == [stored]
        assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.RUNNING
        run_import_job.enqueue(job.pk)  # run again (inline here)
        job.refresh_from_db()
        assert job.state == ImportJob.State.DONE
        assert (job.rows_stored, job.rows_rejected) == (IMPORT_ROWS - IMPORT_BATCH, IMPORT_BATCH)
        assert Organization.objects.count() == IMPORT_ROWS
        assert_no_duplicates()


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`servicepark serve` on a free port, with the deployed command line."""

    def __init__(self, tmp: Path) -> None:
        tmp.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.child = Child(
            [str(BIN / "servicepark"), "serve", "--port", str(self.port), "--no-worker"],
            child_env(tmp),
            tmp / f"serve-{self.port}.log",
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.child.proc.poll() is None, (tmp / f"serve-{self.port}.log").read_text()
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                return
            time.sleep(0.1)
        self.child.kill()
        raise AssertionError("the server did not start")

    def post(self, path: str, body: str, headers: dict[str, str]) -> tuple[int, bytes, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(
                "POST", path, body.encode(), {"Content-Type": "application/json", **headers}
            )
            response = conn.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            conn.close()


@contextlib.contextmanager
def audit_head_locked() -> Iterator[psycopg.Connection]:
    """Hold the audit chain's head: every writer waits there, inside its transaction."""
    with psycopg.connect(database_url()) as holder:
        holder.execute("SELECT last_id FROM common_audithead WHERE id = 1 FOR UPDATE")
        try:
            yield holder
        finally:
            holder.rollback()


def waiting_session(holder: psycopg.Connection, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE NOT l.granted AND a.datname = current_database() AND l.pid <> %s",
                [holder.info.backend_pid],
            )
            found = cursor.fetchone()
            if found:
                return int(found[0])
            time.sleep(0.05)
    raise AssertionError("no request is waiting on the audit chain")


def test_a_killed_server_creates_nothing_and_the_keyed_retry_creates_once(tmp_path):
    official = make_user("official", division="510100")
    token = api_token_issue(username=official.username, password=PASSWORD)
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "crash-org"}
    body = json.dumps(org_data(division_code="510107019"))

    def counts() -> tuple[int, int, int, int]:
        return (
            Organization.objects.count(),
            AuditEvent.objects.filter(action="organization.create").count(),
            IdempotencyKey.objects.count(),
            AuditHead.objects.get().last_id,
        )

    nothing = counts()
    with scenario("API server: killed inside POST /organizations (keyed), then retried"):
        server = Server(tmp_path / "h1")
        outcome: list[object] = []

        def request() -> None:
            try:
                outcome.append(server.post("/api/v1/organizations", body, headers))
            except OSError as exc:  # the server died under the request
                outcome.append(exc)

        with audit_head_locked() as holder:
            sender = threading.Thread(target=request)
            sender.start()
            pid = waiting_session(holder)
            # The key's row and the organization are written, not committed.
            state, tables = session_writes(pid)
            assert {"common_idempotencykey", "registry_organization"} <= tables, tables
            server.child.kill()
        wait_session_gone(pid)
        sender.join(30)
        assert outcome and isinstance(outcome[0], OSError)
        assert counts() == nothing

        server = Server(tmp_path / "h2")  # the restart
        status, created, _headers = server.post("/api/v1/organizations", body, headers)
        assert status == 201
        status, replayed, again = server.post("/api/v1/organizations", body, headers)
        assert (status, replayed, again.get("Idempotent-Replayed")) == (201, created, "true")
        assert counts()[:3] == (nothing[0] + 1, nothing[1] + 1, 1)
        server.child.kill()

    with scenario("API server: killed after the response; the retry after restart replays"):
        server = Server(tmp_path / "h3")
        status, replayed, again = server.post("/api/v1/organizations", body, headers)
        server.child.kill()
        assert (status, replayed, again.get("Idempotent-Replayed")) == (201, created, "true")
        assert counts()[:3] == (nothing[0] + 1, nothing[1] + 1, 1)
