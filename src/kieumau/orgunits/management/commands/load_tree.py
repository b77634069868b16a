import time

from django.core.management.base import BaseCommand

from kieumau.orgunits.loader import load_tree
from kieumau.orgunits.plan import build_plan


class Command(BaseCommand):
    help = "Load (or refresh) the police tree, old and new, from the vietnam-provinces package."

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"  [{time.monotonic() - started:5.1f}s] {message}")
            self.stdout.flush()

        progress("đọc dữ liệu hành chính từ vietnam-provinces…")
        plan = build_plan()
        progress(f"{len(plan.units)} đơn vị, {len(plan.lineage)} quan hệ kế thừa trong dữ liệu")
        load = load_tree(plan=plan, progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"Đã nạp cây tổ chức ({load}) trong {time.monotonic() - started:.1f}s"))
