"""Guiding catalogues: public list and page; purchasers add entries and publish."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepark.common.feedback import add_errors, flash_error
from servicepark.common.permissions import has_permission
from servicepark.procurement.forms import CatalogueEntryForm, CatalogueForm
from servicepark.procurement.models import Catalogue, CatalogueEntry
from servicepark.procurement.selectors import (
    catalogue_field_spread,
    catalogue_get_for,
    catalogue_list,
    catalogue_tree,
    purchasers_editable_by,
)
from servicepark.procurement.services.catalogue import (
    catalogue_create,
    catalogue_entry_add,
    catalogue_publish,
)


def catalogue_index(request: HttpRequest) -> HttpResponse:
    form = None
    if request.user.is_authenticated:
        purchasers = purchasers_editable_by(request.user)
        if purchasers.exists():
            form = CatalogueForm(request.POST or None, purchasers=purchasers)
            if request.method == "POST" and form.is_valid():
                try:
                    catalogue = catalogue_create(
                        actor=request.user,
                        purchaser=form.cleaned_data["purchaser"],
                        year=form.cleaned_data["year"],
                    )
                except ValidationError as exc:
                    form.add_error("year", exc.messages[0])
                else:
                    return redirect("procurement:catalogue", catalogue.pk)
    return render(
        request,
        "procurement/catalogues.html",
        {"catalogues": list(catalogue_list(user=request.user)[:200]), "form": form},
    )


def catalogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _catalogue_page(request, catalogue_get_for(user=request.user, pk=pk))


def _catalogue_page(
    request: HttpRequest, catalogue: Catalogue, entry_form: CatalogueEntryForm | None = None
) -> HttpResponse:
    """The catalogue; `entry_form` is a refused entry, shown again with its errors by field
    and what was typed."""
    can_edit = (
        request.user.is_authenticated
        and has_permission("catalogue.edit", request.user, catalogue.purchaser)[0]
        and catalogue.state == catalogue.State.DRAFT
    )
    tree = catalogue_tree(catalogue)
    spread = catalogue_field_spread(catalogue)
    if entry_form is not None and not can_edit:
        flash_error(request, entry_form)  # no form to show it on (e.g. published meanwhile)
    elif can_edit and entry_form is None:
        entry_form = CatalogueEntryForm(catalogue=catalogue)
    return render(
        request,
        "procurement/catalogue.html",
        {
            "catalogue": catalogue,
            "tree": tree,
            "spread": spread,
            "total": sum((n.total for n in tree), 0),
            "empty_fields": [s for s in spread if s.is_empty],
            "can_edit": can_edit,
            "entry_form": entry_form if can_edit else None,
        },
    )


@login_required
@require_POST
def catalogue_entry(request: HttpRequest, pk: int) -> HttpResponse:
    catalogue = catalogue_get_for(user=request.user, pk=pk)
    form = CatalogueEntryForm(request.POST, catalogue=catalogue)
    if not form.is_valid():
        return _catalogue_page(request, catalogue, form)
    data: dict[str, Any] = dict(form.cleaned_data)
    parent: CatalogueEntry | None = data.pop("parent")
    data["fields"] = data.pop("fields_of_service")
    try:
        catalogue_entry_add(actor=request.user, catalogue=catalogue, parent=parent, **data)
    except ValidationError as exc:
        add_errors(form, exc, {"fields": "fields_of_service"})
        return _catalogue_page(request, catalogue, form)
    messages.success(request, _("The entry was added."))
    return redirect("procurement:catalogue", pk)


@login_required
@require_POST
def catalogue_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    catalogue = catalogue_get_for(user=request.user, pk=pk)
    try:
        catalogue_publish(actor=request.user, catalogue=catalogue)
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("The catalogue was published."))
    return redirect("procurement:catalogue", pk)
