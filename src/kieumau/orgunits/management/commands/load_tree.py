import time

from django.core.management.base import BaseCommand

from kieumau.orgunits.loader import is_loaded, load_tree
from kieumau.orgunits.plan import build_plan


class Command(BaseCommand):
    help = "Load (or refresh) the police tree, old and new, from the vietnam-provinces package."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="reload even if this package version is already loaded")

    def handle(self, *args, force: bool = False, **options):
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"  [{time.monotonic() - started:5.1f}s] {message}")
            self.stdout.flush()

        progress("đọc dữ liệu hành chính từ vietnam-provinces…")
        plan = build_plan()
        progress(f"{len(plan.units)} đơn vị, {len(plan.lineage)} quan hệ kế thừa trong dữ liệu")
        if not force and is_loaded(plan):
            self.stdout.write(self.style.SUCCESS(
                f"Cây tổ chức đã được nạp từ vietnam-provinces {plan.package_version}; "
                "không có gì thay đổi (--force để nạp lại)."))
            return
        load = load_tree(plan=plan, progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"Đã nạp cây tổ chức ({load}) trong {time.monotonic() - started:.1f}s"))
