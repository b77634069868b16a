from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kieumau.demo"
    label = "demo"
