"""Bulk import from the web: upload, a progress bar, and the error report."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from servicepark.common.permissions import has_permission
from servicepark.registry.forms import ImportForm
from servicepark.registry.selectors import import_job_get_for, import_job_list
from servicepark.registry.services.import_jobs import import_job_submit
from servicepark.registry.validation import COLUMNS


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    allowed, reason = has_permission("organization.import", request.user)
    if not allowed:
        raise PermissionDenied(reason)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_submit(
                actor=request.user,
                upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
                all_or_nothing=form.cleaned_data["all_or_nothing"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("registry:import_job", job.pk)
    return render(
        request,
        "registry/import.html",
        {"form": form, "columns": ",".join(COLUMNS), "jobs": import_job_list(user=request.user)},
    )


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    item = import_job_get_for(user=request.user, pk=pk)
    is_htmx = bool(getattr(request, "htmx", False))
    template = "registry/_import_progress.html" if is_htmx else "registry/import_job.html"
    return render(request, template, {"job": item})


@login_required
def job_errors(request: HttpRequest, pk: int) -> FileResponse:
    item = import_job_get_for(user=request.user, pk=pk)
    if not item.errors_path or not Path(item.errors_path).is_file():
        raise Http404
    # The stored report is UTF-8; a BOM in front lets spreadsheet programs read it.
    body = b"\xef\xbb\xbf" + Path(item.errors_path).read_bytes()
    response = FileResponse(iter([body]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{item.pk}-errors.csv"'
    return response
