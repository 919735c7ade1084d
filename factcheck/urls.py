"""Top-level URLs: public site, staff review area, accounts, admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from claims.api import api
from factcheck.favicon import favicon
from factcheck.health import healthz, healthz_ready
from factcheck.metrics import metrics_view

urlpatterns = [
    path("", include("claims.urls.public", namespace="public")),
    path("review/", include("claims.urls.review", namespace="review")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("healthz/ready", healthz_ready, name="healthz-ready"),
    path("metrics", metrics_view, name="metrics"),
    path("favicon.ico", favicon, name="favicon"),
]

handler403 = "factcheck.errors.permission_denied"
handler500 = "factcheck.errors.server_error"
