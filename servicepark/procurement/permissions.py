"""Permission rules of procurement: small pure functions, each tested allowed and denied."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_acts_for, user_covers_division
from servicepark.common.permissions import Decision, rule


@rule("purchaser.create")
def can_create_purchaser(user: Any, division_code: Any) -> Decision:
    """Civil affairs keeps the list of purchasing bodies in its jurisdiction."""
    if user_covers_division(user, division_code, [Role.OFFICIAL]):
        return True, ""
    return False, _("Only a civil-affairs official of this jurisdiction may add purchasers.")


@rule("catalogue.edit")
def can_edit_catalogue(user: Any, purchaser: Any) -> Decision:
    """A purchaser's staff (purchaser role over its division) keep its catalogue."""
    if user_covers_division(user, purchaser.division_id, [Role.PURCHASER]):
        return True, ""
    return False, _("Only the purchaser's own staff may edit its catalogue.")


@rule("application.edit")
def can_edit_application(user: Any, application: Any) -> Decision:
    """The organization's admins, or the staff of the association that applies for it."""
    if user_acts_for(user, application.organization_id, [Role.ORG_ADMIN]):
        return True, ""
    if user_acts_for(user, application.applicant_id, [Role.ASSOCIATION_STAFF]):
        return True, ""
    return False, _("Only the applying organization may change this application.")


@rule("call.manage")
def can_manage_call(user: Any, call: Any) -> Decision:
    """The purchaser's staff run their calls: screening, juries, decisions."""
    return can_edit_catalogue(user, call.purchaser)


@rule("application.screen")
def can_screen_application(user: Any, application: Any) -> Decision:
    """Manual screening: the purchaser's staff, or the staff of a service center covering the
    purchaser's jurisdiction (they often run the paperwork for a district)."""
    division = application.call.purchaser.division_id
    if user_covers_division(user, division, [Role.PURCHASER, Role.CENTER_STAFF]):
        return True, ""
    return False, _("Only the purchaser's staff or the service center may screen applications.")


@rule("decision.vote")
def can_vote_on_decision(user: Any, decision: Any) -> Decision:
    """Members of the purchaser's leading group, and no one else, vote on proposed awards."""
    if (
        getattr(user, "pk", None)
        and decision.call.purchaser.leading_group.filter(pk=user.pk).exists()
    ):
        return True, ""
    return False, _("Only members of the purchaser's leading group vote on awards.")


@rule("objection.file")
def can_file_objection(user: Any, decision: Any) -> Decision:
    """Anyone signed in may object to a published result during the objection period."""
    if getattr(user, "is_authenticated", False):
        return True, ""
    return False, _("Sign in to file an objection, so that the answer can reach you.")


@rule("contract.manage")
def can_manage_contract(user: Any, contract: Any) -> Decision:
    """The purchaser's staff: sign for the purchaser, accept deliverables, pay, evaluate."""
    if user_covers_division(user, contract.purchaser.division_id, [Role.PURCHASER]):
        return True, ""
    return False, _("Only the purchaser's staff may do this for the contract.")


@rule("contract.provide")
def can_act_as_provider(user: Any, contract: Any) -> Decision:
    """The provider's admins, or the staff of the association that is paid on its behalf."""
    if user_acts_for(user, contract.provider_id, [Role.ORG_ADMIN]):
        return True, ""
    if user_acts_for(user, contract.payee_id, [Role.ASSOCIATION_STAFF]):
        return True, ""
    return False, _("Only the provider (or its association) may do this for the contract.")


@rule("association.finance")
def can_see_association_finance(user: Any, association: Any) -> Decision:
    """An association's accounts: its staff (and officials over it), and the admins of its
    member organizations, who see their own payments and requests only."""
    from servicepark.procurement.selectors_contracts import association_members_of
    from servicepark.registry.permissions import can_manage_association_members

    if can_manage_association_members(user, association)[0]:
        return True, ""
    if association_members_of(user=user, association_id=association.pk):
        return True, ""
    return False, _("Only the association's staff and members see its accounts.")


@rule("decision.view")
def can_view_decision(user: Any, decision: Any) -> Decision:
    """A decision before it is public: the purchaser's staff and its leading group."""
    if can_manage_call(user, decision.call)[0] or can_vote_on_decision(user, decision)[0]:
        return True, ""
    return False, _("Only the purchaser's staff and its leading group see this.")


@rule("voucher.reveal")
def can_reveal_voucher_holder(user: Any, voucher: Any) -> Decision:
    """A voucher holder's phone and ID number: the purchaser's staff who issued it and the
    provider who serves the holder."""
    contract = voucher.scheme.contract
    if can_manage_contract(user, contract)[0] or can_act_as_provider(user, contract)[0]:
        return True, ""
    return False, _("Only the purchaser and the provider of the contract may see this.")


def _declare_revealable() -> None:
    from servicepark.common.reveal import revealable
    from servicepark.procurement.models import Voucher

    revealable(Voucher, ("holder_phone", "holder_id_number"), "voucher.reveal")


_declare_revealable()
