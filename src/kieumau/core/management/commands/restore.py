from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kieumau.core.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `kieumau backup` into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            vendor = restore(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"kieumau: {vendor} backup {path} restored")
