"""Signals as people read them: the rule's title, basis and plain-language explanation in the
reader's language, and the evidence with links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from servicepark.oversight.models import Signal
from servicepark.oversight.rules import RULES

EVIDENCE_KINDS: dict[str, Promise] = {
    "organization": _("organization"),
    "annual_report": _("annual report"),
    "contract": _("contract"),
    "milestone": _("milestone"),
    "report": _("contract report"),
    "call": _("call"),
    "application": _("application"),
    "letter": _("registered letter"),
    "rectification": _("rectification order"),
    "listing": _("credit listing"),
    "evaluation": _("evaluation"),
    "grade": _("grade assessment"),
    "residency": _("residency"),
    "change_request": _("change request"),
}
LINKS = {
    "organization": "registry:detail",
    "contract": "procurement:contract",
    "call": "procurement:call",
    "residency": "incubator:residency",
}


@dataclass
class Explained:
    title: str
    basis: str
    text: str
    evidence: list[dict[str, Any]]


def _link(kind: str, ident: Any) -> str:
    name = LINKS.get(kind)
    if not name or not isinstance(ident, int):
        return ""
    try:
        return reverse(name, args=[ident])
    except Exception:  # noqa: BLE001 - a page that does not exist just has no link
        return ""


def explain_signal(signal: Signal, full: bool = False) -> Any:
    rule = RULES.get(signal.rule)
    if rule is None:
        text = signal.rule
        return Explained(signal.rule, "", text, []) if full else text
    try:
        text = rule.explain(signal.params)
    except Exception:  # noqa: BLE001 - old params after a rule changed: show the title
        text = str(rule.title)
    if not full:
        return text
    evidence = [
        {
            "kind": str(EVIDENCE_KINDS.get(item.get("kind", ""), item.get("kind", ""))),
            "text": item.get("text", ""),
            "url": _link(item.get("kind", ""), item.get("id")),
        }
        for item in signal.evidence
    ]
    return Explained(str(rule.title), str(rule.basis), text, evidence)
