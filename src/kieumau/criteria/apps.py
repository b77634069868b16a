from django.apps import AppConfig


class CriteriaConfig(AppConfig):
    name = "kieumau.criteria"
    label = "criteria"
