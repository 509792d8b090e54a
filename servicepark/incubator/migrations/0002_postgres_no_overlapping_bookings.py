"""PostgreSQL: two live bookings of one space can never overlap (an exclusion constraint over
the time range). SQLite relies on the service's locked check (writers are serialised)."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from servicepark.common.dbops import PostgresOnlySQL

FORWARD = """
ALTER TABLE incubator_booking ADD CONSTRAINT booking_no_overlap
EXCLUDE USING gist (
    space_id WITH =,
    tstzrange("start", "end", '[)') WITH &&
) WHERE (state IN ('confirmed', 'pending'));
"""
BACKWARD = "ALTER TABLE incubator_booking DROP CONSTRAINT booking_no_overlap;"


class Migration(migrations.Migration):
    dependencies = [("incubator", "0001_initial")]

    operations = [BtreeGistExtension(), PostgresOnlySQL(FORWARD, BACKWARD)]
