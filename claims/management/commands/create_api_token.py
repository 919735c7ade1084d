"""Make an API token for a user and print it: the only time it is shown (only its hash is kept).

    python manage.py create_api_token USERNAME [--name "Newsroom CMS"]

The token acts with the user's roles; revoke it in the admin (API tokens).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from claims.services.api_tokens import api_token_create_for_username
from claims.services.errors import ServiceError


class Command(BaseCommand):
    help = "Make an API token for USERNAME and print it once (only a hash is stored)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args, username: str, name: str, **options) -> None:
        try:
            row, token = api_token_create_for_username(username=username, name=name)
        except ServiceError as error:
            raise CommandError(error.message) from None
        if options["verbosity"] > 0:
            self.stderr.write(
                f"Token {row.prefix}… made for {row.user}. It is shown only now; send it as "
                "'Authorization: Bearer <token>'."
            )
        self.stdout.write(token)
