"""Public pages: the two credit lists and each organization's credit page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from servicepark.common.pagination import paginate
from servicepark.oversight.models import AnnualReport, CreditList
from servicepark.oversight.selectors import credit_record, public_listings
from servicepark.oversight.services.grades import valid_grade
from servicepark.oversight.triggers import TRIGGERS
from servicepark.registry.selectors import organization_get_for


def credit_lists(request: HttpRequest) -> HttpResponse:
    which = request.GET.get("list") or CreditList.ABNORMAL
    if which not in CreditList.values:
        which = CreditList.ABNORMAL
    history = request.GET.get("all") == "1"
    page = paginate(public_listings(list_=which, history=history), page=request.GET.get("page"))
    return render(
        request,
        "oversight/credit_lists.html",
        {
            "page": page,
            "which": which,
            "history": history,
            "lists": CreditList.choices,
            "triggers": TRIGGERS,
        },
    )


def credit_page(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_get_for(user=request.user, pk=pk)
    return render(
        request,
        "oversight/credit_page.html",
        {
            "org": org,
            "entries": credit_record(org),
            "grade": valid_grade(org),
            "reports": AnnualReport.objects.filter(organization=org).only(
                "year", "submitted_at", "result"
            ),
            "triggers": TRIGGERS,
        },
    )
