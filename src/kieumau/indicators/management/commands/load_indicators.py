from django.core.management.base import BaseCommand

from kieumau.indicators.services import load_indicators


class Command(BaseCommand):
    help = "Load the indicator catalogue shipped in the package (idempotent)."

    def handle(self, *args, **options):
        result = load_indicators()
        self.stdout.write(
            f"Danh mục chỉ số: {result.created} mới, {result.updated} cập nhật, "
            f"{result.unchanged} không đổi."
        )
