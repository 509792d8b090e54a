"""The officials' desk: alerts by state, the work waiting for them, and one alert's page
with the rule's explanation, the evidence and the organization's score."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepark.common.feedback import attempt
from servicepark.common.pagination import paginate
from servicepark.common.permissions import has_permission
from servicepark.oversight.models import Alert, OversightRun
from servicepark.oversight.presenters import explain_signal, score_lines
from servicepark.oversight.selectors import (
    alert_counts,
    alerts_for,
    latest_score,
    pending_work,
    score_trend,
)
from servicepark.oversight.services.alerts import alert_transition
from servicepark.oversight.workflows import ALERT


def _require_reader(request: HttpRequest) -> None:
    from servicepark.accounts.scoping import user_roles
    from servicepark.oversight.permissions import READERS

    if not (request.user.is_superuser or user_roles(request.user) & set(READERS)):
        raise PermissionDenied(_("The oversight desk is for officials, auditors and center staff."))


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    state = request.GET.get("state") or Alert.State.OPEN
    if state not in Alert.State.values:
        state = Alert.State.OPEN
    page = paginate(alerts_for(request.user, state=state), page=request.GET.get("page"))
    counts = alert_counts(request.user)
    for alert in page.items:
        alert.text = explain_signal(alert.signal)
    return render(
        request,
        "oversight/desk.html",
        {
            "page": page,
            "state": state,
            "tabs": [(code, label, counts.get(code, 0)) for code, label in Alert.State.choices],
            "work": pending_work(request.user),
            "last_run": OversightRun.objects.filter(mode=OversightRun.Mode.FULL).first(),
        },
    )


def _alert(request: HttpRequest, pk: int) -> Alert:
    _require_reader(request)
    return get_object_or_404(alerts_for(request.user), pk=pk)


@login_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert(request, pk)
    org = alert.organization
    score = latest_score(org)
    return render(
        request,
        "oversight/alert.html",
        {
            "alert": alert,
            "org": org,
            "explained": explain_signal(alert.signal, full=True),
            "score": score,
            "score_lines": score_lines(score),
            "trend": score_trend(org),
            "actions": ALERT.available(alert),
            "can_manage": has_permission("oversight.manage", request.user, org)[0],
        },
    )


@login_required
@require_POST
def alert_action(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert(request, pk)
    action = request.POST.get("action", "")
    attempt(
        request,
        lambda: alert_transition(
            actor=request.user, alert=alert, action=action, note=request.POST.get("note", "")
        ),
        _("Done."),
    )
    return redirect("oversight:alert", pk=alert.pk)
