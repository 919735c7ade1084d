"""The site's own error pages: 403 naming the role a person lacks, 404 and 500 in the site's style.

Django's defaults would do for 404 (it renders `404.html` with the request's context), but a 403
from an htmx request is swapped into the page (see the `htmx-config` in `base.html`), so it gets
just the notice, not a whole page inside a page; and a 500 page must not lean on anything that
may be what failed (the database, the session, context processors), so it renders with the
site's name alone.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.template import loader

from claims.views.access import RoleRequired


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403: which role the page or action needs, and the roles the person has."""
    user = request.user
    context = {
        "reason": str(exception) if isinstance(exception, RoleRequired) else "",
        "role": getattr(exception, "role", ""),
        "user_roles": (
            sorted(user.groups.values_list("name", flat=True)) if user.is_authenticated else []
        ),
    }
    fragment = getattr(request, "htmx", False) and not request.htmx.boosted
    template = "errors/_403_notice.html" if fragment else "403.html"
    return HttpResponseForbidden(loader.render_to_string(template, context, request))


def server_error(request: HttpRequest) -> HttpResponse:
    """500: the site's page with no database, session or context processor behind it."""
    html = loader.get_template("500.html").render({"SITE_NAME": settings.SITE_NAME})
    return HttpResponseServerError(html)
