"""The audit trail reads in the user's language: actions, actors, objects and changes are named,
choice values shown by their labels and times in Beijing time; the stored record is unchanged."""

import re
from pathlib import Path

import pytest

import servicepark
from servicepark.accounts.tests.factories import make_user
from servicepark.common import audit_display
from servicepark.common.models import AuditEvent
from servicepark.registry.tests.factories import make_org

ACTION = re.compile(r"""action=f?["']([a-z_]+\.[a-z_]+)["']""")
# Actions whose code is built at run time, with every value the code gives them.
BUILT = [
    "change_request.approved",
    "change_request.rejected",
    "contract.sign_purchaser",
    "contract.sign_provider",
    "payment.milestone",
    "payment.voucher",
    "decision.approve",
    "decision.reject",
]


def recorded_actions() -> set[str]:
    root = Path(servicepark.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found.update(ACTION.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_action_the_code_records_has_a_name():
    from django.utils.module_loading import autodiscover_modules

    from servicepark.common.workflows import WORKFLOWS

    autodiscover_modules("workflows")
    transitions = {f"{w.name}.{t.action}" for w in WORKFLOWS.values() for t in w.transitions}
    codes = recorded_actions() | set(BUILT) | transitions
    assert len(codes) > 100  # the scan found the services' actions
    assert "alert.close" in transitions and "contract.terminate" in transitions
    unnamed = sorted(c for c in codes if audit_display.action_label(c) == c)
    assert unnamed == []


def test_a_workflow_transition_is_named_by_its_workflow(english):
    assert audit_display.action_label("alert.reopen") == "reopen"
    assert audit_display.action_label("no_such.thing") == "no_such.thing"


def test_actors_and_objects_are_named(english):
    assert audit_display.actor_label("system:demo") == "system (demo data)"
    assert audit_display.actor_label("system:nightly") == "system (nightly)"
    assert audit_display.actor_label("official-sh") == "official-sh"
    assert audit_display.object_label("registry.organization", "13") == "Organization #13"
    assert audit_display.object_label("gone.model", "7") == "gone.model:7"


def test_changes_show_labels_and_display_values(english):
    patch = [
        {"op": "add", "path": "/org_type", "value": "social_service_agency"},
        {"op": "replace", "path": "/status", "value": "suspended"},
        {"op": "add", "path": "/fields", "value": 1 << 8 | 1},
        {"op": "remove", "path": "/phone"},
        {"op": "add", "path": "/no_such_field", "value": "x"},
        {"op": "add", "path": "/name", "value": "很" * 200},
    ]
    shown = audit_display.changes("registry.organization", patch)
    assert [(c.label, c.value) for c in shown[:5]] == [
        ("Type", "social service agency"),
        ("Status", "suspended"),
        ("Fields of service", "elderly, community"),
        ("Phone", ""),
        ("no_such_field", "x"),
    ]
    assert len(shown[5].value) == audit_display.VALUE_MAX and shown[5].value.endswith("…")


def test_times_are_shown_in_beijing_time():
    patch = [{"op": "add", "path": "/start", "value": "2026-12-09T06:00:00+00:00"}]
    [change] = audit_display.changes("incubator.booking", patch)
    assert change.value == "2026-12-09 14:00"


@pytest.mark.django_db
def test_the_history_and_the_trail_read_in_chinese(client):
    org = make_org(org_type="foundation", registration_kind="registered")
    stored = list(
        AuditEvent.objects.filter(
            object_type="registry.organization", object_id=str(org.pk)
        ).values_list("patch", flat=True)
    )
    client.force_login(make_user("auditor", division="510107"))
    for url in (f"/organizations/{org.pk}/", "/audit/"):
        page = client.get(url).content.decode()
        assert "类型：基金会" in page, url
        assert "add /org_type" not in page and "foundation" not in page, url
    assert "社会组织 #" in page and "系统（" in client.get("/audit/").content.decode()
    # Display only: the stored events are as they were, and the chain still verifies.
    assert stored == list(
        AuditEvent.objects.filter(
            object_type="registry.organization", object_id=str(org.pk)
        ).values_list("patch", flat=True)
    )
