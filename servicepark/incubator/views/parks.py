"""Parks: the public list and each park's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from servicepark.incubator.models import Park


def park_index(request: HttpRequest) -> HttpResponse:
    parks = Park.objects.select_related("division", "operator").order_by("division_id", "name")
    return render(request, "incubator/parks.html", {"parks": parks})


def park_detail(request: HttpRequest, pk: int) -> HttpResponse:
    park = get_object_or_404(Park.objects.select_related("division", "operator"), pk=pk)
    return render(request, "incubator/park.html", {"park": park})
