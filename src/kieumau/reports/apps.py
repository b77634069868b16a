from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kieumau.reports"
    label = "reports"
    verbose_name = "Báo cáo và xuất dữ liệu"
