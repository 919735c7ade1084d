"""App configuration for the claims app."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Fact-checking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from claims import counters, public_cache, review_cache

        public_cache.connect_signals()

        # Around every migrate: SQLite's triggers come off before (its table rebuilds trip over
        # them) and the counting triggers match the code after, whatever a migration did.
        pre_migrate.connect(
            counters.drop_before_migrate, sender=self, dispatch_uid="claims_counters_off"
        )
        post_migrate.connect(
            counters.install_after_migrate, sender=self, dispatch_uid="claims_counters"
        )
        pre_migrate.connect(
            review_cache.drop_before_migrate, sender=self, dispatch_uid="claims_review_cache_off"
        )
        post_migrate.connect(
            review_cache.install_after_migrate, sender=self, dispatch_uid="claims_review_cache"
        )
        post_migrate.connect(_ensure_archive_search_index, sender=self)


def _ensure_archive_search_index(sender, using: str = "default", **kwargs) -> None:
    """Rebuilding a table (Django does it on SQLite for many field changes) drops its triggers;
    put the archive's full-text index triggers back after every migrate."""
    from django.db import connections

    from claims.corroboration import search_schema

    search_schema.ensure(connections[using])
