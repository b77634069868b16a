from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kieumau.accounts"
    label = "accounts"

    def ready(self) -> None:
        from kieumau.accounts import signals  # noqa: F401
