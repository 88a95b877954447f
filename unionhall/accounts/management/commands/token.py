"""`unionhall token USERNAME [--renew]`: print a user's API token, creating it if there is none."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from unionhall.accounts.models import User
from unionhall.accounts.services import user_token_renew


class Command(BaseCommand):
    help = "Print the API token of USERNAME (created if missing); --renew replaces it, the old one stops working."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--renew", action="store_true", help="Replace the token; the old one stops working.")

    def handle(self, *args: Any, username: str, renew: bool, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user has the user name %(username)s.") % {"username": username})
        if not user.is_active:
            raise CommandError(_("This account is deactivated."))
        key = Token.objects.filter(user=user).values_list("key", flat=True).first()
        if key is None or renew:
            # Through the service, so that issuing a token is audited; with nothing to replace, it only creates.
            # Run from the shell, no user acts: the audit entry names "system".
            key = user_token_renew(actor=None, user=user)  # type: ignore[arg-type]
        self.stdout.write(key)
