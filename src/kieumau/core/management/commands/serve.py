import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kieumau.core.jobs import recover_interrupted_jobs


class Command(BaseCommand):
    help = "Serve kieumau on 127.0.0.1 (PORT or --port, default 8000)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port: int, host: str, **options):
        # Work that a crash of the previous server interrupted is reported, not left "running".
        recover_interrupted_jobs()
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"kieumau: http://{host}:{port}/")
        call_command("runserver", f"{host}:{port}", use_reloader=False)
