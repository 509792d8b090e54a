"""The credit-list triggers of MCA Order 60 (《社会组织信用信息管理办法》, 2018), as data: which
list, the legal basis, whether something must be put right before the entry can go, and
whether officials record it by hand or the scheduled task finds it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from servicepark.oversight.models import CreditList


@dataclass(frozen=True)
class Trigger:
    code: str
    list: str
    title: str | Promise
    basis: str | Promise
    needs_rectification: bool
    automatic: bool


A, S = CreditList.ABNORMAL, CreditList.SERIOUS
ART7 = _("MCA Order 60 (2018): abnormal activity list")
ART14 = _("MCA Order 60 (2018): serious illegal and dishonest list")

TRIGGERS: dict[str, Trigger] = {
    t.code: t
    for t in (
        Trigger("annual_report_late", A, _("annual report not filed on time"), ART7, True, True),
        Trigger(
            "no_party_org", A, _("party organization not set up as required"), ART7, True, False
        ),
        Trigger(
            "rectification_overdue",
            A,
            _("rectification not finished by its deadline"),
            ART7,
            True,
            True,
        ),
        Trigger(
            "fundraising_lapsed",
            A,
            _("public fundraising no longer qualified or idle for 6 months"),
            ART7,
            True,
            False,
        ),
        Trigger("minor_penalty", A, _("a warning or a fine under ¥50,000"), ART7, False, True),
        Trigger(
            "unreachable",
            A,
            _("cannot be contacted at the registered address (two registered letters unsigned)"),
            ART7,
            True,
            True,
        ),
        Trigger(
            "abnormal_two_years",
            S,
            _("two full years on the abnormal activity list"),
            ART14,
            False,
            True,
        ),
        Trigger("revoked_fraud", S, _("registration revoked for fraud"), ART14, False, True),
        Trigger("suspension", S, _("activities suspended as a penalty"), ART14, False, True),
        Trigger("major_fine", S, _("a fine of ¥50,000 or more"), ART14, False, True),
        Trigger(
            "repeat_penalties",
            S,
            _("two or more warnings or fines within three years"),
            ART14,
            False,
            True,
        ),
        Trigger(
            "court_debtor", S, _("listed by a court as a dishonest debtor"), ART14, False, True
        ),
        Trigger(
            "certificate_revoked", S, _("registration certificate revoked"), ART14, False, True
        ),
    )
}

# Which trigger a recorded sanction is, by its kind (fines depend on the amount).
SANCTION_TRIGGERS = {
    "warning": "minor_penalty",
    "suspension": "suspension",
    "revoked_fraud": "revoked_fraud",
    "certificate_revoked": "certificate_revoked",
    "court_debtor": "court_debtor",
    "no_party_org": "no_party_org",
    "fundraising_lapsed": "fundraising_lapsed",
}


def trigger(code: str) -> Trigger:
    return TRIGGERS[code]
