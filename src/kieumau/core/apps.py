from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kieumau.core"
    label = "core"
