from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "servicepark.procurement"
    label = "procurement"
    verbose_name = _("Government purchase of services")

    def ready(self) -> None:
        from servicepark.procurement import permissions  # noqa: F401  (registers rules)
