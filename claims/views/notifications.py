"""Staff notifications: the bell, the list at /review/notifications/, the settings, and the
@mention autocomplete of the comment box. Reviewers and editors only; each person sees only
their own notifications."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from claims import selectors
from claims.forms.notifications import NotificationPreferencesForm
from claims.services import notifications as notification_services
from claims.views.review import HtmxHttpRequest, staff_required, wants_fragment

MENTION_OPTIONS = 8


@require_safe
@vary_on_headers("HX-Request")
@staff_required
def notification_list(request: HtmxHttpRequest) -> TemplateResponse:
    """The person's notifications, newest first; those shown are marked read once seen."""
    before = request.GET.get("before", "")
    page = selectors.notifications_page(
        request.user, before=int(before) if before.isdigit() else None
    )
    unread_ids = [item.pk for item in page.items if item.read_at is None]
    # Marked read now, shown as new on this page: the person sees which ones they had missed.
    notification_services.notifications_mark_read(user=request.user, ids=unread_ids)
    template_name = "review/notifications.html"
    if wants_fragment(request):
        template_name += "#notification-items"
    return TemplateResponse(
        request,
        template_name,
        {"page": page, "unread_ids": set(unread_ids)},
    )


@require_POST
@staff_required
def notifications_read_all(request: HtmxHttpRequest) -> HttpResponse:
    marked = notification_services.notifications_mark_read(user=request.user)
    messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked read.")
    return redirect("review:notifications")


@require_safe
@staff_required
def notification_bell(request: HtmxHttpRequest) -> TemplateResponse:
    """The bell alone, which each staff page polls so that news shows without a reload."""
    return TemplateResponse(request, "review/_bell.html", {})


@vary_on_headers("HX-Request")
@staff_required
def notification_settings(request: HtmxHttpRequest) -> HttpResponse:
    """Which kinds each person gets, in the app and by e-mail."""
    current = selectors.notification_preferences(request.user)
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST, current=current)
        if form.is_valid():
            notification_services.notification_preferences_save(
                user=request.user, choices=form.choices()
            )
            messages.success(request, "Notification settings saved.")
            return redirect("review:notification_settings")
    elif request.method in {"GET", "HEAD"}:
        form = NotificationPreferencesForm(current=current)
    else:
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    return TemplateResponse(
        request,
        "review/notification_settings.html",
        {"form": form, "has_email": bool(request.user.email)},
    )


@require_safe
@staff_required
def mention_options(request: HtmxHttpRequest) -> TemplateResponse:
    """Staff whose username starts with `q` (or whose name contains it), for @mentions."""
    prefix = request.GET.get("q", "").strip().lstrip("@")[:150]
    people = selectors.mention_candidates(prefix, limit=MENTION_OPTIONS)
    return TemplateResponse(
        request, "review/_mention_options.html", {"people": people, "prefix": prefix}
    )
