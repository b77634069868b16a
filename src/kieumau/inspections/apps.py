from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "kieumau.inspections"
    label = "inspections"
