from django.core.management.base import BaseCommand, CommandError

from kieumau.accounts.models import User
from kieumau.citizens import feed, selectors
from kieumau.indicators.months import month_label, parse_month
from kieumau.indicators.services import ValuesRejected


class Command(BaseCommand):
    help = ("Write a month's resident figures (survey answers, satisfied answers, reports received "
            "and handled on time) to the indicators of every commune in a user's scope that has "
            "any, through the indicators service (audit, locks).")

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--as", dest="username", required=True,
                            help="the officer recorded as the author of the values")

    def handle(self, *args, **options):
        try:
            month = parse_month(options["month"])
        except ValueError:
            raise CommandError("--month phải có dạng YYYY-MM") from None
        actor = User.objects.filter(username=options["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"không có người dùng {options['username']!r}")
        units = selectors.units_with_figures(actor, month=month)
        written = failed = 0
        for unit in units:
            try:
                result = feed.publish_month(actor=actor, unit=unit, month=month)
            except ValuesRejected as rejected:
                failed += 1
                self.stderr.write(f"{unit.police_name}: "
                                  + "; ".join(error.message for error in rejected.errors))
            else:
                written += result.created + result.updated
        self.stdout.write(f"{month_label(month)}: {len(units)} đơn vị, {written} giá trị ghi mới "
                          f"hoặc thay đổi, {failed} đơn vị bị từ chối.")
        if failed:
            raise CommandError("một số đơn vị không ghi được (xem trên)")
