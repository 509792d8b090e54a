"""People and the roles they hold in organizations (used for conflict-of-interest checks)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel
from servicepark.common.personal import EncryptedTextField, digest


class Person(BaseModel):
    """Only what the registry needs: a name and a contact phone (encrypted, found again by its
    digest); no ID numbers."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    phone = EncryptedTextField(_("phone"), kind="phone")
    phone_digest = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    user = models.OneToOneField(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.phone_digest = digest(self.phone, "phone")
        if kwargs.get("update_fields") and "phone" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_digest"}
        super().save(*args, **kwargs)


class Membership(BaseModel):
    SCOPE = ScopePaths(
        division="organization__division__code",
        organization="organization_id",
        umbrella="organization__umbrella_id",
    )

    class Role(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", _("legal representative")
        BOARD_MEMBER = "board_member", _("board member")
        DIRECTOR = "director", _("director")
        SUPERVISOR = "supervisor", _("supervisor")
        STAFF = "staff", _("staff")
        ADVISOR = "advisor", _("advisor")
        CONTACT = "contact", _("contact person")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("role in an organization")
        verbose_name_plural = _("roles in organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "role", "started_on"], name="membership_unique"
            ),
        ]


class AssociationMember(BaseModel):
    """An organization's membership of an umbrella association (会员单位). Unlike an attached
    organization (挂靠), a member keeps its own registration; the association may still apply
    for it and receive money on its behalf ("1 + 4", seed 003)."""

    SCOPE = ScopePaths(
        division="association__division__code",
        organization="association_id",
        umbrella="association_id",
    )

    association = models.ForeignKey(
        "registry.Organization",
        on_delete=models.CASCADE,
        related_name="member_links",
        verbose_name=_("association"),
    )
    member = models.ForeignKey(
        "registry.Organization",
        on_delete=models.CASCADE,
        related_name="association_links",
        verbose_name=_("member organization"),
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    ended_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("association member")
        verbose_name_plural = _("association members")
        constraints = [
            models.UniqueConstraint(fields=["association", "member"], name="association_member"),
            models.CheckConstraint(
                name="association_member_not_self",
                condition=~models.Q(association=models.F("member")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association_id}>{self.member_id}"
