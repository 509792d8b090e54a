"""The beneficiary survey: one short page, no account, nothing that identifies the person.

The link is shared by everyone the contract serves, so a browser that has answered keeps a
cookie saying so (for this survey only, with nothing about the answer) and is thanked rather
than counted again. That stops a double click or a second go, not a determined person with
several browsers; the purchaser reads the answers as a sample, not a vote.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_protect

from servicepark.procurement.models import Survey
from servicepark.procurement.services.reporting import survey_answer

ANSWERED_DAYS = 365


def _cookie(token: str) -> str:
    return f"survey-{token[:32]}"


@csrf_protect
def survey(request: HttpRequest, token: str) -> HttpResponse:
    found = Survey.objects.filter(token=token).select_related("contract__provider").first()
    answered = found is not None and request.get_signed_cookie(_cookie(token), "") == "1"
    context: dict[str, object] = {"survey": found, "done": answered, "error": ""}
    if request.method == "POST" and found is not None and not answered:
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
    response = render(request, "procurement/survey.html", context, status=status)
    if context["done"] and not answered:
        response.set_signed_cookie(
            _cookie(token),
            "1",
            max_age=ANSWERED_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
