"""An umbrella association's money: its terms, what it received for members (fee kept, net
passed on), the emergency pool and members' requests for support."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepark.common.feedback import attempt, flash_error
from servicepark.common.inputs import choice_id
from servicepark.common.permissions import has_permission, require_permission
from servicepark.procurement.models import SupportRequest
from servicepark.procurement.selectors_contracts import association_members_of, association_money
from servicepark.procurement.services.support import (
    association_finance_set,
    support_request_decide,
    support_request_file,
)
from servicepark.registry.models import Organization


def _association(request: HttpRequest, pk: int) -> tuple[Organization, bool, list[Organization]]:
    association = get_object_or_404(Organization, pk=pk)
    require_permission("association.finance", request.user, association)
    staff = has_permission("association.members", request.user, association)[0]
    members = association_members_of(user=request.user, association_id=association.pk)
    return association, staff, members


@login_required
def association_finance(request: HttpRequest, pk: int) -> HttpResponse:
    association, staff, members = _association(request, pk)
    money = association_money(association.pk)
    if not staff:  # a member sees its own requests only
        money["requests"] = money["requests"].filter(member__in=members)
        money["payments"] = money["payments"].filter(contract__provider__in=members)
    return render(
        request,
        "procurement/association.html",
        {"association": association, "staff": staff, "members": members, **money},
    )


@login_required
@require_POST
def association_action(request: HttpRequest, pk: int) -> HttpResponse:
    association, staff, members = _association(request, pk)
    action, post, user = request.POST.get("action"), request.POST, request.user
    if action == "terms":
        attempt(
            request,
            lambda: association_finance_set(
                actor=user,
                association=association,
                fee_rate=post.get("fee_rate", ""),
                pool_share=post.get("pool_share", ""),
            ),
            _("The terms are saved."),
        )
    elif action == "request":
        member = next((m for m in members if str(m.pk) == post.get("member")), None)
        if member is None:
            raise PermissionDenied
        attempt(
            request,
            lambda: support_request_file(
                actor=user,
                association=association,
                member=member,
                amount=post.get("amount", ""),
                reason=post.get("reason", ""),
            ),
            _("Your request is filed."),
        )
    elif action in ("approve", "decline"):
        try:
            pk = choice_id(post.get("request"), _("Choose a request from the list."))
        except ValidationError as exc:
            flash_error(request, exc)
            return redirect("procurement:association", association.pk)
        found = get_object_or_404(SupportRequest, pk=pk, association=association)
        attempt(
            request,
            lambda: support_request_decide(
                actor=user, request=found, approve=action == "approve", note=post.get("note", "")
            ),
            _("The request is decided."),
        )
    else:
        flash_error(request, ValidationError(_("Unknown action.")))
    return redirect("procurement:association", association.pk)
