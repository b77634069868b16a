from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "kieumau.indicators"
    label = "indicators"

    def ready(self) -> None:
        from kieumau.orgunits.signals import reach_rebuilt

        reach_rebuilt.connect(_sum_totals_again, dispatch_uid="indicators.monthly_totals")


def _sum_totals_again(sender, **kwargs) -> None:
    from kieumau.indicators import totals

    totals.rebuild()
