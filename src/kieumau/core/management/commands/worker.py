from django.core.management import call_command
from django.core.management.base import BaseCommand

from kieumau.core.jobs import recover_interrupted_jobs


class Command(BaseCommand):
    help = (
        "Run the background worker (django-tasks' db_worker), first marking failed the jobs "
        "that a crash interrupted. Arguments after -- go to db_worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("db_worker_args", nargs="*")

    def handle(self, *args, db_worker_args: list[str], **options):
        count = recover_interrupted_jobs()
        self.stdout.write(f"kieumau: {count} interrupted job(s) marked failed")
        call_command("db_worker", *db_worker_args)
