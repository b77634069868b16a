from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kieumau.core.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database to PATH (SQLite online backup, or pg_dump's custom format)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            vendor = backup(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"kieumau: {vendor} backup written to {path}")
