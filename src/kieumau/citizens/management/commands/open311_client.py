from django.core.management.base import BaseCommand

from kieumau.citizens.open311.keys import issue_key


class Command(BaseCommand):
    help = "Create an Open311 client and print its API key (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, **options):
        key = issue_key(name=options["name"])
        self.stdout.write(f"{options['name']}: {key}")
