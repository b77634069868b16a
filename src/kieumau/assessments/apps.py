from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "kieumau.assessments"
    label = "assessments"
