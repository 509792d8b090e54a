"""Membership of umbrella associations (会员单位), recorded and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record
from servicepark.common.permissions import require_permission
from servicepark.registry.models import AssociationMember, Organization, OrgType


def association_member_add(
    *, actor: Any, association: Organization, member: Organization, joined_on: dt.date | None = None
) -> AssociationMember:
    require_permission("association.members", actor, association)
    if association.org_type != OrgType.SOCIAL_GROUP:
        raise ValidationError(_("Only a social group (association) has member organizations."))
    if association.pk == member.pk:
        raise ValidationError(_("An association cannot be its own member."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                link = AssociationMember.objects.create(
                    association=association,
                    member=member,
                    joined_on=joined_on or timezone.localdate(),
                )
        except IntegrityError:
            raise ValidationError(
                _("%(member)s is already a member.") % {"member": member.name}
            ) from None
        audit_record(
            actor=actor,
            action="association.member_add",
            obj=link,
            after={"association": association.pk, "member": member.pk},
        )
    return link


def association_member_end(*, actor: Any, link: AssociationMember) -> AssociationMember:
    require_permission("association.members", actor, link.association)
    with transaction.atomic():
        locked = AssociationMember.objects.select_for_update().get(pk=link.pk)
        if locked.ended_on is not None:
            raise ValidationError(_("This membership has already ended."))
        locked.ended_on = timezone.localdate()
        locked.save(update_fields=["ended_on", "updated_at"])
        audit_record(
            actor=actor,
            action="association.member_end",
            obj=locked,
            before={"ended_on": None},
            after={"ended_on": locked.ended_on},
        )
    return locked
