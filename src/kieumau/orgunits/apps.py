from django.apps import AppConfig


class OrgUnitsConfig(AppConfig):
    name = "kieumau.orgunits"
    label = "orgunits"
