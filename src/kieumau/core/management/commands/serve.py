"""`kieumau serve`: gunicorn in production, Django's development server with debug on."""

import os
import sys

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kieumau.core.jobs import recover_interrupted_jobs


class Command(BaseCommand):
    help = (
        "Serve kieumau on HOST:PORT (default 127.0.0.1:8000, PORT from the environment). With "
        "KIEUMAU_DEBUG off it runs gunicorn with KIEUMAU_WEB_WORKERS workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port: int, host: str, **options):
        # Work that a crash of the previous server interrupted is reported, not left "running".
        recover_interrupted_jobs()
        if settings.DEBUG:
            self.stdout.write(f"kieumau (debug, development server): http://{host}:{port}/")
            call_command("runserver", f"{host}:{port}", use_reloader=False)
            return
        manifest = os.path.join(settings.STATIC_ROOT, staticfiles_storage.manifest_name)
        if not os.path.exists(manifest):
            # Collecting needs node_modules (npm), which a production host need not have.
            raise CommandError(
                f"no collected static files in {settings.STATIC_ROOT}: run "
                "`kieumau manage collectstatic --noinput` at install/build time "
                "(`make install` does), with the same KIEUMAU_STATIC_ROOT"
            )
        self.stdout.write(
            f"kieumau: gunicorn on http://{host}:{port}/ with {settings.WEB_WORKERS} workers"
        )
        sys.stdout.flush()
        # exec: gunicorn's master becomes this process, so signals from a supervisor reach it.
        os.execv(
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "kieumau.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(settings.WEB_WORKERS),
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "20",
                # The application (Django, its URL modules and their imports) is loaded once in
                # the master and shared by the forked workers: each starts ready to answer.
                "--preload",
            ],
        )
