from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "kieumau.citizens"
    label = "citizens"
