"""App configuration for the claims app."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Fact-checking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from claims import counters

        # After every migrate: the counting triggers match the code, whatever a migration did.
        post_migrate.connect(
            counters.install_after_migrate, sender=self, dispatch_uid="claims_counters"
        )
