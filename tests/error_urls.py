"""The site's URLs plus one view that fails, to see the 500 page (tests/test_error_pages.py)."""

from django.urls import path

from factcheck.urls import handler403, handler500, urlpatterns

__all__ = ["handler403", "handler500", "urlpatterns"]


def fails(request):
    raise RuntimeError("a fault in a view")


urlpatterns = [*urlpatterns, path("test-fails/", fails)]
