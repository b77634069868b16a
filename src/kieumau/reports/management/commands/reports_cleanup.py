"""`kieumau manage reports_cleanup`: fail the jobs a crash left running, delete expired files."""

from django.core.management.base import BaseCommand

from kieumau.reports import services


class Command(BaseCommand):
    help = "Mark interrupted report jobs failed and remove expired report files (for cron)."

    def handle(self, *args, **options):
        failed = services.recover_interrupted_jobs()
        removed = services.remove_expired()
        self.stdout.write(f"interrupted jobs marked failed: {failed}; expired jobs removed: {removed}")
