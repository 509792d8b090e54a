"""The registration status of an organization, as data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from servicepark.common.workflows import Transition, Workflow
from servicepark.registry.models.choices import LEGALLY_REGISTERED, RegistrationKind, Status

S = Status
ACTIVE = frozenset({S.REGISTERED, S.FILED})


def _needs_legal_registration(org: Any) -> str | None:
    if org.registration_kind not in LEGALLY_REGISTERED:
        return gettext(
            "Only organizations of the kinds “registered with a supervising unit” or “directly "
            "registered” can be registered; file the others on record."
        )
    if not org.uscc:
        return gettext("A registered organization needs a USCC.")
    return None


def _needs_filing(org: Any) -> str | None:
    if org.registration_kind == RegistrationKind.FILED and not org.filing_number:
        return gettext("A filed organization needs a filing number.")
    if org.registration_kind in LEGALLY_REGISTERED:
        return gettext("Legally registered organizations are registered, not filed.")
    return None


def _standing_state(org: Any) -> str:
    return S.REGISTERED if org.registration_kind in LEGALLY_REGISTERED else S.FILED


ORGANIZATION_STATUS = Workflow(
    name="organization",
    field="status",
    states=dict(S.choices),
    transitions=(
        Transition(
            "register",
            _("register"),
            frozenset({S.PREPARING}),
            S.REGISTERED,
            "organization.transition",
            guard=_needs_legal_registration,
        ),
        Transition(
            "file",
            _("file on record"),
            frozenset({S.PREPARING}),
            S.FILED,
            "organization.transition",
            guard=_needs_filing,
        ),
        Transition(
            "suspend",
            _("suspend"),
            ACTIVE,
            S.SUSPENDED,
            "organization.transition",
            needs_reason=True,
        ),
        Transition(
            "reinstate",
            _("reinstate"),
            frozenset({S.SUSPENDED}),
            _standing_state,
            "organization.transition",
            needs_reason=True,
        ),
        Transition(
            "deregister",
            _("deregister"),
            ACTIVE | {S.SUSPENDED},
            S.DEREGISTERED,
            "organization.transition",
            needs_reason=True,
        ),
        Transition(
            "revoke",
            _("revoke"),
            ACTIVE | {S.SUSPENDED},
            S.REVOKED,
            "organization.transition",
            needs_reason=True,
        ),
    ),
)
