import time

from django.core.management.base import BaseCommand

from kieumau.core.jobs import recover_interrupted_jobs


class Command(BaseCommand):
    help = (
        "Mark failed the jobs (imports, …) whose process died or went silent; with --every, "
        "keep doing it as a watchdog."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="seconds between rounds (0: one round)"
        )

    def handle(self, *args, every: int, **options):
        while True:
            count = recover_interrupted_jobs()
            self.stdout.write(f"kieumau: {count} interrupted job(s) marked failed")
            if every <= 0:
                return
            time.sleep(every)
