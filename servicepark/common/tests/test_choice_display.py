"""`get_<field>_display()` of our models: labels in the language of the moment, built once."""

from __future__ import annotations

from django.utils import translation

from servicepark.registry.models import Organization
from servicepark.registry.models.choices import OrgType, Status


def test_display_follows_the_active_language_after_the_labels_are_cached() -> None:
    org = Organization(status=Status.SUSPENDED, org_type=OrgType.FOUNDATION)
    with translation.override("zh-hans"):
        zh = (org.get_status_display(), org.get_org_type_display())
    with translation.override("en"):
        en = (org.get_status_display(), org.get_org_type_display())
    with translation.override("zh-hans"):
        again = (org.get_status_display(), org.get_org_type_display())
    assert en == ("suspended", "foundation")
    assert zh == again
    assert zh != en and all(any("\u4e00" <= c <= "\u9fff" for c in label) for label in zh)


def test_a_value_outside_the_choices_is_shown_as_it_is() -> None:
    org = Organization(status="archived-by-hand")
    assert org.get_status_display() == "archived-by-hand"
