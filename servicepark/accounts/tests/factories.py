from __future__ import annotations

import itertools

from servicepark.accounts.models import User
from servicepark.accounts.services import grant_add, user_create
from servicepark.common.actors import SystemActor

PASSWORD = "test-pass-2026"
_counter = itertools.count(1)


def make_user(
    role: str | None = None,
    *,
    division: str | None = None,
    organization: object | None = None,
    username: str | None = None,
) -> User:
    actor = SystemActor("factory")
    user = user_create(actor=actor, username=username or f"user{next(_counter)}", password=PASSWORD)
    if role is not None:
        grant_add(
            actor=actor,
            user=user,
            role=role,
            division_code=division,
            organization_id=getattr(organization, "pk", None),
        )
    return User.objects.get(pk=user.pk)
