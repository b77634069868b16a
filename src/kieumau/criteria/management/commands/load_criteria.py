from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kieumau.criteria import loading
from kieumau.criteria.validation import InvalidSet

ACTIONS = {
    "created": "đã tạo",
    "unchanged": "không đổi",
    "differs": "khác với tệp, giữ bản trong CSDL (dùng --update để áp dụng tệp)",
    "updated": "đã cập nhật theo tệp",
    "revised": "đang được dùng: đã tạo phiên bản mới theo tệp",
}


class Command(BaseCommand):
    help = (
        "Load the indicator catalogue, then the criteria sets shipped in the package (or the "
        "YAML files given); idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="YAML files (default: catalogue)")
        parser.add_argument(
            "--update",
            action="store_true",
            help="apply files that differ from the database (new revision if in use)",
        )

    def handle(self, *args, files, update, **options):
        try:
            indicators = loading.ensure_indicator_catalogue()
        except loading.IndicatorCatalogueUnavailable as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            "Danh mục chỉ số: {} mới, {} cập nhật, {} không đổi".format(
                getattr(indicators, "created", "?"),
                getattr(indicators, "updated", "?"),
                getattr(indicators, "unchanged", "?"),
            )
        )
        try:
            specs = loading.read_files(files) if files else loading.read_catalog()
            results = loading.load_specs(specs=specs, update=update)
        except InvalidSet as invalid:
            raise CommandError(
                "Không nạp bộ tiêu chí nào:\n"
                + "\n".join(f"  - {p.message}" for p in invalid.problems)
            ) from None
        for result in results:
            self.stdout.write(f"  {result.code} {result.version}: {ACTIONS[result.action]}")
        self.stdout.write(self.style.SUCCESS(f"Đã xử lý {len(results)} bộ tiêu chí."))
