from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "kieumau.programs"
    label = "programs"
