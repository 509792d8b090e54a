from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "servicepark.registry"
    label = "registry"
    verbose_name = _("Registry of social organizations")

    def ready(self) -> None:
        from servicepark.registry import permissions  # noqa: F401  (registers rules)
