"""PostgreSQL also refuses edits of the trail in the database itself (a trigger)."""

import pytest
from django.db import DatabaseError, connection, transaction

from servicepark.common.actors import SystemActor
from servicepark.common.audit import audit_record
from servicepark.common.models import AuditEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL trigger"),
]


def test_database_refuses_updates_and_deletes():
    event = audit_record(actor=SystemActor("t"), action="x", object_type="x", object_id=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "x"
    assert connection.vendor == "postgresql"
