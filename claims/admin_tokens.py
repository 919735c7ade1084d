"""The admin's API tokens: make one for a user (shown once), see when each was last used, and
revoke. Registered from claims/admin.py.

Only superusers see it: a token acts as its user, so whoever can make tokens for others can act
as them, which no role below superuser may do.
"""

from __future__ import annotations

from django.contrib import admin, messages

from claims.models import ApiToken
from claims.services.api_tokens import api_token_create, api_token_revoke
from claims.services.errors import ServiceError

SHOWN_ONCE = (
    "API token for {user}: {token} — copy it now: it is not shown again (only its hash is "
    "kept). Send it as 'Authorization: Bearer <token>'."
)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "created_at"]
    search_fields = ["user__username", "name", "prefix"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name"]
        return ["prefix", "user", "name", "created_by", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def save_model(self, request, obj: ApiToken, form, change: bool) -> None:
        """A new token is made by the service (which hashes it); the token goes to the person
        once, in a message, and nowhere else."""
        if change:
            return
        row, token = api_token_create(user=obj.user, name=obj.name, by=request.user)
        obj.pk = row.pk
        obj.prefix, obj.token_hash, obj.created_at = row.prefix, row.token_hash, row.created_at
        self.message_user(request, SHOWN_ONCE.format(user=row.user, token=token), messages.WARNING)

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request, queryset) -> None:
        revoked = 0
        for token in queryset:
            try:
                api_token_revoke(token=token, by=request.user)
            except ServiceError:
                continue
            revoked += 1
        self.message_user(request, f"{revoked} token(s) revoked.", messages.SUCCESS)
