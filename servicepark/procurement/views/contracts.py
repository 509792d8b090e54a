"""Contracts: drafting from an award, signing, the lifecycle, milestones and payments,
vouchers, reports, service records, the survey link and evaluation."""

from __future__ import annotations

import uuid

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_organization_ids
from servicepark.common.feedback import add_errors, attempt, flash_error
from servicepark.common.inputs import iso_date
from servicepark.common.pagination import paginate
from servicepark.common.permissions import has_permission
from servicepark.procurement.forms_contracts import ContractForm, EvaluationForm, ReportForm
from servicepark.procurement.models import Award, Contract, Milestone, Report, VoucherScheme
from servicepark.procurement.selectors_contracts import (
    contract_get,
    contract_list,
    contract_public_list,
    contract_visible,
    evaluation_for,
    payments_of,
)
from servicepark.procurement.services.contracts import (
    contract_create,
    contract_sign,
    contract_transition,
    matching_funds_record,
)
from servicepark.procurement.services.evaluation import (
    evaluation_assign,
    evaluation_submit,
    satisfaction_of,
)
from servicepark.procurement.services.payments import (
    milestone_accept,
    milestone_pay,
    milestone_submit,
    voucher_redeem,
)
from servicepark.procurement.services.reporting import (
    report_submit,
    service_record_add,
    variance_flagged,
)
from servicepark.procurement.services.vouchers import voucher_scheme_create, vouchers_issue
from servicepark.registry.models import Organization


def contract_index(request: HttpRequest) -> HttpResponse:
    """Signed contracts are public; the parties and officials also see their drafts."""
    rows = contract_list(user=request.user) if request.user.is_authenticated else None
    mine = rows is not None and request.GET.get("mine") == "1"
    page = paginate(
        rows if mine and rows is not None else contract_public_list(),
        page=request.GET.get("page"),
        per_page=30,
    )
    return render(
        request,
        "procurement/contracts.html",
        {"page": page, "mine": mine, "query": "mine=1" if mine else ""},
    )


@login_required
def contract_new(request: HttpRequest, award_pk: int) -> HttpResponse:
    award = get_object_or_404(
        Award.objects.select_related("decision__call__purchaser", "application__organization"),
        pk=award_pk,
    )
    call = award.decision.call
    if not has_permission("call.manage", request.user, call)[0]:
        raise PermissionDenied(_("Only the purchaser's staff draft contracts."))
    initial = {
        "title": award.application.content.get("title", ""),
        "beneficiaries": award.application.content.get("beneficiaries", ""),
        "quantities": award.application.content.get("targets", ""),
        "price": award.amount,
    }
    form = ContractForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contract = contract_create(actor=request.user, award=award, data=form.to_input())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The contract is drafted; both sides may now sign it."))
            return redirect("procurement:contract", contract.pk)
    return render(request, "procurement/contract_form.html", {"form": form, "award": award})


def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract, involved = contract_get(user=request.user, pk=pk)
    user = request.user
    context = {"contract": contract, "involved": involved}
    if involved:
        manage = has_permission("contract.manage", user, contract)[0]
        provide = has_permission("contract.provide", user, contract)[0]
        survey = getattr(contract, "survey", None)
        evaluation = getattr(contract, "evaluation", None)
        survey_url = (
            request.build_absolute_uri(reverse("survey", args=[survey.token])) if survey else ""
        )
        context |= {
            "manage": manage,
            "provide": provide,
            "payments": payments_of(contract),
            "reports": contract.reports.prefetch_related("expenses").order_by("due_on"),
            "records": contract.service_records.all()[:50],
            "scheme": getattr(contract, "vouchers", None),
            "survey_url": survey_url,
            "survey_qr": segno.make(survey_url, error="m").svg_inline(scale=3)
            if survey_url
            else "",
            "satisfaction": satisfaction_of(contract),
            "evaluation": evaluation,
            "is_evaluator": evaluation is not None
            and evaluation.evaluator_id
            in user_organization_ids(user, [Role.ORG_ADMIN, Role.ORG_MEMBER]),
            "pay_key": uuid.uuid4().hex,
            "report_form": ReportForm(),
            # An association paid on the provider's behalf: a link to its accounts for those
            # who may read them.
            "association_books": contract.payee_id != contract.provider_id
            and has_permission("association.finance", user, contract.payee)[0],
            "variance_flagged": variance_flagged,
        }
    return render(request, "procurement/contract.html", context)


def _contract_for(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    contract = contract_visible(request.user).filter(pk=pk).select_related("purchaser").first()
    if contract is None:
        raise PermissionDenied(_("Only the parties to the contract may do this."))
    return contract


@login_required
@require_POST
def contract_action(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract_for(request, pk)
    action = request.POST.get("action", "")
    user = request.user
    post = request.POST
    actions = {
        "sign_purchaser": (
            lambda: contract_sign(actor=user, contract=contract, side="purchaser"),
            _("Signed for the purchaser."),
        ),
        "sign_provider": (
            lambda: contract_sign(actor=user, contract=contract, side="provider"),
            _("Signed for the provider."),
        ),
        "scheme": (
            lambda: voucher_scheme_create(
                actor=user,
                contract=contract,
                service=post.get("service", ""),
                public_share=post.get("public_share", ""),
                co_payment=post.get("co_payment") or "0",
            ),
            _("The voucher scheme is set up."),
        ),
        "issue": (
            lambda: vouchers_issue(
                actor=user,
                scheme=_scheme_of(contract),
                holders=post.get("holders", "").splitlines(),
            ),
            _("Vouchers issued."),
        ),
        "redeem": (
            lambda: voucher_redeem(actor=user, code=post.get("code", ""), key=post.get("key", "")),
            _("The voucher is redeemed and paid."),
        ),
        "record": (
            lambda: service_record_add(
                actor=user,
                contract=contract,
                held_on=iso_date(post.get("held_on", "")),
                activity=post.get("activity", ""),
                people_served=post.get("people_served", ""),
                volunteers=post.get("volunteers") or 0,
            ),
            _("The activity is recorded."),
        ),
        "matching": (
            lambda: matching_funds_record(
                actor=user,
                contract=contract,
                amount=post.get("amount", ""),
                source=post.get("source", ""),
            ),
            _("The matching funds are recorded."),
        ),
        "evaluator": (
            lambda: evaluation_assign(
                actor=user,
                contract=contract,
                evaluator=_organization(post.get("evaluator", "")),
            ),
            _("The evaluator is assigned."),
        ),
    }
    if action in actions:
        run, done = actions[action]
        attempt(request, run, done)
    elif action in ("activate", "suspend", "resume", "complete", "terminate"):
        attempt(
            request,
            lambda: contract_transition(
                actor=user, contract=contract, action=action, reason=post.get("reason", "")
            ),
            _("The contract's state is changed."),
        )
    else:
        flash_error(request, ValidationError(_("Unknown action.")))
    return redirect("procurement:contract", contract.pk)


def _scheme_of(contract: Contract) -> VoucherScheme:
    """The contract's voucher scheme; a message, not a server error, when there is none yet
    (a stale page or a second tab)."""
    scheme = getattr(contract, "vouchers", None)
    if scheme is None:
        raise ValidationError(_("Set up the voucher scheme before issuing vouchers."))
    return scheme


def _organization(value: str) -> Organization:
    value = (value or "").strip()
    org = (
        Organization.objects.filter(uscc=value.upper()).first()
        or Organization.objects.filter(name=value).first()
    )
    if org is None:
        raise ValidationError(_("No organization has this USCC or name."))
    return org


@login_required
@require_POST
def milestone_action(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone, pk=pk)
    _contract_for(request, milestone.contract_id)
    action = request.POST.get("action", "")
    user = request.user
    if action == "submit":
        attempt(
            request,
            lambda: milestone_submit(
                actor=user, milestone=milestone, note=request.POST.get("note", "")
            ),
            _("The deliverable is reported."),
        )
    elif action == "accept":
        attempt(request, lambda: milestone_accept(actor=user, milestone=milestone), _("Accepted."))
    elif action == "pay":
        attempt(
            request,
            lambda: milestone_pay(
                actor=user,
                milestone=milestone,
                amount=request.POST.get("amount", ""),
                key=request.POST.get("key", ""),
            ),
            _("The milestone is paid."),
        )
    else:
        flash_error(request, ValidationError(_("Unknown action.")))
    return redirect("procurement:contract", milestone.contract_id)


@login_required
@require_POST
def report_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    _contract_for(request, report.contract_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        flash_error(request, form)
    else:
        attempt(
            request,
            lambda: report_submit(
                actor=request.user,
                report=report,
                summary=form.cleaned_data["summary"],
                expenses=form.expenses(),
            ),
            _("The report is submitted."),
        )
    return redirect("procurement:contract", report.contract_id)


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(user=request.user, pk=pk)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if attempt(
            request,
            lambda: evaluation_submit(
                actor=request.user,
                evaluation=evaluation,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            ),
            _("The evaluation is submitted."),
        ):
            return redirect("procurement:evaluation", evaluation.pk)
    contract = evaluation.contract
    return render(
        request,
        "procurement/evaluation.html",
        {
            "evaluation": evaluation,
            "contract": contract,
            "form": form,
            "satisfaction": satisfaction_of(contract),
            "records": contract.service_records.all()[:50],
            "reports": contract.reports.filter(submitted_at__isnull=False),
        },
    )
