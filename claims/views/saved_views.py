"""Saved views of the queue: save the filters in use under a name, or delete a saved view.
Staff only; each person's views are their own."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from claims.services import saved_views as saved_view_services
from claims.services.errors import ServiceError
from claims.views.review import HtmxHttpRequest, staff_required


@require_POST
@staff_required
def saved_view_create(request: HtmxHttpRequest) -> HttpResponse:
    query = request.POST.get("query", "")[:1000]
    try:
        view = saved_view_services.saved_view_save(
            user=request.user, name=request.POST.get("name", ""), query=query
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("review:queue") + (f"?{query}" if query else ""))
    messages.success(request, f"Saved the view “{view.name}”.")
    return redirect(view.get_absolute_url())


@require_POST
@staff_required
def saved_view_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    try:
        saved_view_services.saved_view_delete(user=request.user, view_id=pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Saved view deleted.")
    return redirect("review:queue")
