import datetime as dt
import getpass

from django.core.management.base import BaseCommand, CommandError

from kieumau.accounts.models import Role, User
from kieumau.accounts.services import create_user
from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit


class Command(BaseCommand):
    help = "Create a user with a role and a home unit (the unit's code as of --as-of, default today)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--unit", required=True, help="code of the home unit, e.g. 40 or 16939")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--password", help="omit to be asked")
        parser.add_argument("--full-name", default="")

    def handle(self, *args, username, role, unit, as_of, password, full_name, **options):
        from kieumau.core.dates import today

        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} exists")
        try:
            home = tree.unit_by_code(units=OrgUnit.objects.all(), code=unit, as_of=as_of or today())
        except tree.UnitNotFound as missing:
            raise CommandError(f"no unit {missing.code} on {missing.as_of}") from None
        password = password or getpass.getpass("Password: ")
        create_user(username=username, password=password, role=role, home_unit=home,
                    full_name=full_name)
        self.stdout.write(self.style.SUCCESS(f"{username}: {role} of {home.police_name}"))
