"""`unionhall demo [--print-logins]`: the demo organisation, built once through the services."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unionhall.demo.builder import DemoRefused, demo_build, demo_logins, describe, login_table


class Command(BaseCommand):
    help = (
        "Build the demo organisation (Đồng Nai provincial federation with its history, partners and demo users) "
        "through the services. Idempotent: if the demo root VN exists, nothing is changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--print-logins", action="store_true", help="Print the demo users and their password.")

    def handle(self, *args, print_logins: bool, **options) -> None:
        try:
            result = demo_build()
        except DemoRefused as refused:
            raise CommandError(str(refused)) from None
        for line in describe(result):
            self.stdout.write(line)
        if print_logins:
            self.stdout.write("")
            self.stdout.write(login_table(demo_logins()))
