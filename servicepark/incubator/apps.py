from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncubatorConfig(AppConfig):
    name = "servicepark.incubator"
    label = "incubator"
    verbose_name = _("Incubator parks")

    def ready(self) -> None:
        from servicepark.incubator import permissions  # noqa: F401  (registers rules)
