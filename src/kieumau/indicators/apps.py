from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "kieumau.indicators"
    label = "indicators"
