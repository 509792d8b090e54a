from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "servicepark.oversight"
    label = "oversight"
    verbose_name = _("Oversight")

    def ready(self) -> None:
        from servicepark.oversight import hooks

        hooks.connect()
