"""Applying: start, fill in, attach, submit (idempotent), withdraw; read the result."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepark.common.feedback import attempt, flash_error
from servicepark.common.inputs import picked_id
from servicepark.common.pagination import paginate
from servicepark.common.permissions import has_permission
from servicepark.procurement.forms_applications import ApplicationForm, AttachmentForm
from servicepark.procurement.models import Application
from servicepark.procurement.selectors import application_get_for, application_list, call_get_for
from servicepark.procurement.selectors_decisions import (
    attachment_get_for,
    organizations_user_may_apply_for,
    result_for_applicant,
)
from servicepark.procurement.services.applications import (
    application_save_draft,
    application_start,
    application_submit,
    application_withdraw,
    check_content,
)
from servicepark.procurement.services.attachments import attachment_add, attachment_remove


@login_required
def application_index(request: HttpRequest) -> HttpResponse:
    page = paginate(application_list(user=request.user), page=request.GET.get("page"), per_page=20)
    return render(request, "procurement/applications.html", {"page": page})


@login_required
def application_new(request: HttpRequest, call_pk: int) -> HttpResponse:
    call = call_get_for(user=request.user, pk=call_pk)
    choices = organizations_user_may_apply_for(request.user)
    if request.method == "POST":
        picked = picked_id(request.POST.get("organization"))
        organization = choices.filter(pk=picked).first() if picked else None
        if organization is None:
            messages.error(request, _("Choose one of the organizations listed."))
        else:
            try:
                app = application_start(actor=request.user, call=call, organization=organization)
            except ValidationError as exc:
                flash_error(request, exc)
            else:
                return redirect("procurement:application", app.pk)
    return render(request, "procurement/apply.html", {"call": call, "choices": choices})


def _editable(request: HttpRequest, app: Application) -> bool:
    return (
        has_permission("application.edit", request.user, app)[0]
        and app.state != Application.State.WITHDRAWN
        and app.call.phase() == "open"
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for(user=request.user, pk=pk)
    editable = _editable(request, app)
    form = ApplicationForm(call=app.call, initial=ApplicationForm.initial_from(app.content))
    if request.method == "POST" and editable:
        form = ApplicationForm(request.POST, call=app.call)
        action = request.POST.get("action", "save")
        if form.is_valid():
            content = form.to_content()
            if (
                attempt(
                    request,
                    lambda: application_save_draft(
                        actor=request.user, application=app, content=content
                    ),
                    _("The draft was saved."),
                )
                and action == "submit"
            ):
                attempt(
                    request,
                    lambda: application_submit(
                        actor=request.user,
                        application=app,
                        submission_key=request.POST.get("submission_key", ""),
                    ),
                    _("The application was submitted."),
                )
            return redirect("procurement:application", app.pk)
        flash_error(request, form)
    problems = check_content(app.call, app.content)[2] if app.content else []
    return render(
        request,
        "procurement/application.html",
        {
            "app": app,
            "call": app.call,
            "form": form,
            "editable": editable,
            "problems": problems,
            "submission_key": uuid.uuid4().hex,
            "attachments": app.attachments.filter(removed_at__isnull=True),
            "attachment_form": AttachmentForm(),
            "versions": app.versions.order_by("-number"),
            "result": result_for_applicant(app),
        },
    )


@login_required
@require_POST
def application_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for(user=request.user, pk=pk)
    attempt(
        request,
        lambda: application_withdraw(actor=request.user, application=app),
        _("The application was withdrawn."),
    )
    return redirect("procurement:application", app.pk)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        flash_error(request, form)
    else:
        attempt(
            request,
            lambda: attachment_add(
                actor=request.user,
                application=app,
                upload=form.cleaned_data["file"],
                label=form.cleaned_data["label"],
            ),
            _("The document was attached."),
        )
    return redirect("procurement:application", app.pk)


@login_required
@require_POST
def attachment_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = attachment_get_for(user=request.user, pk=pk)
    attempt(
        request,
        lambda: attachment_remove(actor=request.user, attachment=attachment),
        _("The document was removed from the draft."),
    )
    return redirect("procurement:application", attachment.application_id)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = attachment_get_for(user=request.user, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
