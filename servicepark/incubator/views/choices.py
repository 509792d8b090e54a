"""Reading what a form picked from a list (a room, a request, organizations): an id that is
missing, not a number or not on the list is a mistake to explain, never a 404 or a 500."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_grants
from servicepark.common.inputs import choice_id
from servicepark.registry.models import Organization

M = TypeVar("M", bound=Model)


def pick(queryset: QuerySet[M], value: Any, message: str) -> M:
    """The object of `queryset` whose id was sent; `message` when none, or another, was."""
    found = queryset.filter(pk=choice_id(value, message)).first()
    if found is None:
        raise ValidationError(message)
    return found


def pick_optional(queryset: QuerySet[M], value: Any, message: str) -> M | None:
    """As `pick`, but nothing chosen (the empty option) is None."""
    if not str(value or "").strip():
        return None
    return pick(queryset, value, message)


def pick_many(queryset: QuerySet[M], values: list[str], message: str) -> list[M]:
    """The objects of `queryset` whose ids were sent, each of them; `message` when one is not
    on the list (it would otherwise be dropped without a word)."""
    ids = {choice_id(v, message) for v in values}
    found = list(queryset.filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError(message)
    return found


MEMBERS = (Role.ORG_ADMIN, Role.ORG_MEMBER)
ADMINS = (Role.ORG_ADMIN,)  # who may act for the organization as a whole, e.g. apply


def my_organizations(request: HttpRequest, roles: tuple[str, ...] = MEMBERS) -> list[Organization]:
    """The organizations the user holds one of `roles` for (admins and members by default),
    by name, from the grants already read for this request."""
    found = {
        g.organization_id: g.organization
        for g in user_grants(request.user)
        if g.role in roles and g.organization is not None
    }
    return sorted(found.values(), key=lambda o: o.name)


def own_organization(
    request: HttpRequest, refused: str, roles: tuple[str, ...] = MEMBERS
) -> Organization:
    """The organization the form names, one the user holds one of `roles` for. Acting for
    another existing organization, or with none of one's own, is refused (`refused`, a 403);
    an empty or unknown choice is a mistake to correct."""
    mine = my_organizations(request, roles)
    if not mine:
        raise PermissionDenied(refused)
    message = _("Choose one of your organizations.")
    pk = choice_id(request.POST.get("organization"), message)
    chosen = next((o for o in mine if o.pk == pk), None)
    if chosen is not None:
        return chosen
    if Organization.objects.filter(pk=pk).exists():
        raise PermissionDenied(refused)
    raise ValidationError(message)
