from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kieumau.core.dates import today
from kieumau.demo import data
from kieumau.orgunits.models import OrgUnit


class Command(BaseCommand):
    help = "Load the demo accounts and data (refused unless KIEUMAU_DEBUG is on)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "kieumau demo chỉ chạy khi KIEUMAU_DEBUG=1: tài khoản demo có mật khẩu công khai."
            )
        if not OrgUnit.objects.exists():
            call_command("load_tree", stdout=self.stdout)
        accounts = data.ensure_demo_accounts(today=today())
        for extra in data.extra_loaders():
            extra(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Tài khoản demo (mật khẩu: kieumau-demo):"))
        for account, unit in accounts:
            self.stdout.write(f"  {account.username:<16} {account.role:<17} {unit.police_name}")
