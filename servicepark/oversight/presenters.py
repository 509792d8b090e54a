"""Signals as people read them: the rule's title, basis and plain-language explanation in the
reader's language, and the evidence with links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from servicepark.oversight.models import RiskScore, Signal
from servicepark.oversight.rules import RULES, Rule

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
            "text": _evidence_text(rule, item),
            "url": _link(item.get("kind", ""), item.get("id")),
        }
        for item in signal.evidence
    ]
    return Explained(str(rule.title), str(rule.basis), text, evidence)


def _evidence_text(rule: Rule, item: dict[str, Any]) -> str:
    try:
        return rule.evidence_text(item)
    except Exception:  # noqa: BLE001 - evidence stored before its rule changed: as stored
        return str(item.get("text", ""))


@dataclass
class ScoreLine:
    title: str
    detail: str
    points: int


def score_lines(score: RiskScore | None) -> list[ScoreLine]:
    """A risk score's breakdown as people read it: each signal's rule title and what it is
    about (the signal's explanation, or the kind of thing its key names), with its points.
    The breakdown stores (rule, key, severity, points) as the engine computed it."""
    if score is None or not score.breakdown:
        return []
    signals = {
        (s.rule, s.key): s
        for s in Signal.objects.filter(
            organization_id=score.organization_id, first_seen_on__lte=score.as_of
        ).filter(Q(cleared_on__isnull=True) | Q(cleared_on__gt=score.as_of))
    }
    lines = []
    for rule_id, key, _severity, points in score.breakdown:
        rule = RULES.get(rule_id)
        signal = signals.get((rule_id, key))
        if signal is not None:
            detail = str(explain_signal(signal))
        else:
            kind, sep, ident = str(key).partition(":")
            detail = f"{EVIDENCE_KINDS[kind]} {ident}" if sep and kind in EVIDENCE_KINDS else ""
        lines.append(ScoreLine(str(rule.title) if rule else rule_id, detail, int(points)))
    return lines
