from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "servicepark.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from servicepark.accounts import permissions  # noqa: F401  (registers rules)
