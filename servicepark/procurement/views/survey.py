"""The beneficiary survey: one short page, no account, nothing that identifies the person."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_protect

from servicepark.procurement.models import Survey
from servicepark.procurement.services.reporting import survey_answer


@csrf_protect
def survey(request: HttpRequest, token: str) -> HttpResponse:
    found = Survey.objects.filter(token=token).select_related("contract__provider").first()
    context: dict[str, object] = {"survey": found, "done": False, "error": ""}
    if request.method == "POST" and found is not None:
        try:
            survey_answer(
                token=token,
                satisfaction=request.POST.get("satisfaction"),
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
        else:
            context["done"] = True
    status = 404 if found is None else 200
    return render(request, "procurement/survey.html", context, status=status)
