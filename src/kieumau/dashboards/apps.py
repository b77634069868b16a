from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "kieumau.dashboards"
    label = "dashboards"
